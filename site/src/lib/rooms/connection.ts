/**
 * One live room connection: the room's live channel, clock sync and the room
 * store wired together. Used by the viewer and the control panel alike. The
 * page decides whether this clock drives its frame loop (`useFrameClock`).
 */
import { ClockSync } from '../clock/clock-sync.ts';
import { api } from '../net/api.ts';
import { deviceId, deviceName } from '../net/device.ts';
import { openLiveChannel } from '../net/live-channel.ts';
import type { ReconnectingSocket } from '../net/socket.ts';
import { isSnapshot, parseServerMessage } from './messages.ts';
import { RoomStore } from './store.ts';

interface ConnectionOptions {
  /** Room id or share token, as the URL path segment. */
  room: string;
  /** Share token, sent as ?token= (absent for the owner's cookie). */
  token: string | null;
}

export interface RoomConnection {
  store: RoomStore;
  socket: ReconnectingSocket;
  clock: ClockSync;
  stop(): void;
}

export function connectRoom(opts: ConnectionOptions): RoomConnection {
  let socket: ReconnectingSocket | null = null;
  const send = (msg: object) => socket?.send(msg) ?? false;
  const store = new RoomStore({ send });
  const clock = new ClockSync(send);
  const room = `/api/rooms/${encodeURIComponent(opts.room)}`;
  const refreshLinks = async () => {
    try {
      const snap = await api(room, isSnapshot, { token: opts.token });
      if (snap.links) store.setLinks(snap.links);
    } catch {
      // The panel keeps the links it has; the next room-state tries again.
    }
  };

  socket = openLiveChannel({
    kind: 'room',
    path: `${room}/ws`,
    query: () => ({ token: opts.token, device: deviceName(), deviceId: deviceId() }),
    // A refused upgrade: the snapshot over HTTP says why, and paints the room (and sets the clock) meanwhile.
    probe: async () => {
      const snap = await api(room, isSnapshot, { token: opts.token });
      clock.seed(snap.serverTime);
      store.load(snap);
    },
    parse: parseServerMessage,
    healthy: (m) => m.type === 'room-state',
    onOpen: () => {
      clock.connected();
      store.reconnected();
    },
    onMessage: (m) => {
      if (m.type === 'pong') clock.pong(m.t0, m.serverTime);
      if (m.type === 'room-state') clock.seed(m.serverTime);
      store.apply(m);
      // The organiser asked this screen to reload (a stuck or outdated page).
      if (m.type === 'reload') location.reload();
      // Share links come only over HTTP; the owner rereads them on each room-state (connect, resync, rotation).
      if (m.type === 'room-state' && m.role === 'owner') void refreshLinks();
    },
  });
  socket.subscribe((s) => {
    if (s.status !== 'live') clock.disconnected();
  });

  return { store, socket, clock, stop: () => socket?.stop() };
}
