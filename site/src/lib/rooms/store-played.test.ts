import { describe, expect, it } from 'vitest';
import { makeTimer } from '../../../../core/rooms/timer.ts';
import { parseServerMessage, type ServerMessage } from './messages.ts';
import { RoomStore } from './store.ts';

const room = {
  id: 'r1',
  name: 'Room',
  createdAt: 0,
  warnMs: 60_000,
  dangerMs: 15_000,
  activeTimerId: 't1',
  plannedStart: 0,
  timeZone: 'UTC',
  chimes: { warning: false, danger: false, zero: true },
};
const rec = (actualStart: number) => ({ actualStart, actualEnd: null, absorbedMs: 0 });
const state = (played: Record<string, ReturnType<typeof rec>>): ServerMessage => ({
  type: 'room-state',
  room,
  timers: [makeTimer({ id: 't1', order: 0 }), makeTimer({ id: 't2', order: 1 })],
  message: null,
  version: 3,
  serverTime: 1_000,
  role: 'viewer',
  viewers: 1,
  controllers: 0,
  played,
});
const stamp = (version: number) => ({ version, serverTime: 2_000 });

describe('RoomStore: played (the schedule input)', () => {
  it('takes played from the snapshot and schedule-update, and drops records with their timers', () => {
    const store = new RoomStore({ send: () => true });
    store.apply(state({ t1: rec(100) }));
    expect(store.state.played).toEqual({ t1: rec(100) });
    store.apply({ type: 'schedule-update', played: { t1: rec(100), t2: rec(200) }, ...stamp(4) });
    expect(store.state.played).toEqual({ t1: rec(100), t2: rec(200) });
    store.apply({ type: 'timer-deleted', timerId: 't1', ...stamp(5) });
    expect(store.state.played).toEqual({ t2: rec(200) });
    store.apply({ type: 'rundown-replaced', timers: [makeTimer({ id: 't3' })], ...stamp(6) });
    expect(store.state.played).toEqual({});
  });

  it('a snapshot without played (an older server) reads as nothing played', () => {
    const store = new RoomStore({ send: () => true });
    const { played: _p, ...old } = state({}) as ServerMessage & { played?: unknown };
    store.apply(old as ServerMessage);
    expect(store.state.played).toEqual({});
  });

  it('the guards accept schedule-update and refuse a malformed one', () => {
    const ok = { type: 'schedule-update', played: { t1: rec(5) }, ...stamp(1) };
    expect(parseServerMessage(JSON.stringify(ok))).toEqual(ok);
    const bad = { type: 'schedule-update', played: { t1: { actualStart: 'soon' } }, ...stamp(1) };
    expect(parseServerMessage(JSON.stringify(bad))).toBeNull();
    const badState = { ...state({}), played: { t1: { actualStart: 1 } } };
    expect(parseServerMessage(JSON.stringify(badState))).toBeNull();
  });
});
