import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { T0, roomWith } from './fixtures.ts';
import {
  type RoomCommand,
  type RoomEvent,
  type RoomState,
  type TimerFields,
  nextBoundary,
  transition,
} from './transition.ts';
import { type Timer, displayMs, isClockRunning } from './timer.ts';

/** CPU-bound fast-check runs: generous on a busy shared machine, where the 5 s default is not a budget. */
const PROPERTY_TIMEOUT = 30_000;

// ── Random command sequences ───────────────────────────────────────────────
// A recipe is turned into a command at the instant it runs, so times can be relative to `now`.
// A timer reference picks an existing timer by index; one index past the end names an unknown timer.
const REF = fc.nat(40);
const OPT_REF = fc.option(REF, { nil: undefined, freq: 3 });
const OFFSET = fc.integer({ min: -30_000, max: 400_000 });
const DUR = fc.oneof(fc.constantFrom(0, 1_000, 15_000, 60_000), fc.integer({ min: 0, max: 120_000 }));
const THRESH = fc.option(fc.constantFrom(0, 5_000, 30_000, 60_000), { nil: null });

const fields = fc.record(
  {
    label: fc.constantFrom('x', 'y'),
    durationMs: DUR,
    mode: fc.constantFrom('countdown', 'countup', 'time-of-day'),
    target: OFFSET,
    trigger: fc.constantFrom('manual', 'linked', 'linked', 'scheduled'),
    start: OFFSET,
    warnMs: THRESH,
    dangerMs: THRESH,
  },
  { requiredKeys: ['label', 'durationMs'] },
);
type Fields = typeof fields extends fc.Arbitrary<infer F> ? F : never;

const recipe = fc.oneof(
  {
    arbitrary: fc.record({ type: fc.constant('create-timer' as const), dup: fc.nat(7).map((n) => n === 0), f: fields }),
    weight: 2,
  },
  { arbitrary: fc.record({ type: fc.constant('update-timer' as const), ref: REF, f: fields }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant('delete-timer' as const), ref: REF }), weight: 1 },
  {
    arbitrary: fc.record({ type: fc.constantFrom('start', 'start', 'pause', 'resume', 'reset'), ref: OPT_REF }),
    weight: 10,
  },
  {
    arbitrary: fc.record({
      type: fc.constant('adjust' as const),
      ref: OPT_REF,
      deltaMs: fc.integer({ min: -120_000, max: 120_000 }),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ type: fc.constantFrom('next', 'previous') }), weight: 3 },
  { arbitrary: fc.record({ type: fc.constant('select' as const), ref: REF }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant('reorder' as const), seed: fc.nat(), junk: fc.boolean() }), weight: 1 },
  {
    arbitrary: fc.record({
      type: fc.constant('set-message' as const),
      text: fc.string({ maxLength: 4 }),
      flash: fc.boolean(),
      blackout: fc.boolean(),
      target: fc.constantFrom('all' as const, 'presenter' as const),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ type: fc.constant('clear-message' as const) }), weight: 1 },
  {
    arbitrary: fc.record({
      type: fc.constant('update-room' as const),
      warnMs: fc.option(
        THRESH.map((x) => x ?? 1),
        { nil: undefined },
      ),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ type: fc.constant('tick' as const) }), weight: 8 },
);
type Recipe = typeof recipe extends fc.Arbitrary<infer R> ? R : never;

const DT = fc.oneof(
  { arbitrary: fc.constant(0), weight: 1 },
  { arbitrary: fc.integer({ min: 1, max: 20_000 }), weight: 6 },
  { arbitrary: fc.integer({ min: 20_000, max: 900_000 }), weight: 2 },
);
const steps = fc.array(fc.tuple(recipe, DT), { minLength: 1, maxLength: 60 });
/** A rundown to start from: up to six timers, created at T0. */
const seed = fc.array(fields, { maxLength: 6 });

function timerFields(f: Fields, now: number): Partial<TimerFields> {
  const out: Partial<TimerFields> = { label: f.label, durationMs: f.durationMs };
  if (f.mode) out.mode = f.mode;
  if (f.mode === 'time-of-day' || f.target !== undefined) out.targetTime = now + (f.target ?? 60_000);
  if (f.trigger) out.trigger = f.trigger;
  if (f.trigger === 'scheduled' || f.start !== undefined) out.startAt = now + (f.start ?? 60_000);
  if (f.warnMs !== undefined) out.warnMs = f.warnMs;
  if (f.dangerMs !== undefined) out.dangerMs = f.dangerMs;
  return out;
}

const idOf = (s: RoomState, ref: number) => s.timers[ref % (s.timers.length + 1)]?.id ?? 'zz';
const optId = (s: RoomState, ref: number | undefined) => (ref === undefined ? {} : { timerId: idOf(s, ref) });
let created = 0;

function build(r: Recipe, s: RoomState, now: number): RoomCommand {
  switch (r.type) {
    case 'create-timer': {
      const id = r.dup && s.timers[0] ? s.timers[0].id : `t${created++}`;
      return { type: r.type, id, timer: { ...timerFields(r.f, now), label: r.f.label, durationMs: r.f.durationMs } };
    }
    case 'update-timer':
      return { type: r.type, timerId: idOf(s, r.ref), patch: timerFields(r.f, now) };
    case 'delete-timer':
    case 'select':
      return { type: r.type, timerId: idOf(s, r.ref) };
    case 'start':
    case 'pause':
    case 'resume':
    case 'reset':
      return { type: r.type, ...optId(s, r.ref) };
    case 'adjust':
      return { type: r.type, deltaMs: r.deltaMs, ...optId(s, r.ref) };
    case 'reorder': {
      const ids = s.timers.map((t) => t.id);
      // Fisher–Yates driven by the seed; `junk` breaks the permutation on purpose.
      let seed = r.seed;
      for (let i = ids.length - 1; i > 0; i--) {
        const j = seed % (i + 1);
        seed = Math.floor(seed / (i + 1)) + 7 * i;
        [ids[i], ids[j]] = [ids[j] as string, ids[i] as string];
      }
      return { type: 'reorder', timerIds: r.junk ? [...ids, ids[0] ?? 'zz'] : ids };
    }
    case 'update-room':
      return r.warnMs === undefined ? { type: 'update-room', name: 'n' } : { type: 'update-room', warnMs: r.warnMs };
    default:
      return r;
  }
}

/** A room holding the seed's timers, created at T0 (invalid definitions are skipped). */
function seeded(fs: Fields[]): RoomState {
  return fs.reduce((s, f) => {
    const r = transition(s, build({ type: 'create-timer', dup: false, f }, s, T0), T0);
    return 'rejected' in r ? s : r.state;
  }, roomWith());
}

// ── Invariants ───────────────────────────────────────────────────────────
function checkInvariants(s: RoomState, now: number) {
  // (c) at most one timer's clock runs at a time.
  expect(s.timers.filter(isClockRunning).length).toBeLessThanOrEqual(1);
  // (e) order values are a permutation of 0..n-1, in array order, with unique ids.
  expect(s.timers.map((t) => t.order)).toEqual(s.timers.map((_, i) => i));
  expect(new Set(s.timers.map((t) => t.id)).size).toBe(s.timers.length);
  // The active pointer names an existing timer whenever there is one.
  if (s.timers.length === 0) expect(s.room.activeTimerId).toBeNull();
  else expect(s.timers.some((t) => t.id === s.room.activeTimerId)).toBe(true);
  // Settled state: nothing is due, so the next alarm is strictly later (no busy loop).
  const b = nextBoundary(s, now);
  if (b !== null) expect(b).toBeGreaterThan(now);
  for (const t of s.timers) {
    expect(t.state === 'running' ? t.startedAt !== null && t.pausedAt === null : true).toBe(true);
    expect(t.state === 'paused' ? t.startedAt === null && t.pausedAt !== null : true).toBe(true);
    expect(t.state === 'finished').toBe(t.finishedAt !== null);
    if (t.state === 'idle') expect(t).toMatchObject({ startedAt: null, pausedAt: null, accumulatedMs: 0 });
  }
}

const same = (x: Timer, y: Timer) =>
  JSON.stringify(x, Object.keys(x).sort()) === JSON.stringify(y, Object.keys(y).sort());

/** How often the interesting cases came up, so a weak generator cannot pass the properties vacuously. */
const seen = { runningAcrossTick: 0, handover: 0, scheduledStart: 0, overtime: 0, rejected: 0 };

/** (b) Between two instants with only ticks in between, displays move by exactly the wall time their clock ran. */
function checkContinuity(before: RoomState, t1: number, after: RoomState, t2: number, events: RoomEvent[]) {
  for (const x of before.timers) {
    const y = after.timers.find((t) => t.id === x.id) as Timer;
    const sign = x.mode === 'countup' ? 1 : -1;
    // A clock (re)started by the boundaries themselves: a linked handover or a scheduled start.
    const starts = events.flatMap((e) =>
      e.type === 'timer-update' &&
      e.timer.id === x.id &&
      e.timer.state === 'running' &&
      e.timer.startedAt !== x.startedAt
        ? [e.timer]
        : [],
    );
    for (const started of starts) {
      expect(started.trigger === 'linked' || (started.trigger === 'scheduled' && x.state === 'idle')).toBe(true);
      expect(started.startedAt).toBeGreaterThanOrEqual(t1);
      expect(started.startedAt).toBeLessThanOrEqual(t2);
    }
    if (starts.length > 0) {
      if (y.trigger === 'linked') seen.handover++;
      else seen.scheduledStart++;
    } else if (isClockRunning(x)) {
      seen.runningAcrossTick++;
      if (x.state === 'finished') seen.overtime++;
      // It ran until now, or stopped at a finish handover or a scheduled start in between.
      const stop = isClockRunning(y) ? t2 : (y.pausedAt as number);
      expect(stop).toBeGreaterThanOrEqual(t1);
      expect(stop).toBeLessThanOrEqual(t2);
      expect(displayMs(y, t2)).toBe(displayMs(x, t1) + sign * (stop - t1));
    } else if (same(x, y)) {
      if (!(x.mode === 'time-of-day' && x.state === 'idle')) expect(displayMs(y, t2)).toBe(displayMs(x, t1));
    } else {
      throw new Error(`timer ${x.id} changed during ticks without starting: ${JSON.stringify([x, y])}`);
    }
  }
}

describe('room transition properties', () => {
  it('holds every invariant over random command sequences with increasing now', { timeout: PROPERTY_TIMEOUT }, () => {
    fc.assert(
      fc.property(seed, steps, (init, seq) => {
        let s = seeded(init);
        let now = T0;
        let settledAt = T0;
        for (const [r, dt] of seq) {
          now += dt;
          const cmd = build(r, s, now);
          const snapshot = structuredClone(s);
          // (d) never throws.
          const res = transition(s, cmd, now);
          // (d) the input is never mutated, whatever the outcome.
          expect(s).toEqual(snapshot);
          if ('rejected' in res) {
            seen.rejected++;
            expect(typeof res.message).toBe('string');
            continue;
          }
          // (a) the version rises by exactly one when something was announced, never otherwise.
          expect(res.state.version).toBe(s.version + (res.events.length > 0 ? 1 : 0));
          checkInvariants(res.state, now);
          if (cmd.type === 'tick') checkContinuity(s, settledAt, res.state, now, res.events);
          s = res.state;
          settledAt = now;
        }
      }),
      { numRuns: 500 },
    );
    // Typical counts are ~5x these floors; they only catch a generator that stopped reaching the cases.
    expect(seen.runningAcrossTick).toBeGreaterThan(50);
    expect(seen.overtime).toBeGreaterThan(20);
    expect(seen.handover).toBeGreaterThan(3);
    expect(seen.scheduledStart).toBeGreaterThan(5);
    expect(seen.rejected).toBeGreaterThan(50);
  });

  it('a rejected command answers with the same state it was given', { timeout: PROPERTY_TIMEOUT }, () => {
    fc.assert(
      fc.property(seed, steps, recipe, fc.nat(100_000), (init, seq, last, dt) => {
        let s = seeded(init);
        let now = T0;
        for (const [r, d] of seq) {
          now += d;
          const res = transition(s, build(r, s, now), now);
          if (!('rejected' in res)) s = res.state;
        }
        const before = structuredClone(s);
        const res = transition(s, build(last, s, now + dt), now + dt);
        if ('rejected' in res) expect(s).toEqual(before);
        else expect(res.state.version - s.version).toBeLessThanOrEqual(1);
      }),
      { numRuns: 200 },
    );
  });

  it('ticks alone never change the version without announcing something', { timeout: PROPERTY_TIMEOUT }, () => {
    fc.assert(
      fc.property(
        seed,
        steps,
        fc.array(fc.integer({ min: 0, max: 200_000 }), { maxLength: 20 }),
        (init, seq, ticks) => {
          let s = seeded(init);
          let now = T0;
          for (const [r, d] of seq) {
            now += d;
            const res = transition(s, build(r, s, now), now);
            if (!('rejected' in res)) s = res.state;
          }
          for (const d of ticks) {
            now += d;
            const res = transition(s, { type: 'tick' }, now);
            if ('rejected' in res) throw new Error('a tick is never rejected');
            expect(res.state.version).toBe(s.version + (res.events.length ? 1 : 0));
            s = res.state;
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
