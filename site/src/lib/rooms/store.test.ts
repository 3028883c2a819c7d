import { describe, expect, it } from 'vitest';
import { makeTimer } from '../../../../core/rooms/timer.ts';
import type { ServerMessage, Snapshot } from './messages.ts';
import { RoomStore } from './store.ts';

const room = {
  id: 'r1',
  name: 'Room',
  ownerId: 'u1',
  createdAt: 0,
  warnMs: 60_000,
  dangerMs: 15_000,
  activeTimerId: 't1',
  plannedStart: null,
  timeZone: 'UTC',
  chimes: { warning: false, danger: false, zero: true },
};
const snap = (version: number, extra: Partial<Snapshot> = {}): ServerMessage => ({
  type: 'room-state',
  room,
  timers: [makeTimer({ id: 't1', label: 'One' })],
  message: null,
  version,
  serverTime: 1_000,
  role: 'controller',
  viewers: 1,
  controllers: 1,
  ...extra,
});
const stamp = (version: number) => ({ version, serverTime: 2_000 });

function harness() {
  const sent: Record<string, unknown>[] = [];
  let open = true;
  const store = new RoomStore({ send: (m) => (open ? (sent.push(m as Record<string, unknown>), true) : false) });
  return { store, sent, setOpen: (o: boolean) => (open = o) };
}

describe('RoomStore', () => {
  it('applies events in order and ignores stale ones', () => {
    const { store, sent } = harness();
    store.apply(snap(3));
    store.apply({ type: 'timer-update', timer: makeTimer({ id: 't1', label: 'Renamed' }), ...stamp(4) });
    // A second event of the same change shares its version.
    store.apply({
      type: 'message',
      message: { text: 'hi', flash: false, blackout: false, target: 'all' },
      ...stamp(4),
    });
    store.apply({ type: 'timer-update', timer: makeTimer({ id: 't1', label: 'Stale' }), ...stamp(2) });
    expect(store.state.version).toBe(4);
    expect(store.state.timers[0]?.label).toBe('Renamed');
    expect(store.state.message?.text).toBe('hi');
    expect(sent).toEqual([]);
  });

  it('asks for one snapshot on a version gap and skips the gapped event', () => {
    const { store, sent } = harness();
    store.apply(snap(3));
    store.apply({ type: 'timer-deleted', timerId: 't1', ...stamp(6) });
    store.apply({ type: 'timer-deleted', timerId: 't1', ...stamp(7) });
    expect(sent).toEqual([{ type: 'request-sync' }]);
    expect(store.state.timers).toHaveLength(1);
    store.apply(snap(7, { timers: [] }));
    expect(store.state.timers).toHaveLength(0);
    store.apply({ type: 'timer-created', timer: makeTimer({ id: 't2' }), ...stamp(9) });
    expect(sent).toEqual([{ type: 'request-sync' }, { type: 'request-sync' }]);
  });

  it('treats presence from a newer version as a gap', () => {
    const { store, sent } = harness();
    store.apply(snap(3));
    store.apply({ type: 'user-count', viewers: 4, controllers: 1, ...stamp(3) });
    expect(sent).toEqual([]);
    store.apply({ type: 'user-count', viewers: 5, controllers: 1, ...stamp(4) });
    expect(store.state.viewers).toBe(5);
    expect(sent).toEqual([{ type: 'request-sync' }]);
  });

  it('reorders timers from timers-reordered', () => {
    const { store } = harness();
    store.apply(snap(1, { timers: [makeTimer({ id: 'a', order: 0 }), makeTimer({ id: 'b', order: 1 })] }));
    store.apply({ type: 'timers-reordered', timerIds: ['b', 'a'], ...stamp(2) });
    expect(store.state.timers.map((t) => t.id)).toEqual(['b', 'a']);
  });

  it('replaces the whole list from rundown-replaced (an import), in order', () => {
    const { store } = harness();
    store.apply(snap(1, { timers: [makeTimer({ id: 'old', order: 0 })] }));
    const imported = [makeTimer({ id: 'y', order: 1, notes: 'second' }), makeTimer({ id: 'x', order: 0 })];
    store.apply({ type: 'rundown-replaced', timers: imported, ...stamp(2) });
    expect(store.state.timers.map((t) => [t.id, t.notes])).toEqual([
      ['x', ''],
      ['y', 'second'],
    ]);
    expect(store.state.version).toBe(2);
  });

  it('resolves commands by id and resends unanswered ones with the same id after a reconnect', async () => {
    const { store, sent, setOpen } = harness();
    store.apply(snap(1));
    setOpen(false);
    const answer = store.command({ type: 'start', timerId: 't1' });
    expect(sent).toEqual([]);
    setOpen(true);
    store.reconnected();
    store.reconnected();
    const frames = sent.filter((m) => m.type === 'command');
    expect(frames).toHaveLength(2);
    expect(frames[0]?.id).toBe(frames[1]?.id);
    store.apply({ type: 'ack', id: frames[0]?.id as string, version: 2 });
    await expect(answer).resolves.toEqual({ ok: true, version: 2 });
    store.reconnected();
    expect(sent.filter((m) => m.type === 'command')).toHaveLength(2);
  });

  it('passes a refusal back to the caller', async () => {
    const { store, sent } = harness();
    store.apply(snap(1));
    const answer = store.command({ type: 'next' });
    store.apply({ type: 'error', id: sent[0]?.id as string, code: 'no_next_timer', message: 'This is the last timer' });
    await expect(answer).resolves.toEqual({ ok: false, code: 'no_next_timer', message: 'This is the last timer' });
  });
});
