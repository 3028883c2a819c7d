/**
 * The user's live-session connection: the reconnecting socket to
 * /api/sessions/ws, clock sync over it, and the session store with its
 * persistent command queue. On every (re)connect the server sends
 * SESSION_STATE and the store sends its unanswered commands again.
 */
import { ApiError, api } from '../net/api.ts';
import { ClockSync } from '../clock/clock-sync.ts';
import { CLOSE } from '../rooms/connection.ts';
import { deviceName } from '../net/device.ts';
import { setFrameClock } from '../clock/frame.ts';
import { isSessionState, parseSessionMessage } from './messages.ts';
import { localQueue } from './queue.ts';
import { SessionStore, type SessionStoreIO } from './store.ts';
import { ReconnectingSocket } from '../net/socket.ts';

export interface SessionConnection {
  store: SessionStore;
  socket: ReconnectingSocket;
  clock: ClockSync;
  stop(): void;
}

export const CURRENT_URL = '/api/sessions/current';

/** Loads the session over HTTP into the store (the page's first paint, and the probe after a failed connect). */
export async function loadCurrent(store: SessionStore, clock?: ClockSync): Promise<void> {
  const body = await api(CURRENT_URL, isSessionState);
  const m = parseSessionMessage(body);
  if (!m || m.type === 'pong' || m.type === 'error') return;
  clock?.seed(m.view.serverTime);
  store.apply(m);
}

export function connectSession(userId: string, onReject?: SessionStoreIO['onReject']): SessionConnection {
  let socket: ReconnectingSocket | null = null;
  const send = (msg: object) => socket?.send(msg) ?? false;
  const store = new SessionStore({ send, queue: localQueue(userId), onReject });
  const clock = new ClockSync(send);
  setFrameClock(() => clock.now());

  /** The browser hides why an upgrade failed: ask over HTTP whether retrying makes sense. */
  const probe = async (): Promise<number | null> => {
    try {
      await loadCurrent(store, clock);
      return null;
    } catch (e) {
      const status = e instanceof ApiError ? e.status : 0;
      if (status === 401) return CLOSE.unauthenticated;
      if (status === 403) return CLOSE.forbidden;
      return null;
    }
  };

  socket = new ReconnectingSocket({
    url: () =>
      `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/sessions/ws?device=${encodeURIComponent(deviceName())}`,
    probe,
    finalCodes: [CLOSE.unauthenticated, CLOSE.forbidden],
    onOpen: () => {
      clock.connected();
      store.reconnected();
    },
    onMessage: (raw) => {
      const m = parseSessionMessage(raw);
      if (!m) return;
      if (m.type === 'pong') clock.pong(m.t0, m.serverTime);
      else if (m.type === 'SESSION_STATE') {
        clock.seed(m.view.serverTime);
        socket?.markHealthy();
      }
      store.apply(m);
    },
  });
  socket.subscribe((s) => {
    if (s.status !== 'live') {
      clock.disconnected();
      store.disconnected();
    }
  });
  socket.start();
  return { store, socket, clock, stop: () => socket?.stop() };
}
