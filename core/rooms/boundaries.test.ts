import { describe, expect, it } from 'vitest';
import { T0, createCmd, roomWith, run, runAll, timerIn } from './fixtures.ts';
import { type RoomState, anyRunning, nextBoundary, settle } from './transition.ts';
import { finishAt, remainingMs } from './timer.ts';

const MIN = 60_000;

/** Three linked countdowns after a manual first: a (1 min) → b (2 min) → c (3 min) → d (4 min). */
function chain(): RoomState {
  return roomWith([
    { id: 'a', durationMs: 1 * MIN },
    { id: 'b', durationMs: 2 * MIN, trigger: 'linked' },
    { id: 'c', durationMs: 3 * MIN, trigger: 'linked' },
    { id: 'd', durationMs: 4 * MIN, trigger: 'linked' },
  ]);
}

describe('linked chain', () => {
  it('a single tick far in the future hands over at each exact finish instant', () => {
    const started = run(chain(), { type: 'start' }, T0).state;
    const r = run(started, { type: 'tick' }, T0 + 24 * 3_600_000);
    const finished = r.events.filter((e) => e.type === 'timer-finished');
    expect(finished).toEqual([
      { type: 'timer-finished', timerId: 'a', finishedAt: T0 + 1 * MIN },
      { type: 'timer-finished', timerId: 'b', finishedAt: T0 + 3 * MIN },
      { type: 'timer-finished', timerId: 'c', finishedAt: T0 + 6 * MIN },
      { type: 'timer-finished', timerId: 'd', finishedAt: T0 + 10 * MIN },
    ]);
    const s = r.state;
    // Each next timer started at exactly the previous finish; the frozen ones read 0:00, not overtime.
    expect(timerIn(s, 'b').finishedAt).toBe(T0 + 3 * MIN);
    for (const id of ['a', 'b', 'c']) {
      expect(timerIn(s, id)).toMatchObject({ state: 'finished', startedAt: null });
      expect(remainingMs(timerIn(s, id), T0 + 48 * 3_600_000)).toBe(0);
    }
    // The last has nobody to hand over to, so it keeps counting overtime.
    expect(timerIn(s, 'd')).toMatchObject({ state: 'finished', startedAt: T0 + 6 * MIN, finishedAt: T0 + 10 * MIN });
    expect(remainingMs(timerIn(s, 'd'), T0 + 11 * MIN)).toBe(-MIN);
    expect(s.room.activeTimerId).toBe('d');
    expect(r.state.version).toBe(started.version + 1);
  });

  it('ticks in between see each handover with startedAt equal to the previous finish', () => {
    let s = run(chain(), { type: 'start' }, T0).state;
    s = run(s, { type: 'tick' }, T0 + 1 * MIN + 17).state;
    expect(timerIn(s, 'b')).toMatchObject({ state: 'running', startedAt: T0 + 1 * MIN });
    s = run(s, { type: 'tick' }, T0 + 3 * MIN + 999).state;
    expect(timerIn(s, 'c')).toMatchObject({ state: 'running', startedAt: T0 + 3 * MIN });
    expect(finishAt(timerIn(s, 'c'))).toBe(T0 + 6 * MIN);
  });

  it('a command arriving after a missed finish settles the chain first', () => {
    const s = run(chain(), { type: 'start' }, T0).state;
    const r = run(s, { type: 'pause' }, T0 + 2 * MIN);
    expect(timerIn(r.state, 'a').finishedAt).toBe(T0 + MIN);
    expect(timerIn(r.state, 'b')).toMatchObject({ state: 'paused', accumulatedMs: MIN, pausedAt: T0 + 2 * MIN });
  });

  it('a paused or adjusted chain shifts every later handover by the same amount', () => {
    const s = runAll(chain(), [
      [{ type: 'start' }, T0],
      [{ type: 'pause' }, T0 + 10_000],
      [{ type: 'resume' }, T0 + 40_000],
      [{ type: 'adjust', deltaMs: 5_000 }, T0 + 50_000],
    ]);
    const r = run(s, { type: 'tick' }, T0 + 3_600_000);
    expect(
      r.events.filter((e) => e.type === 'timer-finished').map((e) => 'finishedAt' in e && e.finishedAt - T0),
    ).toEqual([95_000, 95_000 + 2 * MIN, 95_000 + 5 * MIN, 95_000 + 9 * MIN]);
  });

  it('does not chain from a timer that is not the active one', () => {
    const s = runAll(chain(), [
      [{ type: 'start' }, T0],
      [{ type: 'select', timerId: 'c' }, T0 + 1_000],
    ]);
    const r = run(s, { type: 'tick' }, T0 + 2 * MIN);
    expect(timerIn(r.state, 'a')).toMatchObject({ state: 'finished', startedAt: T0 });
    expect(timerIn(r.state, 'b').state).toBe('idle');
  });

  it('a manual timer after the chain is not started', () => {
    const s = roomWith([
      { id: 'a', durationMs: MIN },
      { id: 'b', durationMs: MIN },
    ]);
    const r = run(run(s, { type: 'start' }, T0).state, { type: 'tick' }, T0 + 5 * MIN);
    expect(timerIn(r.state, 'b').state).toBe('idle');
    expect(remainingMs(timerIn(r.state, 'a'), T0 + 5 * MIN)).toBe(-4 * MIN);
  });

  it('a linked timer keeps time added in advance', () => {
    const s = runAll(chain(), [
      [{ type: 'adjust', timerId: 'b', deltaMs: 30_000 }, T0],
      [{ type: 'start', timerId: 'a' }, T0],
    ]);
    const b = timerIn(run(s, { type: 'tick' }, T0 + MIN).state, 'b');
    expect(b).toMatchObject({ state: 'running', startedAt: T0 + MIN, adjustMs: 30_000 });
    expect(finishAt(b)).toBe(T0 + 3 * MIN + 30_000);
  });
});

describe('scheduled start', () => {
  const sched = () =>
    roomWith([
      { id: 'm', durationMs: 10 * MIN },
      { id: 's', durationMs: 2 * MIN, trigger: 'scheduled', startAt: T0 + 5 * MIN },
    ]);

  it('starts at startAt exactly, even when the tick is late, and pauses whatever ran', () => {
    const s = run(sched(), { type: 'start', timerId: 'm' }, T0).state;
    const r = run(s, { type: 'tick' }, T0 + 5 * MIN + 4_321);
    expect(timerIn(r.state, 's')).toMatchObject({ state: 'running', startedAt: T0 + 5 * MIN });
    expect(timerIn(r.state, 'm')).toMatchObject({ state: 'paused', pausedAt: T0 + 5 * MIN, accumulatedMs: 5 * MIN });
    expect(r.state.room.activeTimerId).toBe('s');
  });

  it('start and finish both land in one late tick, in time order', () => {
    const r = run(sched(), { type: 'tick' }, T0 + 60 * MIN);
    expect(r.events.filter((e) => e.type === 'timer-finished')).toEqual([
      { type: 'timer-finished', timerId: 's', finishedAt: T0 + 7 * MIN },
    ]);
  });

  it('does not start again after a reset once its moment has passed', () => {
    let s = run(sched(), { type: 'tick' }, T0 + 6 * MIN).state;
    s = run(s, { type: 'reset', timerId: 's' }, T0 + 6 * MIN + 1).state;
    expect(timerIn(s, 's').state).toBe('idle');
    expect(timerIn(run(s, { type: 'tick' }, T0 + 9 * MIN).state, 's').state).toBe('idle');
    expect(nextBoundary(s, T0 + 6 * MIN + 1)).toBeNull();
  });

  it('a timer created with a start in the past waits for a manual start', () => {
    const r = run(roomWith(), createCmd('late', 'countdown', { trigger: 'scheduled', startAt: T0 - 1 }), T0);
    expect(timerIn(r.state, 'late').state).toBe('idle');
    expect(nextBoundary(r.state, T0)).toBeNull();
  });

  it('rescheduling into the future arms it again', () => {
    let s = run(sched(), { type: 'tick' }, T0 + 6 * MIN).state;
    s = runAll(s, [
      [{ type: 'reset', timerId: 's' }, T0 + 8 * MIN],
      [{ type: 'update-timer', timerId: 's', patch: { startAt: T0 + 20 * MIN } }, T0 + 8 * MIN],
    ]);
    expect(nextBoundary(s, T0 + 8 * MIN)).toBe(T0 + 20 * MIN);
    expect(timerIn(run(s, { type: 'tick' }, T0 + 20 * MIN).state, 's').startedAt).toBe(T0 + 20 * MIN);
  });
});

describe('finishes never land before their own start', () => {
  it('a time-of-day timer started after its target finishes at its start, and hands over then', () => {
    const s = roomWith([
      { id: 'late', mode: 'time-of-day', durationMs: 0, targetTime: T0, trigger: 'scheduled', startAt: T0 + MIN },
      { id: 'next', durationMs: MIN, trigger: 'linked' },
    ]);
    const r = run(s, { type: 'tick' }, T0 + 90_000);
    expect(r.events.filter((e) => e.type === 'timer-finished')).toEqual([
      { type: 'timer-finished', timerId: 'late', finishedAt: T0 + MIN },
    ]);
    expect(timerIn(r.state, 'next')).toMatchObject({ state: 'running', startedAt: T0 + MIN });
    expect(remainingMs(timerIn(r.state, 'next'), T0 + 90_000)).toBe(30_000);
  });

  it('a linked timer cut below zero in advance finishes at the handover instant', () => {
    const s = runAll(chain(), [
      [{ type: 'adjust', timerId: 'b', deltaMs: -3 * MIN }, T0],
      [{ type: 'start', timerId: 'a' }, T0],
    ]);
    const r = run(s, { type: 'tick' }, T0 + 2 * MIN);
    expect(r.events.filter((e) => e.type === 'timer-finished')).toEqual([
      { type: 'timer-finished', timerId: 'a', finishedAt: T0 + MIN },
      { type: 'timer-finished', timerId: 'b', finishedAt: T0 + MIN },
    ]);
    expect(timerIn(r.state, 'c').startedAt).toBe(T0 + MIN);
  });
});

describe('nextBoundary', () => {
  it('is null when nothing will change by itself', () => {
    expect(nextBoundary(roomWith([{ id: 'a' }]), T0)).toBeNull();
    const paused = runAll(roomWith([{ id: 'a' }]), [
      [{ type: 'start' }, T0],
      [{ type: 'pause' }, T0 + 1],
    ]);
    expect(nextBoundary(paused, T0 + 2)).toBeNull();
    const overtime = run(
      run(roomWith([{ id: 'a', durationMs: MIN }]), { type: 'start' }, T0).state,
      { type: 'tick' },
      T0 + MIN,
    ).state;
    expect(overtime.timers[0]?.state).toBe('finished');
    expect(anyRunning(overtime)).toBe(true);
    expect(nextBoundary(overtime, T0 + MIN)).toBeNull();
  });

  it('returns the earliest of finish, threshold crossings and scheduled starts', () => {
    const s = run(
      roomWith([
        { id: 'a', durationMs: 2 * MIN },
        { id: 's', trigger: 'scheduled', startAt: T0 + 90_000 },
      ]),
      { type: 'start' },
      T0,
    ).state;
    // a: warning at 60 s (default 60 s threshold), danger at 105 s, finish at 120 s; s starts at 90 s.
    expect(nextBoundary(s, T0)).toBe(T0 + 60_000);
    expect(nextBoundary(s, T0 + 60_000)).toBe(T0 + 90_000);
    const noWarn = run(s, { type: 'update-timer', timerId: 'a', patch: { warnMs: 0, dangerMs: 0 } }, T0).state;
    expect(nextBoundary(noWarn, T0)).toBe(T0 + 90_000);
  });

  it('walking boundary to boundary always moves strictly forward and announces each phase once', () => {
    let s = run(chain(), { type: 'start' }, T0).state;
    let now = T0;
    const seen: string[] = [];
    for (let i = 0; i < 50; i++) {
      const b = nextBoundary(s, now);
      if (b === null) break;
      expect(b).toBeGreaterThan(now);
      now = b;
      const r = run(s, { type: 'tick' }, now);
      for (const e of r.events)
        if (e.type === 'timer-phase' || e.type === 'timer-finished')
          seen.push(`${e.type === 'timer-phase' ? e.phase : 'finished'}:${e.timerId}@${(now - T0) / 1000}`);
      s = r.state;
    }
    expect(nextBoundary(s, now)).toBeNull();
    expect(seen).toEqual([
      // a is 60 s long: already in warning at its start, which announces nothing.
      'danger:a@45',
      'finished:a@60',
      'warning:b@120',
      'danger:b@165',
      'finished:b@180',
      'warning:c@300',
      'danger:c@345',
      'finished:c@360',
      'warning:d@540',
      'danger:d@585',
      'finished:d@600',
      'overtime:d@600',
    ]);
  });

  it('settle is idempotent at a boundary', () => {
    const s = run(chain(), { type: 'start' }, T0).state;
    const once = settle(s, T0 + 3 * MIN);
    const twice = settle(once.state, T0 + 3 * MIN);
    expect(twice.events).toEqual([]);
    expect(twice.state).toEqual(once.state);
  });
});
