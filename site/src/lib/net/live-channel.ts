/**
 * A live channel: the reconnecting socket to one `/api/…/ws` route. It builds
 * the URL (ws or wss as the page, with query parameters read at each connect),
 * parses frames, asks over HTTP why an upgrade was refused, and stops for good
 * on the final close codes of its kind of socket (the reason stays readable as
 * `current.closeCode`).
 */
import { ApiError } from './api.ts';
import { FINAL_CLOSE_CODES, type SocketKind, closeCodeForStatus } from './close-codes.ts';
import { ReconnectingSocket } from './socket.ts';

interface LiveChannelOptions<M> {
  kind: SocketKind;
  /** The route, e.g. `/api/rooms/abc/ws`. */
  path: string;
  /** Query parameters, read at every connect; null and undefined values are left out. */
  query?: () => Record<string, string | null | undefined>;
  /** One frame, or null for what this page does not use or cannot trust. */
  parse: (raw: string) => M | null;
  onMessage: (m: M) => void;
  /** Whether a message proves the connection healthy, so later failures back off from scratch (default: any). */
  healthy?: (m: M) => boolean;
  onOpen?: () => void;
  /**
   * The browser hides why an upgrade was refused (it reads as 1006): an HTTP
   * request that learns it. Its ApiError status 401, 403 or 404 ends the channel
   * with the matching close code; success or any other failure retries.
   */
  probe?: () => Promise<unknown>;
}

/** The WebSocket URL of an API route on this page's host. */
export function liveUrl(path: string, query: Record<string, string | null | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== null && v !== undefined) q.set(k, v);
  const search = q.toString();
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}${search ? `?${search}` : ''}`;
}

/** The close code a failed probe stands for, or null to retry. */
export const refusalCode = (e: unknown): number | null => (e instanceof ApiError ? closeCodeForStatus(e.status) : null);

/** A live channel that connects on `start()` and ends on `stop()`. */
export function liveChannel<M>(o: LiveChannelOptions<M>): ReconnectingSocket {
  const probe = o.probe;
  const socket = new ReconnectingSocket({
    url: () => liveUrl(o.path, o.query?.()),
    finalCodes: [...FINAL_CLOSE_CODES[o.kind]],
    ...(probe && {
      probe: () =>
        probe().then(
          () => null,
          (e: unknown) => refusalCode(e),
        ),
    }),
    ...(o.onOpen && { onOpen: o.onOpen }),
    onMessage: (raw) => {
      const m = o.parse(raw);
      if (m === null) return;
      if (o.healthy?.(m) ?? true) socket.markHealthy();
      o.onMessage(m);
    },
  });
  return socket;
}

/** A live channel, connecting at once. */
export function openLiveChannel<M>(o: LiveChannelOptions<M>): ReconnectingSocket {
  const socket = liveChannel(o);
  socket.start();
  return socket;
}
