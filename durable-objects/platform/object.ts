/**
 * The base class every Keeptime Durable Object extends. It owns the runtime
 * entry points (fetch, webSocketMessage, webSocketClose, alarm) once, and with
 * them the socket platform: the keep-alive auto-response, the frame size limit,
 * parsing every frame against the capability's schema, the `pong` reply and the
 * error frame. It also owns `commit()` (transaction, then alarm) and the clock.
 * Concrete objects override small `on*` hooks, as partyserver's Server does.
 */
import { DurableObject } from 'cloudflare:workers';
import { z } from 'zod';
import { IdempotencyLog } from './idempotency.ts';
import { SESSION_HEADER, type SocketAuth, checkSession, socketAuth } from '../accounts/session-check.ts';
import { type Limits, PEER_HEADER, readLimits } from './limits-config.ts';
import { FrameBudget } from './frame-budget.ts';
import { JsonStore } from './kv.ts';
import { drainOutbox } from './drain.ts';
import type { LiveReport, Notification, ObjectRef } from '../ops/ops.ts';
import { type DeadLetter, Outbox, type OutboxRow } from './outbox.ts';
import { Schedule, type ScheduleRow } from './schedule.ts';
import { type PlatformMeta, SocketHub, type SocketMeta, type SocketSpec } from './sockets.ts';
import { type Clock, offsetClock, systemClock } from './clock.ts';
import { type AlarmFault, NO_WAKEUPS, TestHooks, type Wakeups } from './test-hooks.ts';
import { LIMITS, looseMessageId, parseClientMessage } from '../../core/protocol.ts';
import { CLOSE, errorBody } from '../../core/errors.ts';
import type { ErrorMessage, PongMessage } from '../../core/wire.ts';
import { mirrorSinks } from './mirrors/clients.ts';
import { opsStub } from './stubs.ts';
import type { Env } from './env.ts';
import { type Answer, type Refusal } from '../../core/errors.ts';
import type { WebhookScope } from '../../core/webhooks.ts';
import type { WebhookAnswer, WebhookOp } from './webhooks/outlet.ts';
import { type DisabledEndpoint, WebhookHost } from './webhooks/host.ts';

/** How long after a change the object reports its live counts to Ops (reports are coalesced). */
const REPORT_DELAY_MS = 2_000;

/** Every client's keep-alive frame; the runtime answers it without waking the object. */
const KEEPALIVE = '{"type":"keepalive"}';

/** A client's clock probe; every socket kind answers it with `pong`. */
type PingFrame = { type: 'ping'; t0?: number; id?: string };

/** Objects that serve no sockets: no capability metadata, no client messages. */
const NO_SOCKETS: SocketSpec<Record<never, never>, never> = { key: 'none', meta: z.object({}), messages: z.never() };

export abstract class KeeptimeObject<
  C extends object = Record<never, never>,
  M extends { type: string } = never,
> extends DurableObject<Env> {
  protected schedule: Schedule;
  protected kv: JsonStore;
  protected idempotency: IdempotencyLog;
  /** Caps and quotas from the environment (limits-config.ts). */
  protected readonly limits: Limits;
  protected readonly hub: SocketHub<C>;
  protected outbox: Outbox;
  /** The one clock the object reads; tests pin it on the live instance. */
  clock: Clock = systemClock;
  private readonly sockets: SocketSpec<C, M>;
  private readonly hooks: TestHooks | null;
  /** Each socket's frame budget (in memory: after a hibernation the socket was idle, so its budget is full again). */
  private readonly budget: FrameBudget;
  /** The IP tag of a socket being accepted, from its upgrade request to `acceptSocket`. */
  private readonly peerTags = new WeakMap<WebSocket, string>();
  /** This object's webhook endpoints and queue (objects whose `webhookScope()` is null have none). */
  private readonly webhookHost: WebhookHost;

  constructor(ctx: DurableObjectState, env: Env, sockets?: SocketSpec<C, M>) {
    super(ctx, env);
    this.schedule = new Schedule(ctx.storage);
    this.kv = new JsonStore(ctx.storage);
    this.limits = readLimits(env);
    this.idempotency = new IdempotencyLog(ctx.storage, this.limits.idempotencyAnswers);
    this.budget = new FrameBudget(this.limits);
    this.sockets = sockets ?? (NO_SOCKETS as unknown as SocketSpec<C, M>);
    this.hub = new SocketHub<C>(ctx, this.sockets.key, this.sockets.meta);
    this.outbox = new Outbox(ctx.storage);
    this.hooks = TestHooks.wire(env as Env & { TEST_HOOKS?: string }, () => this.kv);
    const offset = this.hooks?.clockOffset() ?? 0;
    if (offset !== 0) this.clock = offsetClock(offset);
    if (sockets) ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(KEEPALIVE, KEEPALIVE));
    this.webhookHost = new WebhookHost({
      storage: ctx.storage,
      env,
      scope: () => this.webhookScope(),
      schedule: () => this.schedule,
      now: () => this.clock.now(),
    });
  }

  // ── Entry points ───────────────────────────────────────────────────────
  override async fetch(request: Request): Promise<Response> {
    this.hooks?.countWake('fetch');
    if (request.headers.get('Upgrade')?.toLowerCase() === 'websocket') {
      const pair = new WebSocketPair();
      const [client, server] = Object.values(pair) as [WebSocket, WebSocket];
      const peer = `ip:${(request.headers.get(PEER_HEADER) ?? 'unknown').slice(0, 64)}`;
      const capped = this.socketCap(peer);
      if (capped) return capped;
      this.peerTags.set(server, peer);
      const refused = await this.onConnect(server, request);
      if (refused) return refused;
      this.keepSocketAuth(server, request);
      return new Response(null, { status: 101, webSocket: client });
    }
    return this.onRequest(request);
  }

  /**
   * Every frame: the size limit, the attachment check, the capability's `admit`,
   * the schema, then `pong` for a ping and `onClientMessage` for the rest.
   */
  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    this.hooks?.countWake('message');
    const spent = this.budget.spend(ws, this.clock.now());
    if (spent !== 'ok') {
      if (spent === 'close') SocketHub.close(ws, CLOSE.flooded, 'too many messages');
      else
        this.sendError(
          ws,
          'rate_limited',
          `At most ${this.limits.framesPerSec} messages a second (bursts of ${this.limits.frameBurst})`,
        );
      return;
    }
    const meta = this.hub.meta(ws);
    if (!meta) {
      SocketHub.close(ws, CLOSE.invalidSession, 'invalid session');
      return;
    }
    // Authorised at the upgrade is not enough: the token must still hold (not expired, revoked or outdated).
    if (meta.auth && !(await this.socketAuthHolds(ws, meta.auth))) return;
    // The limit is in bytes: a string's UTF-8 size is at most 3 bytes per UTF-16 unit, so only measure near the limit.
    const size =
      typeof message !== 'string'
        ? message.byteLength
        : message.length * 3 <= LIMITS.wsMessage
          ? message.length
          : new TextEncoder().encode(message).byteLength;
    if (size > LIMITS.wsMessage) {
      this.sendError(ws, 'payload_too_large', `Messages are limited to ${LIMITS.wsMessage} bytes`);
      return;
    }
    const msg = parseClientMessage(this.sockets.messages, message);
    if (!(await this.admit(ws, meta, msg))) return;
    if (msg === null) {
      this.sendError(
        ws,
        'invalid_message',
        this.sockets.invalid ?? 'Unrecognised or malformed message',
        looseMessageId(message),
      );
      return;
    }
    if (msg.type === 'ping') {
      const ping = msg as PingFrame;
      this.hub.send(ws, {
        type: 'pong',
        ...(ping.t0 === undefined ? {} : { t0: ping.t0 }),
        serverTime: this.clock.now(),
        version: this.currentVersion(),
        ...(ping.id === undefined ? {} : { replyTo: ping.id }),
      } satisfies PongMessage);
      await this.onPing(ws, meta, msg as Extract<M, PingFrame>);
      return;
    }
    await this.onClientMessage(ws, meta, msg as Exclude<M, PingFrame>);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.budget.forget(ws);
    this.hub.forget(ws);
    SocketHub.close(ws, code, reason);
    await this.onClose(ws, this.hub.meta(ws));
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.budget.forget(ws);
    this.hub.forget(ws);
    await this.onClose(ws, this.hub.meta(ws));
  }

  /** Runs every due schedule row, then re-arms. Alarms are at-least-once, so handlers must be idempotent. */
  override async alarm(): Promise<void> {
    this.hooks?.countWake('alarm');
    // The runtime consumed the alarm that woke us: what this instance last set no longer describes it.
    this.schedule.forgetArmed();
    const now = this.clock.now();
    let failure: unknown = null;
    for (const row of this.schedule.due(now)) {
      this.schedule.clear(row.kind, row.key);
      try {
        this.hooks?.alarmRow(row, 'before');
        if (row.kind === 'outbox') await this.drain();
        else if (row.kind === 'ops-report') await this.reportToOps();
        else if (row.kind === 'webhooks') await this.deliverWebhooks();
        else await this.onSchedule(row, now);
        this.hooks?.alarmRow(row, 'after');
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
    await this.schedule.arm(this.clock.now());
    // Throwing makes the runtime retry the alarm with backoff (alarms are at-least-once), at a time of its choosing.
    if (failure) {
      this.schedule.forgetArmed();
      throw failure;
    }
  }

  // ── Storage ────────────────────────────────────────────────────────────
  /**
   * The one way to change stored state: runs `write` in a synchronous storage
   * transaction (state, outbox rows and schedule rows land together or not at
   * all), then `then` (e.g. the broadcast of the change), then points the single alarm at the earliest schedule row.
   */
  protected async commit(write: () => void, then?: () => void): Promise<void> {
    this.ctx.storage.transactionSync(write);
    // `then` (what the change tells the sockets) runs before the alarm is re-armed: the runtime's output gate holds
    // its messages until the write is durable either way, and arming (awaited storage calls) no longer delays them.
    try {
      then?.();
    } finally {
      await this.schedule.arm(this.clock.now());
    }
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
    this.idempotency = new IdempotencyLog(this.ctx.storage, this.limits.idempotencyAnswers);
    this.outbox = new Outbox(this.ctx.storage);
    this.webhookHost.reset();
  }

  // ── Test hooks (wired in only when the environment asks: test-hooks.ts) ──
  /** The wake-up counts (all zero unless COUNT_WAKEUPS=1). Reading them is not counted. */
  async wakeups(): Promise<Wakeups> {
    return this.hooks?.wakeups() ?? { ...NO_WAKEUPS };
  }

  /**
   * Test-only (TEST_HOOKS=1): moves this object's clock forward so it reads at least `instant`, and keeps it there
   * across evictions; time keeps flowing from there. It never moves back. Returns the clock's reading.
   */
  async testClockTo(instant: number): Promise<number> {
    if (!this.hooks) throw new Error('moving the clock needs TEST_HOOKS=1 (and not production)');
    const now = this.clock.now();
    if (now >= instant) return now;
    const offset = instant - systemClock.now();
    this.hooks.setClockOffset(offset);
    this.clock = offsetClock(offset);
    return this.clock.now();
  }

  /** Test-only fault injection on the live instance (never persisted); needs TEST_HOOKS=1. */
  get testAlarmFaults(): AlarmFault | null {
    return this.hooks?.alarmFault ?? null;
  }
  set testAlarmFaults(fault: AlarmFault | null) {
    if (!this.hooks?.faults) throw new Error('alarm faults need TEST_HOOKS=1 (and not production)');
    this.hooks.alarmFault = fault;
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
    const result = await drainOutbox(this.outbox, mirrorSinks(this.env), () => this.clock.now(), {
      tagsFor: (row) => this.cacheTags(row),
      onDead: (letter) => this.reportDeadLetter(letter),
      onWritten: (rows) => this.onMirrored(rows),
      deliver: (row) => this.deliver(row),
      // Alert on the first failure only: the backoff retries would repeat it every few minutes.
      onSchemaBehind: (row, sqlstate) =>
        row.attempts === 0
          ? this.notifyOps([
              {
                kind: 'mirror-schema-behind',
                at: this.clock.now(),
                text: `Postgres is missing a table or column (SQLSTATE ${sqlstate}): run the migration; ${row.kind} waits`,
                data: { sqlstate, eventId: row.eventId, ...(ref ? { object: ref } : {}) },
              },
            ])
          : undefined,
    });
    if (result.nextAt !== null) this.schedule.set('outbox', 'drain', result.nextAt);
    if (result.written > 0) await this.afterDrain();
    if (ref) this.scheduleReport(this.clock.now());
  }

  /** Re-kick from the cron or an ops replay: drain now. */
  async kick(): Promise<{ pending: number }> {
    // A kick means "now": rows waiting out a backoff are made due at once.
    this.outbox.retryNow(this.clock.now());
    await this.drain();
    await this.schedule.arm(this.clock.now());
    return { pending: this.outbox.depth(this.clock.now()).pending };
  }

  /** Moves a dead letter back into the outbox, due now; the alarm drains it. */
  async replayDeadLetter(eventId: string): Promise<boolean> {
    const now = this.clock.now();
    if (!this.outbox.replay(eventId, now)) return false;
    await this.commit(() => this.schedule.set('outbox', 'drain', now));
    return true;
  }

  async outboxState(): Promise<ReturnType<Outbox['depth']> & { deadLetters: DeadLetter[] }> {
    return { ...this.outbox.depth(this.clock.now()), deadLetters: this.outbox.deadLetters() };
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

  // ── Webhooks ───────────────────────────────────────────────────────────
  /** Which webhook events this object sends (rooms, sessions, floors), or null: it has no webhooks. */
  protected webhookScope(): WebhookScope | null {
    return null;
  }

  /** Whether `access` may manage this object's webhooks (the Worker has checked the account already). */
  protected webhookGate(_access: unknown): Refusal | null {
    return null;
  }

  /** The webhook routes' one entry: list, create, update, delete, rotate, deliveries, redeliver, test. */
  async webhooks(access: unknown, op: WebhookOp, idempotencyKey: string | null = null): Promise<Answer<WebhookAnswer>> {
    const outlet = this.webhookHost.outlet();
    if (!outlet) return { ok: false, code: 'not_found', message: 'This has no webhooks' };
    const refused = this.webhookGate(access);
    if (refused) return refused;
    return this.webhookHost.request(outlet, op, idempotencyKey, this.idempotency, (write) => this.commit(write));
  }

  /**
   * Queues a webhook event for every endpoint subscribed to it. Call inside the transaction that makes the change
   * (like appendOutbox); the caller's commit arms the alarm. `eventId` defaults to a fresh id.
   */
  protected queueWebhook(type: string, data: Record<string, unknown>, now: number, eventId?: string): void {
    this.webhookHost.queue(type, data, now, eventId);
  }

  private async deliverWebhooks(): Promise<void> {
    const disabled = await this.webhookHost.deliver();
    if (disabled.length === 0) return;
    const ref = this.mirrorRef();
    await this.notifyOps(
      disabled.map((d) => ({
        kind: 'webhook-disabled',
        at: this.clock.now(),
        text: `Webhook ${d.url} was disabled: ${d.reason}`,
        data: { webhookId: d.id, ...(ref ? { object: ref } : {}) },
      })),
    );
    await this.onWebhookDisabled(disabled);
  }

  /** Tells the owner an endpoint was disabled (rooms tell the owner's open panels); the list shows it too. */
  protected onWebhookDisabled(_disabled: DisabledEndpoint[]): Promise<void> | void {}

  // ── Ops reports ────────────────────────────────────────────────────────
  /** Coalesces live-count reports: at most one per REPORT_DELAY_MS. */
  protected scheduleReport(now: number): void {
    if (this.mirrorRef() && this.schedule.get('ops-report', 'live') === null)
      this.schedule.set('ops-report', 'live', now + REPORT_DELAY_MS);
  }

  private async reportToOps(): Promise<void> {
    const ref = this.mirrorRef();
    if (!ref) return;
    const depth = this.outbox.depth(this.clock.now());
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

  // ── Socket re-authorisation ────────────────────────────────────────────
  /** Keeps the upgrade's session claims (X-KT-Session, set by the Worker) in the socket's platform attachment. */
  private keepSocketAuth(ws: WebSocket, request: Request): void {
    const header = request.headers.get(SESSION_HEADER);
    if (!header) return;
    let parsed: ReturnType<typeof socketAuth.safeParse>;
    try {
      parsed = socketAuth.safeParse(JSON.parse(header));
    } catch {
      return;
    }
    const meta = this.hub.meta(ws);
    if (parsed.success && meta) this.hub.setMeta(ws, { ...meta, auth: parsed.data });
  }

  /**
   * Whether the token a socket opened with still holds: closes it with 4401 when it expired or was revoked (logout,
   * logout-all, password change), and with 4403 when an admin's socket lost the admin role. Cached (session-check.ts).
   */
  private async socketAuthHolds(ws: WebSocket, auth: SocketAuth): Promise<boolean> {
    let status: Awaited<ReturnType<typeof checkSession>>;
    try {
      status = await checkSession(this.env, auth, this.clock.now());
    } catch (err) {
      // The account could not be read: drop this frame, keep the socket (the client retries its command).
      console.warn(JSON.stringify({ level: 'warn', msg: 'session check failed', error: String(err) }));
      this.sendError(ws, 'unavailable', 'Could not check the session; try again');
      return false;
    }
    if (!status) {
      SocketHub.close(ws, CLOSE.unauthenticated, 'session expired or revoked');
      return false;
    }
    if (auth.role === 'admin' && status.role !== 'admin') {
      SocketHub.close(ws, CLOSE.forbidden, 'no longer an admin');
      return false;
    }
    return true;
  }

  // ── Hooks ──────────────────────────────────────────────────────────────
  protected onConnect(_ws: WebSocket, _request: Request): Promise<Response | null> | Response | null {
    return new Response('WebSockets are not served here', { status: 404 });
  }
  protected onRequest(_request: Request): Promise<Response> | Response {
    return new Response('Not found', { status: 404 });
  }
  /**
   * Whether a frame from this socket is heard at all (`msg` is null when it did not parse). An object that refuses
   * closes the socket or sends its own error here; the default admits every frame.
   */
  protected admit(_ws: WebSocket, _meta: SocketMeta<C>, _msg: M | null): Promise<boolean> | boolean {
    return true;
  }
  /** After the `pong` went out (e.g. to keep the client's reported clock offset). */
  protected onPing(_ws: WebSocket, _meta: SocketMeta<C>, _ping: Extract<M, PingFrame>): Promise<void> | void {}
  /** A parsed client message other than `ping`. */
  protected onClientMessage(_ws: WebSocket, _meta: SocketMeta<C>, _msg: Exclude<M, PingFrame>): Promise<void> | void {}
  protected onClose(_ws: WebSocket, _meta: SocketMeta<C> | null): Promise<void> | void {}
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
  /** Hands an outbox row to another object (idempotently); a throw retries the row with the drain's backoff. */
  protected async deliver(_row: OutboxRow): Promise<void> {}
  /** Called after a drain that wrote rows (e.g. to finish a deletion once all is mirrored). */
  protected afterDrain(): Promise<void> | void {}

  /** Every server message carries the object's version and the server time. */
  protected stamp<T extends object>(msg: T): T & { version: number; serverTime: number } {
    return { ...msg, version: this.currentVersion(), serverTime: this.clock.now() };
  }

  protected currentVersion(): number {
    return 0;
  }

  // ── Sockets ────────────────────────────────────────────────────────────
  /** Accepts a socket with a fresh id and the connect time; `own` is the capability's part of its metadata. */
  protected acceptSocket(
    ws: WebSocket,
    who: { userId: string | null; device?: string | null },
    own: C,
    tags: string[] = [],
  ): SocketMeta<C> {
    const platform: PlatformMeta = {
      sid: crypto.randomUUID().slice(0, 8),
      userId: who.userId,
      device: who.device?.slice(0, 80) ?? null,
      connectedAt: this.clock.now(),
    };
    const meta = { ...own, ...platform } as SocketMeta<C>;
    const peer = this.peerTags.get(ws);
    this.hub.accept(ws, meta, peer ? [...tags, peer] : tags);
    return meta;
  }

  /**
   * The upgrade caps, checked before the upgrade: sockets from one IP prefix on this object (429
   * `too_many_connections`), and sockets on this object in all (409 `capacity_reached`). O(1) from the hub's counts;
   * a count at a cap is checked again from the runtime before refusing, so a count that drifted high never refuses.
   */
  private socketCap(peer: string): Response | null {
    const { socketsPerIp, socketsPerObject } = this.limits;
    if (this.hub.count() >= socketsPerObject || this.hub.count(peer) >= socketsPerIp) this.hub.recount();
    if (this.hub.count() >= socketsPerObject)
      return Response.json(
        errorBody('capacity_reached', `This already has ${socketsPerObject} live connections, the most it takes`, {
          limit: socketsPerObject,
        }),
        { status: 409 },
      );
    if (this.hub.count(peer) >= socketsPerIp)
      return Response.json(
        errorBody('too_many_connections', `At most ${socketsPerIp} live connections from one address`, {
          limit: socketsPerIp,
        }),
        { status: 429 },
      );
    return null;
  }

  /** The error frame: a short code (the details go to the log), naming the message it answers when it had an id. */
  protected sendError(ws: WebSocket, code: string, message: string, id?: string): void {
    this.hub.send(
      ws,
      this.stamp({ type: 'error', ...(id === undefined ? {} : { id }), code, message }) satisfies ErrorMessage,
    );
  }
}
