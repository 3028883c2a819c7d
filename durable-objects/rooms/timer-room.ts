/**
 * TimerRoom: the one owner of a room's rundown. Commands arrive by RPC (HTTP
 * routes) or WebSocket; both reach `execute()`. State changes are saved, then
 * broadcast, then the single alarm is pointed at the next real boundary.
 */
import { type Answer, CLOSE, type Refusal, accept, refuse } from '../../core/errors.ts';
import { readAccessHeader } from '../platform/access.ts';
import { KeeptimeObject } from '../platform/object.ts';
import { commandHash, socketCommandKey } from '../platform/idempotency.ts';
import { deliverToOwner, handOverToOps, lifecyclePayload, roomCacheTags } from './lifecycle.ts';
import { FeedLog } from './feed.ts';
import type { Presence, RelayCatchUp, RelayReport } from './relay-protocol.ts';
import { type RelayConfig, RoomRelays } from './relays.ts';
import type { Access, CommandAnswer, CommandResult, RoomStats, RotateAnswer, Snapshot } from './view.ts';
import { accessHeader, finishedOf, journalOf, messages, refusal, roomView, statusOf } from './view.ts';
import { tickMessage, toCommand, wireEvent } from './view.ts';
import { roomWebhookEvents } from '../../core/rooms/webhook-events.ts';
import type { WebhookScope } from '../../core/webhooks.ts';
import { type LinkRole, type Links, newLinks, randomSecret, roleOfToken, tokenFor } from './share-links.ts';
import { SocketHub } from '../platform/sockets.ts';
import {
  type DeviceCommandInput,
  type DeviceResult,
  RoomDevices,
  type RoomSocket,
  type RoomSocketMeta,
  deviceTag,
  isDeviceCommand,
  roomSockets,
} from './devices.ts';
import type { ScheduleRow } from '../platform/schedule.ts';
import type { ObjectRef } from '../ops/ops.ts';
import type { OutboxRow } from '../platform/outbox.ts';
import { type RoomMirrorPayload, roomMirrorPayload, roomNotifications } from './mirror.ts';
import type { Actor, OpenRuns } from '../../core/rooms/runs.ts';
import {
  type RoomEvent,
  type RoomState,
  anyRunning,
  makeRoom,
  nextBoundary,
  transition,
  upgradeRoom,
} from '../../core/rooms/transition.ts';
import type { RoomClientMessage, RoomCommandInput } from '../../core/protocol.ts';
import type { ImportRundownInput } from '../../core/rooms/rundown-csv.ts';
import type { RoomRole, RoomServerMessage, RoomSnapshot } from '../../core/rooms/wire.ts';

export type { RoomRole };
export type { Access, CommandResult, Snapshot } from './view.ts';

const TICK_MS = 1000;
const REUSED = 'This idempotency key was already used for a different command';
/** A deleted room hands Ops at most this many dead letters (an outbox dead-letters at most a few). */
const MAX_HANDED_OVER = 10_000;
/** When Ops could not take a deleted room's dead letters, the room tries again after this long. */
const HANDOVER_RETRY_MS = 30_000;

export class TimerRoom extends KeeptimeObject<RoomSocket, RoomClientMessage> {
  private state: RoomState | null;
  private links: Links | null;
  /** Presence, the devices list, the known-device registry and the device commands. */
  private readonly devices: RoomDevices;
  private readonly feed: FeedLog;
  /** Relays holding share-link viewers past the threshold (relays.ts). */
  private readonly relays: RoomRelays;

  constructor(ctx: DurableObjectState, env: import('../platform/env.ts').Env) {
    super(ctx, env, roomSockets);
    this.relays = new RoomRelays(
      env,
      this.limits,
      () => this.kv,
      () => this.mirrorRef()?.name ?? '',
    );
    this.devices = new RoomDevices({
      hub: this.hub,
      sql: ctx.storage.sql,
      idempotency: () => this.idempotency,
      now: () => this.clock.now(),
      stamp: (msg) => this.stamp(msg),
      commit: (write) => this.commit(write),
      relays: this.relays,
    });
    this.feed = new FeedLog(ctx.storage.sql);
    const stored = this.kv.get<RoomState>('state');
    this.state = stored ? upgradeRoom(stored) : null;
    this.links = this.kv.get<Links>('links');
  }

  protected override currentVersion(): number {
    return this.state?.version ?? 0;
  }

  // ── RPC ────────────────────────────────────────────────────────────────
  /** Creates the room (idempotent: a second call returns the existing room). */
  async create(input: {
    id: string;
    name: string;
    ownerId: string;
    ownerEmail: string;
  }): Promise<{ room: RoomState['room']; links: Record<LinkRole, string> }> {
    if (!this.state || !this.links) {
      const now = this.clock.now();
      const state = makeRoom({ id: input.id, name: input.name, ownerId: input.ownerId, createdAt: now });
      const links = newLinks();
      await this.commit(() => {
        this.kv.put('state', state);
        this.kv.put('links', links);
        this.kv.put('ownerEmail', input.ownerEmail);
        this.appendOutbox(
          'room.created',
          lifecyclePayload(state, 'created', { id: input.ownerId, role: 'owner' }, now, {}),
          now,
        );
      });
      this.state = state;
      this.links = links;
    }
    return { room: this.state.room, links: this.shareTokens() };
  }

  /** The role `access` holds here, or an error code. */
  roleOf(
    access: Access,
  ): { role: RoomRole; gen: number } | { error: 'room_not_found' | 'forbidden' | 'unauthenticated' } {
    if (!this.state || !this.links) return { error: 'room_not_found' };
    if (access.userId && access.userId === this.state.room.ownerId) return { role: 'owner', gen: 0 };
    const byToken = roleOfToken(this.state.room.id, this.links, access.token);
    if (byToken) return byToken;
    return { error: access.userId || access.token ? 'forbidden' : 'unauthenticated' };
  }

  async snapshot(access: Access): Promise<Answer<Snapshot>> {
    const r = this.roleOf(access);
    if ('error' in r) return refuse(r.error, messages[r.error]);
    // Share links travel only on the owner's HTTP reads, never over a socket (which a same-site page could open).
    return accept(this.snapshotFor(r.role, r.role === 'owner'));
  }

  /** Runs one command for `access`. Retries with the same idempotency key get the first answer. */
  async command(
    access: Access,
    command: RoomCommandInput | ImportRundownInput,
    idempotencyKey: string | null,
  ): Promise<Answer<CommandResult>> {
    const r = this.roleOf(access);
    if ('error' in r) return refuse(r.error, messages[r.error]);
    const refused = refusal(r.role, command);
    if (refused) return refuse('forbidden', refused);
    if (isDeviceCommand(command)) {
      const key = idempotencyKey ? `${access.userId ?? r.role}:${idempotencyKey}` : null;
      const d = await this.devices.command(command, key);
      return d.ok ? accept({ version: this.currentVersion(), events: [] }) : refuse(d.code, d.message);
    }
    const actor: Actor = { id: access.userId, role: r.role === 'owner' ? 'owner' : 'controller' };
    const a = await this.execute(
      command,
      idempotencyKey ? `${access.userId ?? r.role}:${idempotencyKey}` : null,
      actor,
    );
    return a.ok ? accept({ version: a.version, events: a.events }) : refuse(a.code, a.message);
  }

  /** Renames, identifies, reloads or disconnects one known device: the owner and controllers only. */
  async deviceCommand(
    access: Access,
    command: DeviceCommandInput,
    idempotencyKey: string | null,
  ): Promise<Answer<DeviceResult>> {
    const r = this.roleOf(access);
    if ('error' in r) return refuse(r.error, messages[r.error]);
    const refused = refusal(r.role, command);
    if (refused) return refuse('forbidden', refused);
    const key = idempotencyKey ? `${access.userId ?? r.role}:${idempotencyKey}` : null;
    const d = await this.devices.command(command, key);
    return d.ok ? accept({ deviceId: d.deviceId, name: d.name, sockets: d.sockets }) : refuse(d.code, d.message);
  }

  async destroy(access: Access): Promise<Answer<null>> {
    const r = this.roleOf(access);
    if ('error' in r) return bare(r.error);
    if (r.role !== 'owner') return bare('forbidden');
    for (const ws of this.hub.sockets()) SocketHub.close(ws, CLOSE.deleted, 'room deleted');
    await this.relays.shutdown();
    // A tombstone until the deletion is mirrored; then the storage is wiped (afterDrain).
    const state = this.state as RoomState;
    const now = this.clock.now();
    await this.commit(() => {
      this.kv.delete('state');
      this.kv.delete('links');
      this.kv.put('tombstone', { id: state.room.id });
      this.schedule.clear('boundary', 'room');
      this.schedule.clear('tick', 'room');
      this.appendOutbox(
        'room.deleted',
        lifecyclePayload(
          state,
          'deleted',
          { id: access.userId, role: 'owner' },
          now,
          this.kv.get<OpenRuns>('runs') ?? {},
        ),
        now,
      );
    });
    this.state = null;
    this.links = null;
    return accept(null);
  }

  /** Issues a new token for `role` and closes every socket opened with an older one. */
  async rotate(
    access: Access,
    role: LinkRole,
    idempotencyKey: string | null = null,
  ): Promise<Answer<{ links: Record<LinkRole, string> }>> {
    const r = this.roleOf(access);
    if ('error' in r) return bare(r.error);
    if (r.role !== 'owner' || !this.links) return bare('forbidden');
    // A retried rotation must not revoke the token the first attempt handed out.
    const key = idempotencyKey ? `${access.userId}:rotate:${idempotencyKey}` : null;
    const hash = key ? await commandHash('rotate', { role }) : null;
    const earlier = key ? this.idempotency.recall<RotateAnswer>(key, hash) : null;
    if (earlier?.kind === 'reused') return refuse('idempotency_key_reused', REUSED);
    if (earlier?.kind === 'replay')
      return earlier.answer.ok ? accept({ links: earlier.answer.links }) : bare(earlier.answer.code);
    const links: Links = { ...this.links, [role]: { secret: randomSecret(), gen: this.links[role].gen + 1 } };
    const answer: RotateAnswer = {
      ok: true,
      links: { ...this.shareTokens(), [role]: tokenFor((this.state as RoomState).room.id, links[role]) },
    };
    await this.commit(() => {
      this.kv.put('links', links);
      if (key) this.idempotency.put(key, answer, this.clock.now(), hash);
    });
    this.links = links;
    if (role === 'viewer') this.relays.revoke(links.viewer.gen);
    for (const ws of this.hub.sockets(role)) {
      const m = this.hub.meta(ws);
      if (!m || m.tokenGen < links[role].gen) SocketHub.close(ws, CLOSE.rotated, 'share link rotated');
    }
    // Every open owner panel hears of the rotation (a room-state without links) and rereads the links over HTTP.
    for (const ws of this.hub.sockets('owner')) this.hub.send(ws, this.roomStateMessage('owner'));
    this.devices.broadcastPresence();
    return accept({ links: answer.links });
  }

  /** Counts for ops and tests. */
  async stats(): Promise<RoomStats> {
    return {
      boundary: this.schedule.get('boundary', 'room'),
      tick: this.schedule.get('tick', 'room'),
      pending: this.outbox.depth(this.clock.now()).pending,
      exists: this.state !== null,
      sockets: this.hub.sockets().length,
      version: this.state?.version ?? 0,
      running: this.state ? anyRunning(this.state) : false,
      alarm: await this.ctx.storage.getAlarm(),
    };
  }

  // ── Commands ───────────────────────────────────────────────────────────
  private async execute(
    input: RoomCommandInput | ImportRundownInput,
    key: string | null,
    actor: Actor,
  ): Promise<CommandAnswer> {
    // Hashed before the recall, so nothing awaits between the recall and the put.
    const hash = key ? await commandHash('command', input) : null;
    if (key) {
      const earlier = this.idempotency.recall<CommandAnswer>(key, hash);
      if (earlier.kind === 'reused') return { ok: false, code: 'idempotency_key_reused', message: REUSED };
      if (earlier.kind === 'replay') return earlier.answer;
    }
    const state = this.state as RoomState;
    const now = this.clock.now();
    const command = toCommand(input);
    const result = transition(state, command, now);
    if ('rejected' in result) {
      const answer: CommandAnswer = { ok: false, code: result.rejected, message: result.message };
      if (key) this.idempotency.put(key, answer, now, hash);
      return answer;
    }
    const answer: CommandAnswer = { ok: true, version: result.state.version, events: result.events };
    const journal = journalOf(input, command);
    // An import's replay needs only its version (the route answers from the body); its events can be large.
    const kept: CommandAnswer = command.type === 'import-rundown' ? { ...answer, events: [] } : answer;
    await this.save(
      state,
      result.state,
      result.events,
      actor,
      journal,
      now,
      () => key && this.idempotency.put(key, kept, now, hash),
    );
    return answer;
  }

  /**
   * Saves state, its outbox row and its schedule in one commit (one transaction, then the alarm): the state change
   * and its mirror event land together or not at all. The events are published right after the transaction, before
   * the alarm is armed (in version order: nothing awaits between the transaction and the broadcast).
   */
  private async save(
    prev: RoomState,
    next: RoomState,
    events: RoomEvent[],
    actor: Actor,
    command: { type: string; [k: string]: unknown },
    now: number,
    also?: () => unknown,
  ): Promise<void> {
    const change = roomMirrorPayload({
      prev,
      next,
      events,
      actor,
      command,
      openRuns: this.kv.get<OpenRuns>('runs') ?? {},
      now,
    });
    await this.commit(
      () => {
        this.kv.put('state', next);
        this.kv.put('runs', change.openRuns);
        also?.();
        if (events.length > 0)
          this.appendOutbox(actor.role === 'system' ? 'room.alarm' : 'room.command', change.payload, now);
        for (const w of roomWebhookEvents(prev, next, events, now)) this.queueWebhook(w.type, w.data, now, w.id);
        this.planAlarms(next, now);
        this.scheduleReport(now);
        this.state = next;
      },
      () => this.publish(events, prev.version),
    );
  }

  // ── Webhooks (the owner's) ─────────────────────────────────────────────
  protected override webhookScope(): WebhookScope {
    return 'rooms';
  }

  protected override webhookGate(access: unknown): Refusal | null {
    const r = this.roleOf(access as Access);
    if ('error' in r) return refuse(r.error, messages[r.error]);
    return r.role === 'owner' ? null : refuse('forbidden', 'Only the room owner can manage its webhooks');
  }

  /** The owner's open panels hear that an endpoint was disabled (the webhook list says why). */
  protected override onWebhookDisabled(disabled: Array<{ id: string; url: string; reason: string }>): void {
    for (const ws of this.hub.sockets('owner'))
      for (const d of disabled) this.sendError(ws, 'webhook_disabled', `${d.url}: ${d.reason}`);
  }

  protected override mirrorRef(): ObjectRef | null {
    const id = this.state?.room.id ?? this.kv.get<{ id: string }>('tombstone')?.id;
    return id ? { kind: 'room', name: id } : null;
  }

  protected override async deliver(row: OutboxRow): Promise<void> {
    await deliverToOwner(this.env, this.kv.get<string>('ownerEmail'), row);
  }

  protected override cacheTags(row: OutboxRow): string[] {
    return roomCacheTags(row);
  }

  /** The ops report, and with it (one alarm) the presence safety net: a head count owed after a join or close. */
  protected override scheduleReport(now: number): void {
    super.scheduleReport(now);
    const due = this.schedule.get('ops-report', 'live');
    if (due !== null && this.schedule.get('presence', 'room') === null) this.schedule.set('presence', 'room', due);
  }

  protected override liveCounts(): { sockets: number; active: boolean } {
    return { sockets: this.hub.sockets().length, active: this.state ? anyRunning(this.state) : false };
  }

  protected override async onMirrored(rows: OutboxRow[]): Promise<void> {
    await this.notifyOps(rows.flatMap((r) => roomNotifications(r.kind, r.payload as RoomMirrorPayload)));
  }

  /** After every drain (whether it wrote rows or not), a deleted room whose outbox is empty finishes its deletion. */
  protected override async drain(): Promise<void> {
    await super.drain();
    if (this.kv.get('tombstone') && this.outbox.depth(this.clock.now()).pending === 0) await this.finishDeletion();
  }

  /**
   * Wipes a deleted room once its deletion is mirrored. Its dead letters go to Ops first (which keeps them
   * replayable), and Ops hears a final report (nothing pending, no sockets), so it keeps no phantom outbox entry.
   * If Ops cannot take them, nothing is wiped and the drain tries again later.
   */
  private async finishDeletion(): Promise<void> {
    const ref = this.mirrorRef();
    if (ref && !(await handOverToOps(this.ops(), ref, this.outbox.deadLetters(MAX_HANDED_OVER)))) {
      await this.commit(() => this.schedule.set('outbox', 'drain', this.clock.now() + HANDOVER_RETRY_MS));
      return;
    }
    await this.wipeStorage();
    this.devices.reset();
    this.relays.reset();
  }

  private planAlarms(state: RoomState, now: number): void {
    const boundary = nextBoundary(state, now);
    if (boundary === null) this.schedule.clear('boundary', 'room');
    else this.schedule.set('boundary', 'room', boundary);
    if (anyRunning(state) && this.hub.sockets('ticks').length > 0) {
      if (this.schedule.get('tick', 'room') === null)
        this.schedule.set('tick', 'room', now - (now % TICK_MS) + TICK_MS);
    } else this.schedule.clear('tick', 'room');
  }

  protected override async onSchedule(row: ScheduleRow, now: number): Promise<void> {
    if (!this.state) return;
    if (row.kind === 'boundary') {
      const prev = this.state;
      const result = transition(prev, { type: 'tick' }, now);
      if ('rejected' in result) return;
      const journal = { type: 'alarm', finished: finishedOf(prev, result.events) };
      await this.save(prev, result.state, result.events, { id: null, role: 'system' }, journal, now);
    } else if (row.kind === 'presence') this.devices.flushPresence();
    else if (row.kind === 'tick') {
      this.sendTicks(now);
      await this.commit(() => this.planAlarms(this.state as RoomState, now));
    }
  }

  private sendTicks(now: number): void {
    const tick = tickMessage(this.state as RoomState, now);
    // serverTime is the instant the readings were taken, so a client can check them against its own clock.
    if (tick)
      this.hub.broadcast({ ...this.stamp(tick), serverTime: now } satisfies RoomServerMessage, undefined, 'ticks');
  }

  private publish(events: RoomEvent[], from: number): void {
    const messages = events.map((e) => this.stamp(wireEvent(e)) satisfies RoomServerMessage);
    for (const m of messages) this.hub.broadcast(m);
    // Kept for event-feed clients that reconnect (SSE Last-Event-ID): they get exactly what they missed.
    this.feed.append(messages);
    // Once to each relay, which sends the same messages to its viewers.
    const state = this.state as RoomState;
    this.relays.publish(state.room.id, from, state, messages);
  }

  // ── Relays ─────────────────────────────────────────────────────────────
  /** A relay (new, woken with nothing, or behind) asks for the state and what it missed since `since`. */
  async relayCatchUp(index: number, since: number | null): Promise<RelayCatchUp | null> {
    if (!this.state || !this.links) return null;
    const missed = since === null ? null : (this.feed.since(since, this.currentVersion()) as object[] | null);
    return this.relays.catchUp(index, this.state, missed, this.links.viewer.gen, this.devices.presence());
  }

  /** A relay's head count; answers the room's total (null: the room is gone, the relay closes its sockets). */
  async relayReport(index: number, report: RelayReport): Promise<Presence | null> {
    if (!this.state) return null;
    if (this.relays.report(index, report)) this.devices.broadcastPresence();
    await this.commit(() => this.scheduleReport(this.clock.now()));
    return this.devices.presence();
  }

  /** Test-only (TEST_HOOKS=1, development): this room's relay threshold and share, instead of the environment's. */
  async testRelayConfig(config: RelayConfig | null): Promise<void> {
    this.relays.setTestConfig(config);
  }

  // ── WebSockets ─────────────────────────────────────────────────────────
  protected override async onConnect(ws: WebSocket, request: Request): Promise<Response | null> {
    const access = readAccessHeader(request, accessHeader) ?? { userId: null, token: null };
    const r = this.roleOf(access);
    if ('error' in r)
      return Response.json({ error: { code: r.error, message: messages[r.error] } }, { status: statusOf[r.error] });
    const ticks = access.ticks === true;
    const deviceId = access.deviceId ?? null;
    // A share-link viewer past the threshold is seated on a relay: the Worker opens its socket there.
    const seated =
      r.role === 'viewer' && access.relay && !ticks ? this.relays.seat(this.hub.count('viewer'), r.gen) : null;
    if (seated) {
      if (deviceId) this.devices.seen(deviceId, { role: 'viewer', device: access.device ?? null });
      return seated;
    }
    const meta = this.acceptSocket(
      ws,
      { userId: access.userId, device: access.device ?? null },
      { role: r.role, tokenGen: r.gen, ticks, offsetMs: null, rttMs: null, deviceId, lastPingAt: null, spread: null },
      [r.role, ...(ticks ? ['ticks'] : []), ...(deviceId ? [deviceTag(deviceId)] : [])],
    );
    // A feed client resuming from a version gets the messages it missed, or a full room-state if the log is too short.
    const missed = access.since === undefined ? null : this.feed.since(access.since, this.currentVersion());
    if (missed) for (const m of missed) this.hub.send(ws, m as RoomServerMessage);
    else this.hub.send(ws, this.roomStateMessage(r.role));
    this.devices.connected(meta);
    const now = this.clock.now();
    await this.commit(() => {
      if (ticks) this.planAlarms(this.state as RoomState, now);
      this.scheduleReport(now);
    });
    return null;
  }

  /** A socket of a deleted room, or whose share link was rotated out, is closed, even if it slipped through a wake-up. */
  protected override admit(ws: WebSocket, meta: RoomSocketMeta): boolean {
    if (!this.state) {
      SocketHub.close(ws, CLOSE.deleted, 'room deleted');
      return false;
    }
    if (!this.stillValid(meta)) {
      SocketHub.close(ws, CLOSE.rotated, 'share link rotated');
      return false;
    }
    return true;
  }

  protected override onPing(
    ws: WebSocket,
    meta: RoomSocketMeta,
    ping: Extract<RoomClientMessage, { type: 'ping' }>,
  ): void {
    this.devices.pinged(ws, meta, ping);
  }

  protected override async onClientMessage(
    ws: WebSocket,
    meta: RoomSocketMeta,
    msg: Exclude<RoomClientMessage, { type: 'ping' }>,
  ): Promise<void> {
    switch (msg.type) {
      case 'hello':
        this.devices.hello(ws, meta, msg.device ?? null);
        return;
      case 'request-sync':
        this.hub.send(ws, this.roomStateMessage(meta.role));
        return;
      case 'command': {
        const refused = refusal(meta.role, msg.command);
        if (refused) {
          this.sendError(ws, 'forbidden', refused, msg.id);
          return;
        }
        const key = socketCommandKey(meta, meta.role, msg.id);
        const actor: Actor = { id: meta.userId, role: meta.role === 'owner' ? 'owner' : 'controller' };
        const answer = isDeviceCommand(msg.command)
          ? { ...(await this.devices.command(msg.command, key)), version: this.currentVersion() }
          : await this.execute(msg.command, key, actor);
        if (answer.ok)
          this.hub.send(ws, {
            type: 'ack',
            id: msg.id,
            version: answer.version,
            serverTime: this.clock.now(),
          } satisfies RoomServerMessage);
        else this.sendError(ws, answer.code, answer.message, msg.id);
        return;
      }
    }
  }

  protected override async onClose(_ws: WebSocket, meta: RoomSocketMeta | null): Promise<void> {
    if (!this.state) return this.devices.broadcastPresence();
    this.devices.closed(meta);
    const now = this.clock.now();
    await this.commit(() => this.scheduleReport(now));
  }

  private stillValid(meta: RoomSocketMeta): boolean {
    if (meta.role !== 'viewer' && meta.role !== 'controller') return true;
    return this.links !== null && meta.tokenGen >= this.links[meta.role].gen;
  }

  // ── Views ──────────────────────────────────────────────────────────────
  /** The room as `role` sees it; `withLinks` (the owner's HTTP read only) adds the share links. */
  snapshotFor(role: RoomRole, withLinks = false): RoomSnapshot {
    const links = withLinks && role === 'owner' ? this.shareTokens() : undefined;
    return roomView(this.state as RoomState, role, this.clock.now(), links);
  }

  private roomStateMessage(role: RoomRole) {
    const snap = this.snapshotFor(role);
    return { type: 'room-state', ...snap, ...this.devices.presence() } satisfies RoomServerMessage;
  }

  private shareTokens(): Record<LinkRole, string> {
    const s = this.state as RoomState;
    const l = this.links as Links;
    return { viewer: tokenFor(s.room.id, l.viewer), controller: tokenFor(s.room.id, l.controller) };
  }
}

const bare = (code: string): Refusal => refuse(code, code.replace(/_/g, ' '));
