/**
 * The base class every Keeptime Durable Object extends. It owns the runtime
 * entry points (fetch, webSocketMessage, webSocketClose, alarm) once; concrete
 * objects override small `on*` hooks, as partyserver's Server does.
 */
import { DurableObject } from 'cloudflare:workers';
import { IdempotencyLog } from './idempotency.ts';
import { JsonStore } from './kv.ts';
import { Schedule, type ScheduleRow } from './schedule.ts';
import { SocketHub, type SocketMeta } from './socket-hub.ts';
import { LIMITS } from '../core/protocol.ts';
import type { Env } from '../worker/env.ts';

export abstract class KeeptimeObject extends DurableObject<Env> {
  protected readonly schedule: Schedule;
  protected readonly kv: JsonStore;
  protected readonly idempotency: IdempotencyLog;
  protected readonly hub: SocketHub;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.schedule = new Schedule(ctx.storage);
    this.kv = new JsonStore(ctx.storage);
    this.idempotency = new IdempotencyLog(ctx.storage);
    this.hub = new SocketHub(ctx);
  }

  // ── Entry points ───────────────────────────────────────────────────────
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('Upgrade')?.toLowerCase() === 'websocket') {
      const pair = new WebSocketPair();
      const [client, server] = Object.values(pair) as [WebSocket, WebSocket];
      const refused = await this.onConnect(server, request);
      if (refused) return refused;
      return new Response(null, { status: 101, webSocket: client });
    }
    return this.onRequest(request);
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const meta = this.hub.meta(ws);
    if (!meta) {
      SocketHub.close(ws, 1008, 'invalid session');
      return;
    }
    // The limit is in bytes: a string's UTF-8 size is at most 3 bytes per UTF-16 unit, so only measure near the limit.
    const size =
      typeof message !== 'string' ? message.byteLength : message.length * 3 <= LIMITS.wsMessage ? message.length : new TextEncoder().encode(message).byteLength;
    if (size > LIMITS.wsMessage) {
      this.hub.send(ws, this.stamp({ type: 'error', code: 'payload_too_large', message: `Messages are limited to ${LIMITS.wsMessage} bytes` }));
      return;
    }
    await this.onMessage(ws, meta, message);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    SocketHub.close(ws, code, reason);
    await this.onClose(ws, this.hub.meta(ws));
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.onClose(ws, this.hub.meta(ws));
  }

  /** Runs every due schedule row, then re-arms. Alarms are at-least-once, so handlers must be idempotent. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    for (const row of this.schedule.due(now)) {
      this.schedule.clear(row.kind, row.key);
      await this.onSchedule(row, now);
    }
    await this.schedule.arm(Date.now());
  }

  // ── Hooks ──────────────────────────────────────────────────────────────
  protected onConnect(_ws: WebSocket, _request: Request): Promise<Response | null> | Response | null {
    return new Response('WebSockets are not served here', { status: 404 });
  }
  protected onRequest(_request: Request): Promise<Response> | Response {
    return new Response('Not found', { status: 404 });
  }
  protected onMessage(_ws: WebSocket, _meta: SocketMeta, _message: string | ArrayBuffer): Promise<void> | void {}
  protected onClose(_ws: WebSocket, _meta: SocketMeta | null): Promise<void> | void {}
  protected onSchedule(_row: ScheduleRow, _now: number): Promise<void> | void {}

  /** Every server message carries the object's version and the server time. */
  protected stamp<T extends object>(msg: T): T & { version: number; serverTime: number } {
    return { ...msg, version: this.currentVersion(), serverTime: Date.now() };
  }

  protected currentVersion(): number {
    return 0;
  }
}
