import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { T0, roomWith } from './fixtures.ts';
import { computeSchedule } from './schedule.ts';
import { type RoomCommand, type RoomState, transition } from './transition.ts';
import { type Timer, totalMs } from './timer.ts';

/** CPU-bound fast-check runs: generous on a busy shared machine. */
const PROPERTY_TIMEOUT = 30_000;
const SEC = 1_000;

// ── Rundowns ───────────────────────────────────────────────────────────────
const cueArb = fc.record({
  durationMs: fc.integer({ min: 0, max: 600 }).map((s) => s * SEC),
  buffer: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null, freq: 2 }),
  linked: fc.boolean(),
  fixedAt: fc.option(fc.integer({ min: 0, max: 3_000 }), { nil: null, freq: 4 }),
});
type Cue = typeof cueArb extends fc.Arbitrary<infer C> ? C : never;

/** A room planned at T0 (or unplanned) holding `cues`; `fixed` keeps their fixed planned starts. */
function rundown(cues: Cue[], opts: { fixed: boolean; planned: boolean }): RoomState {
  const s = roomWith(
    cues.map((c, i): Partial<Timer> & { id: string } => ({
      id: `t${i}`,
      durationMs: c.durationMs,
      // The minimum is a percentage of the duration, so it never exceeds it.
      buffer: c.buffer === null ? null : { minDurationMs: Math.floor((c.durationMs * c.buffer) / 100) },
      trigger: c.linked && i > 0 ? 'linked' : 'manual',
      plannedStart: opts.fixed && c.fixedAt !== null ? T0 + c.fixedAt * SEC : null,
    })),
  );
  return { ...s, room: { ...s.room, plannedStart: opts.planned ? T0 : null } };
}

// Steps a show runs through; `wait` only lets time pass (boundaries apply, nobody commands).
const stepArb = fc.oneof(
  fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 400 }).map((s) => s * SEC) }),
  fc.record({ kind: fc.constantFrom('start' as const, 'pause' as const, 'resume' as const, 'next' as const) }),
);
type Step = typeof stepArb extends fc.Arbitrary<infer S> ? S : never;

/** Plays `steps` forward only: start the active cue, pause, resume, and next only from a cue that has played. */
function play(start: RoomState, steps: Step[], from: number, visit?: (s: RoomState, now: number) => void) {
  let s = start;
  let now = from;
  const apply = (cmd: RoomCommand) => {
    const r = transition(s, cmd, now);
    if (!('rejected' in r)) s = r.state;
  };
  for (const step of steps) {
    if (step.kind === 'wait') {
      now += step.ms;
      apply({ type: 'tick' });
    } else if (step.kind === 'next') {
      const active = s.room.activeTimerId;
      if (active !== null && s.played[active]) apply({ type: 'next' });
    } else apply({ type: step.kind });
    visit?.(s, now);
  }
  return { state: s, now };
}

const props = fc.record({
  cues: fc.array(cueArb, { minLength: 1, maxLength: 6 }),
  steps: fc.array(stepArb, { maxLength: 25 }),
  startOffset: fc.integer({ min: -300, max: 900 }).map((s) => s * SEC),
});

describe('computeSchedule properties', () => {
  it(
    'on time means zero over/under',
    () => {
      fc.assert(
        fc.property(fc.array(cueArb, { minLength: 1, maxLength: 6 }), fc.nat(4_000), (cues, at) => {
          // Every cue linked: the show starts on plan and hands over at each exact finish.
          const s0 = rundown(
            cues.map((c) => ({ ...c, linked: true })),
            { fixed: false, planned: true },
          );
          const started = transition(s0, { type: 'start' }, T0);
          if ('rejected' in started) throw new Error(started.message);
          const plannedEnd = computeSchedule(started.state, T0).plannedEnd as number;
          const now = Math.min(T0 + at * SEC, plannedEnd);
          const ticked = transition(started.state, { type: 'tick' }, now);
          const s = 'rejected' in ticked ? started.state : ticked.state;
          const sch = computeSchedule(s, now);
          expect(sch.overUnderMs).toBe(0);
          expect(sch.liveOverUnderMs ?? 0).toBe(0);
          expect(sch.projectedEnd).toBe(plannedEnd);
          for (const c of sch.cues) expect(c.absorbedMs).toBe(0);
        }),
        { numRuns: 200 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'projected starts never go backwards as time passes without a command',
    () => {
      fc.assert(
        fc.property(
          props,
          fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 8 }),
          fc.boolean(),
          ({ cues, steps, startOffset }, waits, planned) => {
            const s0 = rundown(cues, { fixed: true, planned });
            const { state, now } = play(s0, steps, T0 + startOffset);
            let s = state;
            let t = now;
            let before = computeSchedule(s, t).cues.map((c) => c.projectedStart);
            for (const w of waits) {
              t += w * SEC;
              const r = transition(s, { type: 'tick' }, t);
              if (!('rejected' in r)) s = r.state;
              const after = computeSchedule(s, t).cues.map((c) => c.projectedStart);
              after.forEach((p, i) => expect(p).toBeGreaterThanOrEqual(before[i] as number));
              before = after;
            }
          },
        ),
        { numRuns: 200 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'a buffer never goes below its minimum',
    () => {
      fc.assert(
        fc.property(props, fc.boolean(), ({ cues, steps, startOffset }, fixed) => {
          const s0 = rundown(cues, { fixed, planned: true });
          play(s0, steps, T0 + startOffset, (s, now) => {
            const sch = computeSchedule(s, now);
            for (const t of s.timers) {
              if (t.buffer === null) continue;
              expect(totalMs(t)).toBeGreaterThanOrEqual(t.buffer.minDurationMs);
              const c = sch.cues.find((x) => x.timerId === t.id);
              if (c && c.actualStart === null)
                expect(c.projectedEnd - c.projectedStart).toBeGreaterThanOrEqual(t.buffer.minDurationMs);
            }
          });
        }),
        { numRuns: 200 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'the projected end is the planned end plus the drift, minus what the buffers still to come absorb',
    () => {
      fc.assert(
        fc.property(props, ({ cues, steps, startOffset }) => {
          // Cues follow on from the room's planned start (no fixed starts, whose slack would absorb too).
          const s0 = rundown(cues, { fixed: false, planned: true });
          play(s0, steps, T0 + startOffset, (s, now) => {
            const sch = computeSchedule(s, now);
            const ahead = sch.cues.filter((c) => c.actualStart === null).reduce((sum, c) => sum + c.absorbedMs, 0);
            expect(sch.projectedEnd).toBe((sch.plannedEnd as number) + sch.overUnderMs - ahead);
          });
        }),
        { numRuns: 300 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});
