import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Review,
  type ReviewCommand,
  type Thresholds,
  flaggedCodes,
  openReview,
  overThreshold,
  reviewTransition,
  statusOf,
} from './review.ts';
import { blindSummary, expectedLeaks } from './blind.ts';
import { auditSummary } from './summary.ts';

const PROPERTY_TIMEOUT = 30_000;
const T0 = 1_700_000_000_000;
const CODES = ['A', 'B', 'C', 'D', 'E'];

const thresholds: fc.Arbitrary<Thresholds> = fc.record({
  qty: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
  pct: fc.option(fc.integer({ min: 0, max: 50 }), { nil: null }),
  items: fc.dictionary(
    fc.constantFrom(...CODES),
    fc.record({
      qty: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
      pct: fc.option(fc.integer({ min: 0, max: 50 }), { nil: null }),
    }),
  ),
});

const audit = fc.record({
  expected: fc.uniqueArray(
    fc.record({ item_code: fc.constantFrom(...CODES), expected_qty: fc.integer({ min: 0, max: 8 }) }),
    { selector: (e) => e.item_code },
  ),
  counted: fc.uniqueArray(
    fc.record({
      itemCode: fc.constantFrom(...CODES),
      verifiedQty: fc.integer({ min: 0, max: 8 }),
      damageQty: fc.integer({ min: 0, max: 2 }),
    }),
    { selector: (c) => c.itemCode },
  ),
  thresholds,
  blind: fc.boolean(),
});

/** A supervisor's or a recount lease's step; tokens are picked near the live one so stale ones come up often. */
type Step =
  | { kind: 'decide'; code: number; decision: 'accept' | 'recount' | 'override'; qty: number }
  | { kind: 'start'; token: number }
  | { kind: 'done'; tokenDelta: number; counts: number[] };
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('decide' as const),
    code: fc.integer({ min: 0, max: CODES.length - 1 }),
    decision: fc.constantFrom('accept' as const, 'recount' as const, 'override' as const),
    qty: fc.integer({ min: 0, max: 9 }),
  }),
  fc.record({ kind: fc.constant('start' as const), token: fc.integer({ min: 1, max: 5 }) }),
  fc.record({
    kind: fc.constant('done' as const),
    tokenDelta: fc.integer({ min: -1, max: 1 }),
    counts: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: CODES.length, maxLength: CODES.length }),
  }),
);

type AuditInput = typeof audit extends fc.Arbitrary<infer T> ? T : never;

function open(a: AuditInput) {
  return openReview({
    auditId: 'R1:1',
    rackId: 'R1',
    floor: 'f',
    blind: a.blind,
    counterId: 'counter',
    counterName: null,
    startedAt: T0,
    completedAt: T0 + 1000,
    expected: a.expected,
    counted: a.counted,
    thresholds: a.thresholds,
    expectedChanged: false,
  });
}

const isDecided = (r: Review) =>
  r.items.every((i) => !i.flagged || i.decision === 'accept' || i.decision === 'override');

describe('review state machine', () => {
  it(
    'posted exactly when every flagged item holds a final decision; a recount applies only under its lease token',
    () => {
      fc.assert(
        fc.property(audit, fc.array(step, { maxLength: 40 }), (a, steps) => {
          let r = open(a);
          expect(r.status === 'posted').toBe(isDecided(r) && r.recount === null);
          let at = T0 + 2000;
          for (const s of steps) {
            at += 1000;
            const before = r;
            let cmd: ReviewCommand;
            if (s.kind === 'decide')
              cmd = {
                type: 'decide',
                itemCode: CODES[s.code] as string,
                decision: s.decision,
                ...(s.decision === 'override' ? { qty: s.qty, reason: 'shelf recounted by hand' } : {}),
                by: 'boss',
                at,
              };
            else if (s.kind === 'start')
              cmd = {
                type: 'recount-started',
                sessionId: `R1:${s.token}`,
                fencingToken: s.token,
                holder: 'w',
                by: 'w',
                at,
              };
            else {
              const live = r.recount?.fencing_token ?? 0;
              const token = live + s.tokenDelta;
              cmd = {
                type: 'recount-done',
                sessionId: `R1:${token}`,
                fencingToken: token,
                counts: Object.fromEntries(
                  CODES.map((c, i) => [c, { counted_qty: s.counts[i] as number, damage_qty: 0 }]),
                ),
                by: 'w',
                at,
              };
            }
            const out = reviewTransition(r, cmd);
            if (cmd.type === 'recount-done') {
              const fenced =
                before.recount !== null &&
                before.recount.session_id === cmd.sessionId &&
                before.recount.fencing_token === cmd.fencingToken;
              // Never under a stale (or absent) recount lease.
              if (!fenced) {
                expect('rejected' in out).toBe(true);
                continue;
              }
            }
            if ('rejected' in out) {
              // A refusal changes nothing.
              expect(r).toBe(before);
              continue;
            }
            r = out.review;
            // Invariant: posted ⇔ every flagged item decided and no recount waiting.
            expect(r.status === 'posted').toBe(isDecided(r) && r.recount === null);
            expect(r.status).toBe(statusOf(r.items, r.recount));
            // Only flagged items are ever decided by someone; the unflagged keep their count.
            for (const i of r.items) if (!i.flagged) expect(i.decision).toBeNull();
            // History is gap-free and journals each change once.
            expect(r.history.map((h) => h.seq)).toEqual(r.history.map((_, k) => k + 1));
            // Once posted, stays posted.
            if (before.status === 'posted') expect(r.status).toBe('posted');
            if (r.status === 'posted') expect(r.posted_at).not.toBeNull();
          }
        }),
        { numRuns: 400 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'the same decision twice is one journal entry; a different one on a decided item is refused',
    () => {
      fc.assert(
        fc.property(audit, (a) => {
          const r = open(a);
          const code = flaggedCodes(r)[0];
          if (!code) return;
          const once = reviewTransition(r, { type: 'decide', itemCode: code, decision: 'accept', by: 'b', at: T0 + 5 });
          if ('rejected' in once) throw new Error(once.message);
          const twice = reviewTransition(once.review, {
            type: 'decide',
            itemCode: code,
            decision: 'accept',
            by: 'b',
            at: T0 + 6,
          });
          expect(twice).toEqual({ review: once.review, entries: [] });
          const other = reviewTransition(once.review, {
            type: 'decide',
            itemCode: code,
            decision: 'override',
            qty: 1,
            reason: 'x',
            by: 'b',
            at: T0 + 7,
          });
          expect(other).toMatchObject({
            rejected: once.review.status === 'posted' ? 'review_closed' : 'already_decided',
          });
        }),
        { numRuns: 200 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it('flags by absolute quantity or percentage; expected 0 with any variance passes a pct', () => {
    expect(overThreshold(10, 2, { qty: 2, pct: null })).toBe(false);
    expect(overThreshold(10, -3, { qty: 2, pct: null })).toBe(true);
    expect(overThreshold(10, 1, { qty: null, pct: 10 })).toBe(false);
    expect(overThreshold(10, 2, { qty: null, pct: 10 })).toBe(true);
    expect(overThreshold(0, 1, { qty: null, pct: 500 })).toBe(true);
    expect(overThreshold(5, 7, { qty: null, pct: null })).toBe(false);
  });

  it(
    "a blind audit's member view (the completion answer) never carries an expected quantity",
    () => {
      fc.assert(
        fc.property(audit, (a) => {
          const records = a.counted.map((c, i) => ({
            clientRecordId: `c${i}`,
            itemCode: c.itemCode,
            verifiedQty: c.verifiedQty,
            damageQty: c.damageQty,
            serialNumbers: [],
            status: 'verified' as const,
            version: 1,
            sessionId: 'R1:1',
            userId: 'w',
            fencingToken: 1,
            createdAt: T0,
            updatedAt: T0,
            syncedAt: T0,
          }));
          const summary = auditSummary(a.expected, records, { startedAt: T0, endedAt: T0 + 60_000, pausedMs: 0 });
          const view = blindSummary(summary);
          expect(expectedLeaks(view)).toEqual([]);
          // The full summary does carry them whenever something was expected: the check sees them.
          if (a.expected.length > 0) expect(expectedLeaks(summary).length).toBeGreaterThan(0);
          // What was counted is all there.
          expect(view.counted.reduce((n, c) => n + c.counted_qty, 0)).toBe(summary.scanned_total);
        }),
        { numRuns: 200 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});
