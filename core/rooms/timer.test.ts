import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { T0 } from './fixtures.ts';
import {
  displayMs,
  elapsedMs,
  finishAt,
  isClockRunning,
  makeTimer,
  phaseOf,
  remainingMs,
  resetTimer,
  thresholdCrossings,
  thresholdsFor,
  totalMs,
} from './timer.ts';

const D = { warnMs: 60_000, dangerMs: 15_000 };
const MIN5 = 5 * 60_000;

describe('makeTimer / resetTimer', () => {
  it('builds an idle manual countdown with defaults', () => {
    const t = makeTimer({ id: 'a' });
    expect(t).toMatchObject({
      id: 'a',
      mode: 'countdown',
      state: 'idle',
      durationMs: MIN5,
      startedAt: null,
      pausedAt: null,
      accumulatedMs: 0,
      adjustMs: 0,
      trigger: 'manual',
      finishedAt: null,
    });
  });

  it('reset keeps the definition and clears the run', () => {
    const t = makeTimer({
      id: 'a',
      label: 'x',
      mode: 'countup',
      durationMs: 9,
      order: 3,
      warnMs: 5,
      state: 'finished',
      startedAt: T0,
      pausedAt: T0 + 1,
      accumulatedMs: 7,
      adjustMs: 4,
      finishedAt: T0 + 2,
    });
    expect(resetTimer(t)).toEqual(
      makeTimer({ id: 'a', label: 'x', mode: 'countup', durationMs: 9, order: 3, warnMs: 5 }),
    );
  });
});

describe('elapsed / remaining / display', () => {
  it('idle: nothing elapsed, full duration plus adjustment remains', () => {
    const t = makeTimer({ id: 'a', adjustMs: 2_000 });
    expect(elapsedMs(t, T0 + 99_999)).toBe(0);
    expect(remainingMs(t, T0 + 99_999)).toBe(MIN5 + 2_000);
    expect(totalMs(t)).toBe(MIN5 + 2_000);
    expect(isClockRunning(t)).toBe(false);
  });

  it('running: elapsed is accumulated plus the live segment', () => {
    const t = makeTimer({ id: 'a', state: 'running', startedAt: T0, accumulatedMs: 10_000 });
    expect(isClockRunning(t)).toBe(true);
    expect(elapsedMs(t, T0 + 5_000)).toBe(15_000);
    expect(remainingMs(t, T0 + 5_000)).toBe(MIN5 - 15_000);
    // A reading from before the segment started never counts negative time.
    expect(elapsedMs(t, T0 - 1_000)).toBe(10_000);
  });

  it('paused: frozen whatever the clock says', () => {
    const t = makeTimer({ id: 'a', state: 'paused', pausedAt: T0, accumulatedMs: 10_000 });
    expect(remainingMs(t, T0)).toBe(MIN5 - 10_000);
    expect(remainingMs(t, T0 + 3_600_000)).toBe(MIN5 - 10_000);
  });

  it('finished and still counting: negative remaining grows (overtime)', () => {
    const t = makeTimer({ id: 'a', state: 'finished', startedAt: T0, finishedAt: T0 + MIN5 });
    expect(isClockRunning(t)).toBe(true);
    expect(remainingMs(t, T0 + MIN5 + 7_000)).toBe(-7_000);
  });

  it('finished and frozen: reads the same forever', () => {
    const t = makeTimer({
      id: 'a',
      state: 'finished',
      startedAt: null,
      pausedAt: T0 + MIN5 + 7_000,
      accumulatedMs: MIN5 + 7_000,
      finishedAt: T0 + MIN5,
    });
    expect(isClockRunning(t)).toBe(false);
    expect(remainingMs(t, T0 + 10 * MIN5)).toBe(-7_000);
  });

  it('countup displays elapsed, countdown displays remaining', () => {
    const up = makeTimer({ id: 'u', mode: 'countup', state: 'running', startedAt: T0 });
    const down = makeTimer({ id: 'd', state: 'running', startedAt: T0 });
    expect(displayMs(up, T0 + 1_234)).toBe(1_234);
    expect(displayMs(down, T0 + 1_234)).toBe(MIN5 - 1_234);
  });

  it('time-of-day counts to its target (plus adjustment) from the wall clock', () => {
    const base = { id: 't', mode: 'time-of-day' as const, durationMs: 0, targetTime: T0 + 60_000 };
    expect(remainingMs(makeTimer(base), T0 + 10_000)).toBe(50_000);
    expect(remainingMs(makeTimer({ ...base, state: 'running', startedAt: T0, adjustMs: 5_000 }), T0 + 10_000)).toBe(
      55_000,
    );
    // Paused (or stopped after finishing) it reads from the instant it froze.
    expect(
      remainingMs(makeTimer({ ...base, state: 'paused', pausedAt: T0 + 20_000, accumulatedMs: 20_000 }), T0 + 50_000),
    ).toBe(40_000);
    expect(
      remainingMs(
        makeTimer({ ...base, state: 'finished', pausedAt: T0 + 70_000, finishedAt: T0 + 60_000 }),
        T0 + 99_000,
      ),
    ).toBe(-10_000);
    expect(
      remainingMs(makeTimer({ ...base, state: 'finished', startedAt: T0, finishedAt: T0 + 60_000 }), T0 + 99_000),
    ).toBe(-39_000);
  });

  it('remaining + elapsed is the total while a countdown runs', () => {
    fc.assert(
      fc.property(
        fc.nat(10_000_000),
        fc.nat(10_000_000),
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        fc.nat(20_000_000),
        (dur, acc, adj, dt) => {
          const t = makeTimer({
            id: 'a',
            durationMs: dur,
            accumulatedMs: acc,
            adjustMs: adj,
            state: 'running',
            startedAt: T0,
          });
          expect(remainingMs(t, T0 + dt) + elapsedMs(t, T0 + dt)).toBe(dur + adj);
          expect(elapsedMs(t, T0 + dt)).toBe(acc + dt);
        },
      ),
    );
  });
});

describe('phaseOf', () => {
  const running = (startedAt: number, extra = {}) =>
    makeTimer({ id: 'a', durationMs: 120_000, state: 'running', startedAt, ...extra });

  it('walks normal → warning → danger → overtime at the exact thresholds', () => {
    const t = running(T0);
    expect(phaseOf(makeTimer({ id: 'i' }), T0, D)).toBe('idle');
    expect(phaseOf(t, T0 + 59_999, D)).toBe('normal');
    expect(phaseOf(t, T0 + 60_000, D)).toBe('warning');
    expect(phaseOf(t, T0 + 104_999, D)).toBe('warning');
    expect(phaseOf(t, T0 + 105_000, D)).toBe('danger');
    // At exactly zero a still-running timer is in danger; it is overtime once finished.
    expect(phaseOf(t, T0 + 120_000, D)).toBe('danger');
    expect(phaseOf({ ...t, state: 'finished', finishedAt: T0 + 120_000 }, T0 + 120_000, D)).toBe('overtime');
    expect(phaseOf(t, T0 + 120_001, D)).toBe('overtime');
  });

  it('per-timer thresholds override the room defaults', () => {
    const t = running(T0, { warnMs: 30_000, dangerMs: 5_000 });
    expect(thresholdsFor(t, D)).toEqual({ warnMs: 30_000, dangerMs: 5_000 });
    expect(thresholdsFor(makeTimer({ id: 'b' }), D)).toEqual(D);
    expect(phaseOf(t, T0 + 60_000, D)).toBe('normal');
    expect(phaseOf(t, T0 + 90_000, D)).toBe('warning');
    expect(phaseOf(t, T0 + 115_000, D)).toBe('danger');
  });

  it('a paused timer keeps the phase it froze in', () => {
    const t = makeTimer({ id: 'a', durationMs: 120_000, state: 'paused', pausedAt: T0, accumulatedMs: 100_000 });
    expect(phaseOf(t, T0 + 1_000_000, D)).toBe('warning');
  });

  it('an open-ended count-up is always normal', () => {
    const t = makeTimer({ id: 'a', mode: 'countup', durationMs: 0, state: 'running', startedAt: T0 });
    expect(phaseOf(t, T0 + 10 * MIN5, D)).toBe('normal');
  });
});

describe('finishAt / thresholdCrossings', () => {
  it('countdown finishes at start plus what is left of the total', () => {
    const t = makeTimer({
      id: 'a',
      durationMs: 60_000,
      adjustMs: 5_000,
      accumulatedMs: 20_000,
      state: 'running',
      startedAt: T0,
    });
    expect(finishAt(t)).toBe(T0 + 45_000);
  });

  it('only running timers finish; open count-ups never do', () => {
    expect(finishAt(makeTimer({ id: 'a' }))).toBeNull();
    expect(finishAt(makeTimer({ id: 'a', state: 'paused', pausedAt: T0 }))).toBeNull();
    expect(finishAt(makeTimer({ id: 'a', state: 'finished', startedAt: T0 }))).toBeNull();
    expect(
      finishAt(makeTimer({ id: 'a', mode: 'countup', durationMs: 0, state: 'running', startedAt: T0 })),
    ).toBeNull();
    expect(finishAt(makeTimer({ id: 'a', mode: 'countup', durationMs: 9_000, state: 'running', startedAt: T0 }))).toBe(
      T0 + 9_000,
    );
  });

  it('time-of-day finishes at its target plus adjustment', () => {
    const t = makeTimer({
      id: 'a',
      mode: 'time-of-day',
      targetTime: T0 + 99_000,
      adjustMs: 1_000,
      state: 'running',
      startedAt: T0,
    });
    expect(finishAt(t)).toBe(T0 + 100_000);
  });

  it('lists only future crossings', () => {
    const t = makeTimer({ id: 'a', durationMs: 120_000, state: 'running', startedAt: T0 });
    expect(thresholdCrossings(t, T0, D)).toEqual([T0 + 60_000, T0 + 105_000]);
    expect(thresholdCrossings(t, T0 + 60_000, D)).toEqual([T0 + 105_000]);
    expect(thresholdCrossings(t, T0 + 105_000, D)).toEqual([]);
    expect(thresholdCrossings(makeTimer({ id: 'b' }), T0, D)).toEqual([]);
  });

  it('the phase changes exactly at each crossing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.nat(5_000_000), fc.nat(5_000_000), (dur, a, b) => {
        const th = { warnMs: Math.max(a, b), dangerMs: Math.min(a, b) };
        const t = makeTimer({ id: 'a', durationMs: dur, state: 'running', startedAt: T0 });
        for (const at of thresholdCrossings(t, T0, th)) {
          expect(phaseOf(t, at - 1, th)).not.toBe(phaseOf(t, at, th));
        }
      }),
    );
  });
});
