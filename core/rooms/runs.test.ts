import { describe, expect, it } from 'vitest';
import { T0, roomWith, run } from './fixtures.ts';
import { type OpenRuns, trackRuns } from './runs.ts';
import type { RoomCommand, RoomState } from './transition.ts';

const MIN = 60_000;
const actor = { id: 'u1', role: 'owner' as const };

/** Runs `cmd` at `now` and tracks the runs it opened, changed or closed. */
function step(s: RoomState, open: OpenRuns, cmd: RoomCommand, now: number) {
  const next = run(s, cmd, now).state;
  const r = trackRuns(open, s, next, actor, now);
  return { state: next, open: r.open, changed: r.changed };
}

describe('runs: planned vs actual', () => {
  const planned = (): RoomState => {
    const s = roomWith([
      { id: 'a', durationMs: 10 * MIN },
      { id: 'b', durationMs: 5 * MIN },
    ]);
    return { ...s, room: { ...s.room, plannedStart: T0 } };
  };

  it('a run carries its planned start and how far it ended after its planned end', () => {
    const started = step(planned(), {}, { type: 'start', timerId: 'a' }, T0 + 2 * MIN);
    expect(started.changed[0]).toMatchObject({ timerId: 'a', plannedStart: T0, overUnderMs: 2 * MIN });
    const next = step(started.state, started.open, { type: 'next' }, T0 + 13 * MIN);
    const a = next.changed.find((r) => r.timerId === 'a');
    expect(a).toMatchObject({ status: 'ended', endedAt: T0 + 13 * MIN, plannedStart: T0, overUnderMs: 3 * MIN });
    const b = next.changed.find((r) => r.timerId === 'b');
    expect(b).toMatchObject({ status: 'running', plannedStart: T0 + 10 * MIN, overUnderMs: 3 * MIN });
  });

  it('without a plan the first start anchors it: on time', () => {
    const s = roomWith([{ id: 'a', durationMs: 10 * MIN }]);
    const started = step(s, {}, { type: 'start', timerId: 'a' }, T0 + 5 * MIN);
    expect(started.changed[0]).toMatchObject({ plannedStart: T0 + 5 * MIN, overUnderMs: 0 });
  });

  it('a deleted timer keeps the figures of the schedule it left', () => {
    const started = step(planned(), {}, { type: 'start', timerId: 'a' }, T0);
    const gone = step(started.state, started.open, { type: 'delete-timer', timerId: 'a' }, T0 + 4 * MIN);
    expect(gone.changed[0]).toMatchObject({ endReason: 'deleted', plannedStart: T0, overUnderMs: -6 * MIN });
  });
});
