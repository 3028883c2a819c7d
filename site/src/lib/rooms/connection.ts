/**
 * One live room connection: the reconnecting socket, clock sync and the room
 * store wired together. Used by the viewer and the control panel alike.
 */
import { CLOSE } from '../../../../core/errors.ts';
import { ApiError, api } from '../net/api.ts';
import { ClockSync } from '../clock/clock-sync.ts';
import { deviceName } from '../net/device.ts';
import { setFrameClock } from '../clock/frame.ts';
import { isSnapshot, parseServerMessage } from './messages.ts';
import { RoomStore } from './store.ts';
import { ReconnectingSocket } from '../net/socket.ts';

export interface ConnectionOptions {
  /** Room id or share token, as the URL path segment. */
  room: string;
  /** Share token, sent as ?token= (absent for the owner's cookie). */
  token: string | null;
}

/** Close codes the server uses, plus the ones a failed probe maps to (defined in core/errors.ts). */
export { CLOSE };

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
  setFrameClock(() => clock.now());

  const url = () => {
    const q = new URLSearchParams();
    if (opts.token) q.set('token', opts.token);
    q.set('device', deviceName());
    return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/rooms/${encodeURIComponent(opts.room)}/ws?${q}`;
  };

  /** The browser hides why an upgrade was refused; ask over HTTP whether it is worth retrying. */
  const probe = async (): Promise<number | null> => {
    try {
      const snap = await api(`/api/rooms/${encodeURIComponent(opts.room)}`, isSnapshot, { token: opts.token });
      store.load(snap);
      return null;
    } catch (e) {
      const status = e instanceof ApiError ? e.status : 0;
      if (status === 404) return CLOSE.deleted;
      if (status === 403) return CLOSE.forbidden;
      if (status === 401) return CLOSE.unauthenticated;
      return null;
    }
  };

  socket = new ReconnectingSocket({
    url,
    probe,
    onOpen: () => {
      clock.connected();
      store.reconnected();
    },
    onMessage: (raw) => {
      const m = parseServerMessage(raw);
      if (!m) return;
      if (m.type === 'pong') clock.pong(m.t0, m.serverTime);
      if (m.type === 'room-state') {
        clock.seed(m.serverTime);
        socket?.markHealthy();
      }
      store.apply(m);
    },
  });
  socket.subscribe((s) => {
    if (s.status !== 'live') clock.disconnected();
  });
  socket.start();

  return { store, socket, clock, stop: () => socket?.stop() };
}
