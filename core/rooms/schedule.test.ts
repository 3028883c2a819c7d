import { describe, expect, it } from 'vitest';
import { T0, roomWith, run, runAll, timerIn } from './fixtures.ts';
import { computeSchedule } from './schedule.ts';
import type { RoomState } from './transition.ts';

const MIN = 60_000;

/** Three 10-minute cues (the second a buffer that may shrink to 4 minutes), the show planned at T0. */
function show(opts: { planned?: number | null } = {}): RoomState {
  const s = roomWith([
    { id: 'a', durationMs: 10 * MIN },
    { id: 'b', durationMs: 10 * MIN, buffer: { minDurationMs: 4 * MIN } },
    { id: 'c', durationMs: 10 * MIN },
  ]);
  const planned = opts.planned === undefined ? T0 : opts.planned;
  return { ...s, room: { ...s.room, plannedStart: planned } };
}

const cue = (s: RoomState, now: number, id: string) => {
  const c = computeSchedule(s, now).cues.find((x) => x.timerId === id);
  if (!c) throw new Error(`no cue ${id}`);
  return c;
};

describe('computeSchedule: the plan', () => {
  it('follows on from the room planned start; projections equal the plan before the show', () => {
    const sch = computeSchedule(show(), T0 - 5 * MIN);
    expect(sch.cues.map((c) => [c.plannedStart, c.plannedEnd])).toEqual([
      [T0, T0 + 10 * MIN],
      [T0 + 10 * MIN, T0 + 20 * MIN],
      [T0 + 20 * MIN, T0 + 30 * MIN],
    ]);
    expect(sch.cues.map((c) => c.projectedStart)).toEqual([T0, T0 + 10 * MIN, T0 + 20 * MIN]);
    expect(sch).toMatchObject({ plannedStart: T0, plannedEnd: T0 + 30 * MIN, projectedEnd: T0 + 30 * MIN });
    expect(sch.overUnderMs).toBe(0);
    expect(sch.liveOverUnderMs).toBeNull();
  });

  it('a fixed planned start restarts the chain and is never projected before its plan', () => {
    const s = show();
    const fixed = { ...s, timers: s.timers.map((t) => (t.id === 'c' ? { ...t, plannedStart: T0 + 25 * MIN } : t)) };
    const sch = computeSchedule(fixed, T0);
    expect(cue(fixed, T0, 'c')).toMatchObject({ plannedStart: T0 + 25 * MIN, projectedStart: T0 + 25 * MIN });
    expect(sch.plannedEnd).toBe(T0 + 35 * MIN);
  });

  it('without a planned start the plan anchors at the first actual start', () => {
    const s = show({ planned: null });
    expect(computeSchedule(s, T0).cues[0]?.plannedStart).toBeNull();
    expect(computeSchedule(s, T0).overUnderMs).toBe(0);
    const started = run(s, { type: 'start', timerId: 'a' }, T0 + 7 * MIN).state;
    const sch = computeSchedule(started, T0 + 8 * MIN);
    expect(sch.plannedStart).toBe(T0 + 7 * MIN);
    expect(sch.cues[1]?.plannedStart).toBe(T0 + 17 * MIN);
    expect(sch.overUnderMs).toBe(0);
  });

  it('a late start makes the show late by that much (starting before the plan: ahead)', () => {
    const late = computeSchedule(show(), T0 + 2 * MIN);
    expect(late.overUnderMs).toBe(2 * MIN);
    expect(late.cues[0]?.projectedStart).toBe(T0 + 2 * MIN);
    const started = run(show(), { type: 'start', timerId: 'a' }, T0 - MIN).state;
    expect(computeSchedule(started, T0).overUnderMs).toBe(-MIN);
  });
});

describe('computeSchedule: a running show', () => {
  it('on time is zero over/under; actual start is recorded', () => {
    const s = run(show(), { type: 'start', timerId: 'a' }, T0).state;
    expect(s.played.a).toEqual({ actualStart: T0, actualEnd: null, absorbedMs: 0 });
    const sch = computeSchedule(s, T0 + 4 * MIN);
    expect(sch.overUnderMs).toBe(0);
    expect(sch.liveOverUnderMs).toBe(0);
    expect(sch.cues[0]).toMatchObject({ actualStart: T0, actualEnd: null, projectedEnd: T0 + 10 * MIN });
  });

  it('an overrun grows with the clock and pushes the cues after it', () => {
    const s = run(show(), { type: 'start', timerId: 'a' }, T0).state;
    const now = T0 + 13 * MIN;
    const sch = computeSchedule(run(s, { type: 'tick' }, now).state, now);
    expect(sch.cues[0]?.projectedEnd).toBe(now);
    expect(sch.overUnderMs).toBe(3 * MIN);
    expect(sch.liveOverUnderMs).toBe(3 * MIN);
    expect(sch.cues[1]?.projectedStart).toBe(now);
    // The buffer absorbs the 3 minutes (10 → 7), so the last cue holds its plan.
    expect(sch.cues[1]?.absorbedMs).toBe(3 * MIN);
    expect(sch.cues[2]?.projectedStart).toBe(T0 + 20 * MIN);
    expect(sch.projectedEnd).toBe(T0 + 30 * MIN);
  });

  it('a paused cue projects its end at now plus what remains', () => {
    const s = runAll(show(), [
      [{ type: 'start', timerId: 'a' }, T0],
      [{ type: 'pause' }, T0 + 4 * MIN],
    ]);
    const sch = computeSchedule(s, T0 + 6 * MIN);
    expect(sch.cues[0]?.projectedEnd).toBe(T0 + 12 * MIN);
    expect(sch.overUnderMs).toBe(2 * MIN);
  });

  it('next records the actual end, and the buffer shrinks by the delay when it starts', () => {
    const s = runAll(show(), [
      [{ type: 'start', timerId: 'a' }, T0],
      [{ type: 'next' }, T0 + 13 * MIN],
    ]);
    expect(s.played.a).toEqual({ actualStart: T0, actualEnd: T0 + 13 * MIN, absorbedMs: 0 });
    expect(s.played.b).toEqual({ actualStart: T0 + 13 * MIN, actualEnd: null, absorbedMs: 3 * MIN });
    expect(timerIn(s, 'b').adjustMs).toBe(-3 * MIN);
    const sch = computeSchedule(s, T0 + 14 * MIN);
    expect(sch.cues[1]?.projectedEnd).toBe(T0 + 20 * MIN);
    expect(sch.cues[2]?.projectedStart).toBe(T0 + 20 * MIN);
    expect(sch.overUnderMs).toBe(0);
    expect(sch.projectedEnd).toBe(T0 + 30 * MIN);
  });

  it('a buffer never shrinks below its minimum; the rest of the drift carries on', () => {
    const s = runAll(show(), [
      [{ type: 'start', timerId: 'a' }, T0],
      [{ type: 'next' }, T0 + 19 * MIN],
    ]);
    expect(s.played.b?.absorbedMs).toBe(6 * MIN);
    expect(timerIn(s, 'b').durationMs + timerIn(s, 'b').adjustMs).toBe(4 * MIN);
    const sch = computeSchedule(s, T0 + 19 * MIN);
    expect(sch.overUnderMs).toBe(3 * MIN);
    expect(sch.projectedEnd).toBe(T0 + 33 * MIN);
  });

  it('reset drops the record; delete drops it too', () => {
    const s = run(show(), { type: 'start', timerId: 'a' }, T0).state;
    const reset = run(s, { type: 'reset', timerId: 'a' }, T0 + MIN);
    expect(reset.state.played).toEqual({});
    expect(reset.events).toContainEqual({ type: 'schedule-update', played: {} });
    const deleted = run(s, { type: 'delete-timer', timerId: 'a' }, T0 + MIN).state;
    expect(deleted.played).toEqual({});
  });

  it('a linked handover ends the cue at its finish and starts the next there', () => {
    const s0 = show();
    const linked = { ...s0, timers: s0.timers.map((t) => (t.id === 'b' ? { ...t, trigger: 'linked' as const } : t)) };
    const s = runAll(linked, [
      [{ type: 'start', timerId: 'a' }, T0 + MIN],
      [{ type: 'tick' }, T0 + 12 * MIN],
    ]);
    expect(s.played.a?.actualEnd).toBe(T0 + 11 * MIN);
    expect(s.played.b).toEqual({ actualStart: T0 + 11 * MIN, actualEnd: null, absorbedMs: MIN });
    expect(computeSchedule(s, T0 + 12 * MIN).cues[2]?.projectedStart).toBe(T0 + 20 * MIN);
  });

  it('starting another cue ends the one left paused; resuming it reopens it', () => {
    const s = runAll(show(), [
      [{ type: 'start', timerId: 'a' }, T0],
      [{ type: 'start', timerId: 'c' }, T0 + 2 * MIN],
    ]);
    expect(s.played.a?.actualEnd).toBe(T0 + 2 * MIN);
    const back = run(s, { type: 'resume', timerId: 'a' }, T0 + 3 * MIN).state;
    expect(back.played.a?.actualEnd).toBeNull();
    expect(back.played.c?.actualEnd).toBe(T0 + 3 * MIN);
  });

  it('the show over: over/under is the last cue end against its plan', () => {
    const s = runAll(show(), [
      [{ type: 'start', timerId: 'a' }, T0],
      [{ type: 'next' }, T0 + 10 * MIN],
      [{ type: 'next' }, T0 + 20 * MIN],
      [{ type: 'pause' }, T0 + 31 * MIN],
    ]);
    // Pausing a cue in overtime stops it: that is its actual end.
    expect(s.played.c?.actualEnd).toBe(T0 + 31 * MIN);
    const sch = computeSchedule(s, T0 + 40 * MIN);
    expect(sch.overUnderMs).toBe(MIN);
    expect(sch.projectedEnd).toBe(T0 + 31 * MIN);
    expect(sch.liveOverUnderMs).toBeNull();
    expect(sch.cues.map((c) => c.actualStart)).toEqual([T0, T0 + 10 * MIN, T0 + 20 * MIN]);
  });

  it('an empty room has an empty schedule', () => {
    const sch = computeSchedule(roomWith([]), T0);
    expect(sch).toEqual({
      plannedStart: null,
      plannedEnd: null,
      projectedEnd: null,
      overUnderMs: 0,
      liveOverUnderMs: null,
      cues: [],
    });
  });
});
