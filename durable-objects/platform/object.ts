/**
 * The base class every Keeptime Durable Object extends. It owns the runtime
 * entry points (fetch, webSocketMessage, webSocketClose, alarm) once; concrete
 * objects override small `on*` hooks, as partyserver's Server does.
 */
import { DurableObject } from 'cloudflare:workers';
import { IdempotencyLog } from './idempotency.ts';
import { JsonStore } from './kv.ts';
import { drainOutbox } from './drain.ts';
import type { LiveReport, Notification, ObjectRef } from '../ops/ops.ts';
import { type DeadLetter, Outbox, type OutboxRow } from './outbox.ts';
import { Schedule, type ScheduleRow } from './schedule.ts';
import { SocketHub, type SocketMeta } from './sockets.ts';
import { LIMITS } from '../../core/protocol.ts';
import { mirrorSinks } from './mirrors/clients.ts';
import { opsStub } from './stubs.ts';
import type { Env } from './env.ts';

/** How long after a change the object reports its live counts to Ops (reports are coalesced). */
const REPORT_DELAY_MS = 2_000;

export abstract class KeeptimeObject extends DurableObject<Env> {
  protected schedule: Schedule;
  protected kv: JsonStore;
  protected idempotency: IdempotencyLog;
  protected readonly hub: SocketHub;
  protected outbox: Outbox;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.schedule = new Schedule(ctx.storage);
    this.kv = new JsonStore(ctx.storage);
    this.idempotency = new IdempotencyLog(ctx.storage);
    this.hub = new SocketHub(ctx);
    this.outbox = new Outbox(ctx.storage);
  }

  // ── Entry points ───────────────────────────────────────────────────────
  override async fetch(request: Request): Promise<Response> {
    this.countWake('fetch');
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
    this.countWake('message');
    const meta = this.hub.meta(ws);
    if (!meta) {
      SocketHub.close(ws, 1008, 'invalid session');
      return;
    }
    // The limit is in bytes: a string's UTF-8 size is at most 3 bytes per UTF-16 unit, so only measure near the limit.
    const size =
      typeof message !== 'string'
        ? message.byteLength
        : message.length * 3 <= LIMITS.wsMessage
          ? message.length
          : new TextEncoder().encode(message).byteLength;
    if (size > LIMITS.wsMessage) {
      this.hub.send(
        ws,
        this.stamp({
          type: 'error',
          code: 'payload_too_large',
          message: `Messages are limited to ${LIMITS.wsMessage} bytes`,
        }),
      );
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
    this.countWake('alarm');
    const now = Date.now();
    let failure: unknown = null;
    for (const row of this.schedule.due(now)) {
      this.schedule.clear(row.kind, row.key);
      try {
        this.injectAlarmFault(row, 'before');
        if (row.kind === 'outbox') await this.drain();
        else if (row.kind === 'ops-report') await this.reportToOps();
        else await this.onSchedule(row, now);
        this.injectAlarmFault(row, 'after');
      } catch (err) {
        // Put the row back so the retried alarm runs it again; the other rows still run now.
        if (this.schedule.get(row.kind, row.key) === null) this.schedule.set(row.kind, row.key, row.due);
        failure ??= err;
        console.error(
          JSON.stringify({
            level: 'error',
            msg: 'alarm handler failed',
            kind: row.kind,
            key: row.key,
            error: String(err),
          }),
        );
      }
    }
    await this.schedule.arm(Date.now());
    // Throwing makes the runtime retry the alarm with backoff (alarms are at-least-once).
    if (failure) throw failure;
  }

  /**
   * Test-only fault injection: the next `remaining` runs of schedule rows of
   * `kind` throw, before or after their handler ran. Only tests set it (on the
   * live instance, through runInDurableObject); it is never persisted and is
   * ignored when ENVIRONMENT is production.
   */
  testAlarmFaults: { kind: string; when: 'before' | 'after'; remaining: number } | null = null;

  private injectAlarmFault(row: ScheduleRow, when: 'before' | 'after'): void {
    const f = this.testAlarmFaults;
    if (!f || f.kind !== row.kind || f.when !== when || f.remaining <= 0 || this.env.ENVIRONMENT === 'production')
      return;
    f.remaining--;
    throw new Error(`injected alarm fault (${row.kind} ${when}, ${f.remaining} left)`);
  }

  /**
   * Deletes everything this object stores (alarm included), then recreates the
   * empty tables, so the instance stays usable for the rest of its life.
   */
  protected async wipeStorage(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.schedule = new Schedule(this.ctx.storage);
    this.kv = new JsonStore(this.ctx.storage);
    this.idempotency = new IdempotencyLog(this.ctx.storage);
    this.outbox = new Outbox(this.ctx.storage);
  }

  // ── Wake-up counting (benchmarks) ──────────────────────────────────────
  /** Counts an entry point's invocation when COUNT_WAKEUPS=1; a no-op otherwise. */
  private countWake(kind: 'fetch' | 'message' | 'alarm'): void {
    if (this.env.COUNT_WAKEUPS !== '1') return;
    const counts = this.kv.get<Record<string, number>>('wakeups') ?? {};
    counts[kind] = (counts[kind] ?? 0) + 1;
    this.kv.put('wakeups', counts);
  }

  /** The wake-up counts (all zero unless COUNT_WAKEUPS=1). Reading them is not counted. */
  async wakeups(): Promise<{ fetch: number; message: number; alarm: number }> {
    return { fetch: 0, message: 0, alarm: 0, ...(this.kv.get<Record<string, number>>('wakeups') ?? {}) };
  }

  // ── Outbox ─────────────────────────────────────────────────────────────
  /**
   * Appends a mirror event and schedules its drain. Call it inside the
   * transaction that makes the change; the caller arms the alarm afterwards.
   */
  protected appendOutbox(kind: string, payload: unknown, now: number): string {
    const id = this.outbox.append(kind, payload, now);
    this.schedule.set('outbox', 'drain', now);
    return id;
  }

  /** Drains due outbox rows into Postgres and the cache; reschedules what is left. */
  protected async drain(): Promise<void> {
    const ref = this.mirrorRef();
    const result = await drainOutbox(this.outbox, mirrorSinks(this.env), () => Date.now(), {
      tagsFor: (row) => this.cacheTags(row),
      onDead: (letter) => this.reportDeadLetter(letter),
      onWritten: (rows) => this.onMirrored(rows),
    });
    if (result.nextAt !== null) this.schedule.set('outbox', 'drain', result.nextAt);
    if (result.written > 0) await this.afterDrain();
    if (ref) this.scheduleReport(Date.now());
  }

  /** Re-kick from the cron or an ops replay: drain now. */
  async kick(): Promise<{ pending: number }> {
    // A kick means "now": rows waiting out a backoff are made due at once.
    this.outbox.retryNow(Date.now());
    await this.drain();
    await this.schedule.arm(Date.now());
    return { pending: this.outbox.depth(Date.now()).pending };
  }

  /** Moves a dead letter back into the outbox, due now; the alarm drains it. */
  async replayDeadLetter(eventId: string): Promise<boolean> {
    const now = Date.now();
    if (!this.outbox.replay(eventId, now)) return false;
    this.schedule.set('outbox', 'drain', now);
    await this.schedule.arm(now);
    return true;
  }

  async outboxState(): Promise<ReturnType<Outbox['depth']> & { deadLetters: DeadLetter[] }> {
    return { ...this.outbox.depth(Date.now()), deadLetters: this.outbox.deadLetters() };
  }

  private async reportDeadLetter(letter: DeadLetter): Promise<void> {
    const ref = this.mirrorRef();
    if (!ref) return;
    try {
      await this.ops().deadLetter(ref, {
        eventId: letter.eventId,
        kind: letter.kind,
        error: letter.lastError,
        deadAt: letter.deadAt,
      });
    } catch (err) {
      console.warn(
        JSON.stringify({
          level: 'warn',
          msg: 'could not report dead letter',
          eventId: letter.eventId,
          error: String(err),
        }),
      );
    }
  }

  // ── Ops reports ────────────────────────────────────────────────────────
  /** Coalesces live-count reports: at most one per REPORT_DELAY_MS. */
  protected scheduleReport(now: number): void {
    if (this.mirrorRef() && this.schedule.get('ops-report', 'live') === null)
      this.schedule.set('ops-report', 'live', now + REPORT_DELAY_MS);
  }

  private async reportToOps(): Promise<void> {
    const ref = this.mirrorRef();
    if (!ref) return;
    const depth = this.outbox.depth(Date.now());
    const report: LiveReport = {
      ref,
      ...this.liveCounts(),
      pending: depth.pending,
      oldestPendingAgeMs: depth.oldestAgeMs,
      dead: depth.dead,
    };
    try {
      await this.ops().report(report);
    } catch (err) {
      console.warn(JSON.stringify({ level: 'warn', msg: 'ops report failed', error: String(err) }));
    }
  }

  protected ops() {
    return opsStub(this.env);
  }

  /** Posts notifications to the Ops feed; a failure is logged, never thrown (the feed is best-effort). */
  protected async notifyOps(notes: Notification[]): Promise<void> {
    if (notes.length === 0) return;
    try {
      const ops = this.ops();
      for (const n of notes) await ops.notify(n);
    } catch (err) {
      console.warn(JSON.stringify({ level: 'warn', msg: 'ops notify failed', error: String(err) }));
    }
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
  /** Which object this is, for Ops; null for objects that mirror nothing. */
  protected mirrorRef(): ObjectRef | null {
    return null;
  }
  /** Cache tags an outbox row invalidates once mirrored. */
  protected cacheTags(_row: OutboxRow): string[] {
    return [];
  }
  /** Live counts for Ops. */
  protected liveCounts(): { sockets: number; active: boolean } {
    return { sockets: this.hub.sockets().length, active: false };
  }
  /** Called with rows that reached the mirrors (e.g. to send notifications). */
  protected onMirrored(_rows: OutboxRow[]): Promise<void> | void {}
  /** Called after a drain that wrote rows (e.g. to finish a deletion once all is mirrored). */
  protected afterDrain(): Promise<void> | void {}

  /** Every server message carries the object's version and the server time. */
  protected stamp<T extends object>(msg: T): T & { version: number; serverTime: number } {
    return { ...msg, version: this.currentVersion(), serverTime: Date.now() };
  }

  protected currentVersion(): number {
    return 0;
  }
}
