import { describe, expect, it } from 'vitest';
import { T0, roomWith, run } from './fixtures.ts';
import { MAX_TIMERS, type RoomCommand, type TimerFields, transition } from './transition.ts';

const fields = (id: string, extra: Partial<TimerFields> = {}): TimerFields & { id: string } => ({
  id,
  label: id,
  durationMs: 60_000,
  mode: 'countdown',
  targetTime: null,
  trigger: 'manual',
  startAt: null,
  warnMs: null,
  dangerMs: null,
  plannedStart: null,
  notes: `notes ${id}`,
  buffer: null,
  chimes: null,
  ...extra,
});
const importing = (mode: 'replace' | 'append', ids: string[]): RoomCommand => ({
  type: 'import-rundown',
  mode,
  timers: ids.map((id) => fields(id)),
});

describe('import-rundown', () => {
  it('replace drops every timer, stops the running one and makes the first new timer active', () => {
    const started = run(roomWith([{ id: 'old1' }, { id: 'old2' }]), { type: 'start', timerId: 'old2' }, T0).state;
    const r = run(started, importing('replace', ['a', 'b', 'c']), T0 + 1_000);
    expect(r.state.timers.map((t) => [t.id, t.order, t.state, t.notes])).toEqual([
      ['a', 0, 'idle', 'notes a'],
      ['b', 1, 'idle', 'notes b'],
      ['c', 2, 'idle', 'notes c'],
    ]);
    expect(r.state.room.activeTimerId).toBe('a');
    expect(r.state.phases).toEqual({});
    expect(r.state.version).toBe(started.version + 1);
    expect(r.events).toEqual([
      { type: 'rundown-replaced', timers: r.state.timers },
      { type: 'room-update', room: r.state.room },
    ]);
  });

  it('append adds after the last timer and keeps the active one', () => {
    const room = roomWith([{ id: 'x' }, { id: 'y' }], { active: 'y' });
    const r = run(room, importing('append', ['a', 'b']), T0);
    expect(r.state.timers.map((t) => [t.id, t.order])).toEqual([
      ['x', 0],
      ['y', 1],
      ['a', 2],
      ['b', 3],
    ]);
    expect(r.state.room.activeTimerId).toBe('y');
    expect(r.events).toEqual([{ type: 'rundown-replaced', timers: r.state.timers }]);
    // An empty room's first imported timer becomes active.
    expect(run(roomWith([], { active: null }), importing('append', ['a']), T0).state.room.activeTimerId).toBe('a');
  });

  it('is all or nothing: one bad definition, a duplicate id or the cap refuses the whole import', () => {
    const room = roomWith([{ id: 'x' }]);
    const bad: RoomCommand = {
      type: 'import-rundown',
      mode: 'replace',
      timers: [fields('a'), fields('b', { trigger: 'scheduled', startAt: null })],
    };
    expect(transition(room, bad, T0)).toEqual({
      rejected: 'invalid_timer',
      message: 'Timer 2: A scheduled timer needs startAt',
    });
    expect(transition(room, importing('append', ['a', 'x']), T0)).toMatchObject({ rejected: 'invalid_timer' });
    expect(transition(room, importing('append', []), T0)).toMatchObject({ rejected: 'invalid_timer' });
    const ids = Array.from({ length: MAX_TIMERS }, (_, i) => `n${i}`);
    expect(transition(room, importing('append', ids), T0)).toMatchObject({
      rejected: 'too_many_timers',
      message: expect.stringMatching(/would make 501/),
    });
    // Replacing with exactly the cap fits.
    expect(run(room, importing('replace', ids), T0).state.timers).toHaveLength(MAX_TIMERS);
  });
});
