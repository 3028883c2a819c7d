/**
 * Hibernating WebSockets: accept with tags, keep per-socket metadata in the
 * attachment under its own key, broadcast with a filter. Attachments are
 * re-validated after a wake-up, because they are just stored bytes.
 */
import { z } from 'zod';

export const socketMeta = z.object({
  sid: z.string(),
  role: z.enum(['owner', 'controller', 'viewer', 'user', 'admin']),
  /** Generation of the share token the socket was opened with (0 for account auth). */
  tokenGen: z.number().int(),
  userId: z.string().nullable(),
  ticks: z.boolean(),
  connectedAt: z.number(),
  device: z.string().nullable(),
  offsetMs: z.number().nullable(),
  rttMs: z.number().nullable(),
});
export type SocketMeta = z.infer<typeof socketMeta>;

const ATTACHMENT_KEY = 'kt';

export class SocketHub {
  constructor(private readonly ctx: DurableObjectState) {}

  accept(ws: WebSocket, meta: SocketMeta, tags: string[] = []): void {
    this.ctx.acceptWebSocket(ws, [meta.role, ...(meta.ticks ? ['ticks'] : []), ...tags]);
    this.setMeta(ws, meta);
  }

  meta(ws: WebSocket): SocketMeta | null {
    const raw = ws.deserializeAttachment() as Record<string, unknown> | null;
    const parsed = socketMeta.safeParse(raw?.[ATTACHMENT_KEY]);
    return parsed.success ? parsed.data : null;
  }

  setMeta(ws: WebSocket, meta: SocketMeta): void {
    ws.serializeAttachment({ [ATTACHMENT_KEY]: meta });
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

  broadcast(msg: object, filter?: (meta: SocketMeta) => boolean, tag?: string): number {
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
