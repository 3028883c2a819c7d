/**
 * The user's live-session connection: the live channel to /api/sessions/ws,
 * clock sync over it, and the session store with its persistent command
 * queue. On every (re)connect the server sends SESSION_STATE and the store
 * sends its unanswered commands again. The page decides whether this clock
 * drives its frame loop (`useFrameClock`).
 */
import { ClockSync } from '../clock/clock-sync.ts';
import { api } from '../net/api.ts';
import { deviceName } from '../net/device.ts';
import { openLiveChannel } from '../net/live-channel.ts';
import type { ReconnectingSocket } from '../net/socket.ts';
import { isSessionState, parseSessionMessage } from './messages.ts';
import { localQueue } from './queue.ts';
import { SessionStore, type SessionStoreIO } from './store.ts';

interface SessionConnection {
  store: SessionStore;
  socket: ReconnectingSocket;
  clock: ClockSync;
  stop(): void;
}

const CURRENT_URL = '/api/sessions/current';

/** Loads the session over HTTP into the store (the page's first paint, and the probe after a failed connect). */
export async function loadCurrent(store: SessionStore, clock?: ClockSync): Promise<void> {
  const body = await api(CURRENT_URL, isSessionState);
  const m = parseSessionMessage(body);
  if (!m || m.type === 'pong' || m.type === 'error' || m.type === 'ACTIVITY_OK' || m.type === 'LISTS_CHANGED') return;
  clock?.seed(m.view.serverTime);
  store.apply(m);
}

export function connectSession(userId: string, onReject?: SessionStoreIO['onReject']): SessionConnection {
  let socket: ReconnectingSocket | null = null;
  const send = (msg: object) => socket?.send(msg) ?? false;
  const store = new SessionStore({ send, queue: localQueue(userId), ...(onReject && { onReject }) });
  const clock = new ClockSync(send);

  socket = openLiveChannel({
    kind: 'session',
    path: '/api/sessions/ws',
    query: () => ({ device: deviceName() }),
    probe: () => loadCurrent(store, clock),
    parse: parseSessionMessage,
    healthy: (m) => m.type === 'SESSION_STATE',
    onOpen: () => {
      clock.connected();
      store.reconnected();
    },
    onMessage: (m) => {
      if (m.type === 'pong') clock.pong(m.t0, m.serverTime);
      else if (m.type === 'SESSION_STATE') clock.seed(m.view.serverTime);
      store.apply(m);
    },
  });
  socket.subscribe((s) => {
    if (s.status !== 'live') {
      clock.disconnected();
      store.disconnected();
    }
  });
  return { store, socket, clock, stop: () => socket?.stop() };
}
