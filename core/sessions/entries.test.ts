import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EntryContext, type SessionEntry, applyEntryFields, normaliseTags, overlapping } from './entries.ts';

const MIN = 60_000;
const NOW = Date.UTC(2026, 10, 21, 15);
const T0 = NOW - 10 * 3_600_000;
const ctx: EntryContext = {
  now: NOW,
  projectExists: (id) => id === 'p1' || id === 'p2',
  taskProject: (id) => (id === 't1' ? 'p1' : id === 't2' ? 'p2' : null),
};
const ok = (r: ReturnType<typeof applyEntryFields>): SessionEntry => {
  if (!r.ok) throw new Error(r.message);
  return r.entry;
};

describe('applyEntryFields', () => {
  it('derives gross, net and breaks from the times and pauses', () => {
    const e = ok(
      applyEntryFields(
        null,
        {
          startTime: T0,
          endTime: T0 + 60 * MIN,
          pauses: [
            { pausedAt: T0 + 40 * MIN, resumedAt: T0 + 50 * MIN },
            { pausedAt: T0 + 5 * MIN, resumedAt: T0 + 10 * MIN },
          ],
        },
        ctx,
      ),
    );
    expect(e).toMatchObject({
      durationMs: 60 * MIN,
      pausedMs: 15 * MIN,
      elapsedMs: 45 * MIN,
      source: 'manual',
      version: 1,
    });
    // Pauses come back sorted.
    expect(e.pauseSegments.map((p) => p.pausedAt)).toEqual([T0 + 5 * MIN, T0 + 40 * MIN]);
  });

  it('refuses end before start, future ends, pauses outside or overlapping, unknown ids', () => {
    const bad = [
      { startTime: T0, endTime: T0 },
      { startTime: T0, endTime: NOW + 2 * MIN },
      { startTime: T0, endTime: T0 + MIN, pauses: [{ pausedAt: T0 - 1, resumedAt: T0 + 10 }] },
      { startTime: T0, endTime: T0 + MIN, pauses: [{ pausedAt: T0 + 10, resumedAt: T0 + 10 }] },
      {
        startTime: T0,
        endTime: T0 + 10 * MIN,
        pauses: [
          { pausedAt: T0 + MIN, resumedAt: T0 + 3 * MIN },
          { pausedAt: T0 + 2 * MIN, resumedAt: T0 + 4 * MIN },
        ],
      },
      { startTime: T0, endTime: T0 + MIN, projectId: 'nope' },
      { startTime: T0, endTime: T0 + MIN, taskId: 't9' },
      { startTime: T0, endTime: T0 + MIN, projectId: 'p2', taskId: 't1' },
      { startTime: T0, endTime: T0 + 8 * 86_400_000 },
    ];
    for (const f of bad) expect(applyEntryFields(null, f, ctx)).toMatchObject({ ok: false, code: 'invalid_entry' });
  });

  it('edits keep what they do not name; a task sets its project; a new project drops a foreign task', () => {
    const base = ok(applyEntryFields(null, { startTime: T0, endTime: T0 + 30 * MIN, label: 'a', taskId: 't1' }, ctx));
    expect(base).toMatchObject({ projectId: 'p1', taskId: 't1' });
    const moved = ok(applyEntryFields(base, { projectId: 'p2' }, { ...ctx, now: NOW + 1 }));
    expect(moved).toMatchObject({ label: 'a', projectId: 'p2', taskId: null, editedAt: NOW + 1 });
    const cleared = ok(applyEntryFields(base, { label: null, projectId: null }, ctx));
    expect(cleared).toMatchObject({ label: null, projectId: null, taskId: null });
    // New times that leave the old pauses outside are refused, with a hint.
    const paused = ok(applyEntryFields(base, { pauses: [{ pausedAt: T0 + 20 * MIN, resumedAt: T0 + 25 * MIN }] }, ctx));
    const r = applyEntryFields(paused, { endTime: T0 + 10 * MIN }, ctx);
    expect(r).toMatchObject({ ok: false, message: 'The pauses fall outside the new times: send pauses too' });
  });

  it('net + breaks = gross for every accepted entry (property)', () => {
    const pause = fc.record({
      pausedAt: fc.integer({ min: T0 - MIN, max: T0 + 120 * MIN }),
      len: fc.integer({ min: 0, max: 30 * MIN }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: T0 - 60 * MIN, max: T0 + 60 * MIN }),
        fc.integer({ min: -MIN, max: 200 * MIN }),
        fc.array(pause, { maxLength: 6 }),
        (start, len, ps) => {
          const r = applyEntryFields(
            null,
            {
              startTime: start,
              endTime: start + len,
              pauses: ps.map((p) => ({ pausedAt: p.pausedAt, resumedAt: p.pausedAt + p.len })),
            },
            ctx,
          );
          if (!r.ok) return;
          const e = r.entry;
          expect(e.elapsedMs + e.pausedMs).toBe(e.durationMs);
          expect(e.durationMs).toBeGreaterThan(0);
          expect(e.elapsedMs).toBeGreaterThanOrEqual(0);
          for (const [i, p] of e.pauseSegments.entries()) {
            expect(p.pausedAt).toBeGreaterThanOrEqual(e.startTime);
            expect(p.resumedAt as number).toBeLessThanOrEqual(e.endTime);
            const next = e.pauseSegments[i + 1];
            if (next) expect(next.pausedAt).toBeGreaterThanOrEqual(p.resumedAt as number);
          }
        },
      ),
    );
  });
});

describe('helpers', () => {
  it('tags are trimmed and deduplicated case-insensitively', () => {
    expect(normaliseTags([' a ', 'A', 'b  c', '', 'B  C'])).toEqual(['a', 'b c']);
  });
  it('touching entries do not overlap', () => {
    expect(overlapping({ startTime: 0, endTime: 10 }, { startTime: 10, endTime: 20 })).toBe(false);
    expect(overlapping({ startTime: 0, endTime: 11 }, { startTime: 10, endTime: 20 })).toBe(true);
  });
});
