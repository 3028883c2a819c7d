import { describe, expect, it } from 'vitest';
import { CHIME_LATE_MS, chimeInstants, chimesFor, upcomingChimes } from './chimes.ts';
import { T0 } from './fixtures.ts';
import { makeTimer } from './timer.ts';

const ALL = { warning: true, danger: true, zero: true };
const ZERO_ONLY = { warning: false, danger: false, zero: true };
const room = (chimes = ALL) => ({ warnMs: 60_000, dangerMs: 15_000, chimes });
const MIN5 = 5 * 60_000;

/** A 5-minute countdown started at T0. */
const running = (extra = {}) => makeTimer({ id: 'a', durationMs: MIN5, state: 'running', startedAt: T0, ...extra });

describe('chimeInstants', () => {
  it('a running countdown chimes at warning, danger and zero, in order', () => {
    expect(chimeInstants(running(), room())).toEqual([
      { kind: 'warning', at: T0 + MIN5 - 60_000 },
      { kind: 'danger', at: T0 + MIN5 - 15_000 },
      { kind: 'zero', at: T0 + MIN5 },
    ]);
  });

  it('follows the room default (zero only unless the owner asks)', () => {
    expect(chimeInstants(running(), room(ZERO_ONLY))).toEqual([{ kind: 'zero', at: T0 + MIN5 }]);
  });

  it('the per-timer override wins over the room, both ways', () => {
    const quiet = running({ chimes: { warning: true, danger: false, zero: false } });
    expect(chimeInstants(quiet, room(ALL))).toEqual([{ kind: 'warning', at: T0 + MIN5 - 60_000 }]);
    const loud = running({ chimes: ALL });
    expect(chimeInstants(loud, room(ZERO_ONLY)).map((c) => c.kind)).toEqual(['warning', 'danger', 'zero']);
    expect(chimesFor(loud, room(ZERO_ONLY))).toEqual(ALL);
    expect(chimesFor(running(), room(ZERO_ONLY))).toEqual(ZERO_ONLY);
  });

  it('uses the timer’s own thresholds when it has them', () => {
    const t = running({ warnMs: 120_000, dangerMs: 30_000 });
    expect(chimeInstants(t, room()).map((c) => c.at - T0)).toEqual([MIN5 - 120_000, MIN5 - 30_000, MIN5]);
  });

  it('moves with adjustments and resumed segments', () => {
    const t = running({ adjustMs: 30_000, accumulatedMs: 10_000, startedAt: T0 + 50_000 });
    // remaining at the segment start: 300 + 30 - 10 = 320 s
    expect(chimeInstants(t, room(ZERO_ONLY))).toEqual([{ kind: 'zero', at: T0 + 50_000 + 320_000 }]);
  });

  it('nothing for an idle, paused or finished timer, or a count-up without a duration', () => {
    expect(chimeInstants(makeTimer({ id: 'a' }), room())).toEqual([]);
    expect(chimeInstants(running({ state: 'paused', pausedAt: T0 + 5 }), room())).toEqual([]);
    expect(chimeInstants(running({ state: 'finished', finishedAt: T0 + MIN5 }), room())).toEqual([]);
    expect(chimeInstants(running({ mode: 'countup', durationMs: 0 }), room())).toEqual([]);
  });

  it('a count-up with a duration chimes as it reaches its length', () => {
    const t = running({ mode: 'countup', durationMs: 20_000 });
    expect(chimeInstants(t, room())).toEqual([
      { kind: 'danger', at: T0 + 5_000 },
      { kind: 'zero', at: T0 + 20_000 },
    ]);
  });

  it('a time-of-day timer chimes toward its target', () => {
    const t = running({ mode: 'time-of-day', durationMs: 0, targetTime: T0 + 600_000, adjustMs: -60_000 });
    expect(chimeInstants(t, room()).map((c) => c.at - T0)).toEqual([480_000, 525_000, 540_000]);
  });

  it('a threshold already crossed when the segment started does not chime', () => {
    // 40 s countdown: starts inside its 60 s warning, crosses danger at 25 s.
    const t = running({ durationMs: 40_000 });
    expect(chimeInstants(t, room())).toEqual([
      { kind: 'danger', at: T0 + 25_000 },
      { kind: 'zero', at: T0 + 40_000 },
    ]);
  });

  it('crossings at the same instant chime once, as the more severe', () => {
    expect(chimeInstants(running({ warnMs: 15_000 }), room()).map((c) => c.kind)).toEqual(['danger', 'zero']);
    // A zero danger threshold is not a separate cue.
    expect(chimeInstants(running({ dangerMs: 0 }), room()).map((c) => c.kind)).toEqual(['warning', 'zero']);
  });
});

describe('upcomingChimes', () => {
  const t = running();
  it('drops what is past by more than the late tolerance, keeps a slightly late one', () => {
    const danger = T0 + MIN5 - 15_000;
    expect(upcomingChimes(t, room(), danger + CHIME_LATE_MS).map((c) => c.kind)).toEqual(['danger', 'zero']);
    expect(upcomingChimes(t, room(), danger + CHIME_LATE_MS + 1).map((c) => c.kind)).toEqual(['zero']);
    expect(upcomingChimes(t, room(), T0 + MIN5 + 1_000)).toEqual([]);
  });

  it('a viewer joining late hears only what is still ahead', () => {
    expect(upcomingChimes(t, room(), T0 + MIN5 - 30_000).map((c) => c.kind)).toEqual(['danger', 'zero']);
  });

  it('looks no further ahead than the horizon', () => {
    expect(upcomingChimes(t, room(), T0, { horizonMs: MIN5 - 20_000 }).map((c) => c.kind)).toEqual(['warning']);
    expect(upcomingChimes(t, room(), T0, { horizonMs: 1_000 })).toEqual([]);
  });
});
