/**
 * Hibernating WebSockets: accept with tags, keep per-socket metadata in the
 * attachment, broadcast with a filter. The attachment holds two parts under
 * their own keys: the platform's (`kt`: id, user, device, connect time) and
 * the capability's (its own key and schema: a room's role, a session's ticks).
 * Both are re-validated after a wake-up, because they are just stored bytes.
 */
import { z } from 'zod';
import { socketAuth } from '../accounts/session-check.ts';

/** What every socket carries, whatever the capability. */
const platformMeta = z.object({
  sid: z.string(),
  userId: z.string().nullable(),
  device: z.string().nullable(),
  connectedAt: z.number(),
  /** The session token a socket opened with (absent for share links and anonymous sockets): checked on every frame. */
  auth: socketAuth.nullable().optional(),
});
export type PlatformMeta = z.infer<typeof platformMeta>;

/** A socket's metadata as the code reads it: the platform part and the capability part, each validated. */
export type SocketMeta<C extends object = Record<never, never>> = PlatformMeta & C;

/** How a capability's sockets are described to the base object: its attachment key, metadata and client messages. */
export interface SocketSpec<C extends object, M extends { type: string }> {
  /** The attachment key of the capability part (not `kt`). */
  key: string;
  meta: z.ZodType<C>;
  /** Every frame a client may send; `ping` frames are answered by the base object. */
  messages: z.ZodType<M>;
  /** The error message for a frame that is not one of `messages`. */
  invalid?: string;
}

const PLATFORM_KEY = 'kt';

export class SocketHub<C extends object = Record<never, never>> {
  /**
   * Every socket this instance knows is attached, with its tags: built once from the runtime on first use (after a
   * wake the object's memory is empty but its hibernated sockets are not), then kept on accept and on close/error.
   */
  private tracked: Map<WebSocket, readonly string[]> | null = null;
  /** How many tracked sockets carry each tag. */
  private readonly tagCounts = new Map<string, number>();
  /** Sockets whose close or error was seen: never counted again, whatever the runtime still lists during their close. */
  private readonly gone = new WeakSet<WebSocket>();

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly key: string,
    private readonly schema: z.ZodType<C>,
  ) {}

  accept(ws: WebSocket, meta: SocketMeta<C>, tags: string[] = []): void {
    this.track();
    this.ctx.acceptWebSocket(ws, tags);
    this.add(ws, tags);
    this.setMeta(ws, meta);
  }

  /**
   * Sockets attached to this object (optionally those carrying `tag`), as `ctx.getWebSockets(tag).length` counts them
   * (closing ones included until their close is handled), in O(1): counted from the runtime once per instance life,
   * then kept in memory. `sockets(tag).length` is the same minus sockets already closing.
   */
  count(tag?: string): number {
    const tracked = this.track();
    return tag === undefined ? tracked.size : (this.tagCounts.get(tag) ?? 0);
  }

  /** Stops counting a socket: called once its close or error reaches the object (a second call is a no-op). */
  forget(ws: WebSocket): void {
    this.gone.add(ws);
    const tags = this.tracked?.get(ws);
    if (!tags || !this.tracked) return;
    this.tracked.delete(ws);
    for (const tag of tags) {
      const n = (this.tagCounts.get(tag) ?? 0) - 1;
      if (n > 0) this.tagCounts.set(tag, n);
      else this.tagCounts.delete(tag);
    }
  }

  /** Drops the in-memory counts, so the next `count` counts from the runtime again (O(sockets), once). */
  recount(): void {
    this.tracked = null;
    this.tagCounts.clear();
  }

  private track(): Map<WebSocket, readonly string[]> {
    if (this.tracked) return this.tracked;
    this.tracked = new Map();
    for (const ws of this.ctx.getWebSockets()) if (!this.gone.has(ws)) this.add(ws, this.ctx.getTags(ws));
    return this.tracked;
  }

  private add(ws: WebSocket, tags: readonly string[]): void {
    if (!this.tracked || this.tracked.has(ws) || this.gone.has(ws)) return;
    this.tracked.set(ws, tags);
    for (const tag of tags) this.tagCounts.set(tag, (this.tagCounts.get(tag) ?? 0) + 1);
  }

  meta(ws: WebSocket): SocketMeta<C> | null {
    const raw = ws.deserializeAttachment() as Record<string, unknown> | null;
    if (!raw || typeof raw !== 'object') return null;
    const platform = platformMeta.safeParse(raw[PLATFORM_KEY]);
    const own = this.schema.safeParse(raw[this.key]);
    return platform.success && own.success ? { ...own.data, ...platform.data } : null;
  }

  setMeta(ws: WebSocket, meta: SocketMeta<C>): void {
    const { sid, userId, device, connectedAt, auth, ...own } = meta;
    ws.serializeAttachment({ [PLATFORM_KEY]: { sid, userId, device, connectedAt, auth }, [this.key]: own });
  }

  /** Open sockets, optionally those carrying a tag. */
  sockets(tag?: string): WebSocket[] {
    return this.ctx.getWebSockets(tag).filter((ws) => ws.readyState === WebSocket.OPEN);
  }

  send(ws: WebSocket, msg: object): void {
    try {
      ws.send(JSON.stringify(msg));
    } catch {
      // The peer went away between getWebSockets() and send(); its close handler tidies up.
    }
  }

  broadcast(msg: object, filter?: (meta: SocketMeta<C>) => boolean, tag?: string): number {
    const text = JSON.stringify(msg);
    let n = 0;
    for (const ws of this.sockets(tag)) {
      if (filter) {
        const m = this.meta(ws);
        if (!m || !filter(m)) continue;
      }
      try {
        ws.send(text);
        n++;
      } catch {
        /* see send() */
      }
    }
    return n;
  }

  /** Closes a socket without echoing reserved codes (1005/1006 may not be sent). */
  static close(ws: WebSocket, code = 1000, reason = ''): void {
    const safe = code === 1005 || code === 1006 || code < 1000 || code >= 5000 ? 1000 : code;
    try {
      ws.close(safe, reason.slice(0, 120));
    } catch {
      // Already closing.
    }
  }
}
