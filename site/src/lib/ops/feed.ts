/**
 * The Operations notifications feed: a live channel to /api/ops/ws that
 * keeps the newest notifications first. The server sends the recent feed on
 * every (re)connect, then one `notification` per event.
 */
import { api, anyBody } from '../net/api.ts';
import { arrayOf, isNum, isRec, isStr, parseJson } from '../net/guards.ts';
import { liveChannel } from '../net/live-channel.ts';
import type { ReconnectingSocket } from '../net/socket.ts';

export interface OpsNotification {
  kind: string;
  at: number;
  text: string;
  data?: Record<string, unknown>;
}

type FeedMessage =
  | { type: 'feed'; notifications: OpsNotification[]; serverTime: number }
  | { type: 'notification'; notification: OpsNotification; serverTime: number };

const isNotification = (v: unknown): v is OpsNotification =>
  isRec(v) && isStr(v.kind) && isNum(v.at) && isStr(v.text) && (v.data === undefined || isRec(v.data));

/** Parses one server message, or null for anything else (pongs, keepalives, junk). */
export function parseFeedMessage(raw: string): FeedMessage | null {
  const m = parseJson(raw);
  if (!isRec(m) || !isNum(m.serverTime)) return null;
  if (m.type === 'feed' && arrayOf(isNotification)(m.notifications))
    return { type: 'feed', notifications: m.notifications, serverTime: m.serverTime };
  if (m.type === 'notification' && isNotification(m.notification))
    return { type: 'notification', notification: m.notification, serverTime: m.serverTime };
  return null;
}

export const FEED_LIMIT = 100;
const same = (a: OpsNotification, b: OpsNotification) => a.at === b.at && a.kind === b.kind && a.text === b.text;

/** The feed after a message: a `feed` replaces it (newest first), a `notification` goes on top once. */
export function applyFeedMessage(list: OpsNotification[], m: FeedMessage): OpsNotification[] {
  if (m.type === 'feed') return [...m.notifications].sort((a, b) => b.at - a.at).slice(0, FEED_LIMIT);
  if (list.some((n) => same(n, m.notification))) return list;
  return [m.notification, ...list].sort((a, b) => b.at - a.at).slice(0, FEED_LIMIT);
}

export class OpsFeed {
  readonly socket: ReconnectingSocket;
  private list: OpsNotification[] = [];
  private listeners = new Set<(l: OpsNotification[]) => void>();

  constructor(private readonly onNotification?: (n: OpsNotification) => void) {
    this.socket = liveChannel({
      kind: 'ops',
      path: '/api/ops/ws',
      probe: () => api('/api/ops/stats', anyBody),
      parse: parseFeedMessage,
      healthy: (m) => m.type === 'feed',
      onMessage: (m) => {
        if (m.type === 'notification') this.onNotification?.(m.notification);
        this.list = applyFeedMessage(this.list, m);
        for (const fn of this.listeners) fn(this.list);
      },
    });
  }

  subscribe(fn: (l: OpsNotification[]) => void): () => void {
    this.listeners.add(fn);
    fn(this.list);
    return () => this.listeners.delete(fn);
  }

  start(): void {
    this.socket.start();
  }

  stop(): void {
    this.socket.stop();
  }
}
