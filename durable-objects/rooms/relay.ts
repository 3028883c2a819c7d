/**
 * RoomRelay: holds a share of a large room's viewer sockets (relays.ts says when and which). It owns nothing: it
 * caches the room's latest state and version and a short log of its messages, gets each change once from the room
 * (`publish`) and broadcasts it to its own sockets, unchanged. It answers `request-sync`, `since=` resumption and
 * clock pings itself (`serverTime` from its own clock), and reports its head count to the room, coalesced, so every
 * `user-count` is the room's total. Publishes are applied in version order, one at a time; on a gap (a lost or
 * reordered call, or a relay woken with nothing) it asks the room for what it missed before anything newer.
 * Hibernating sockets and no alarms: an idle relay sends nothing and is never woken.
 */
import { CLOSE } from '../../core/errors.ts';
import type { RoomClientMessage } from '../../core/protocol.ts';
import type { RoomState } from '../../core/rooms/transition.ts';
import type { RoomServerMessage } from '../../core/rooms/wire.ts';
import { readAccessHeader } from '../platform/access.ts';
import { Coalescer } from '../platform/coalescer.ts';
import type { Env } from '../platform/env.ts';
import type { ScheduleRow } from '../platform/schedule.ts';
import { KeeptimeObject } from '../platform/object.ts';
import { SocketHub, type SocketMeta } from '../platform/sockets.ts';
import { roomStub } from '../platform/stubs.ts';
import { type RoomSocket, deviceTag, roomSockets } from './devices.ts';
import { FeedLog } from './feed.ts';
import { type Presence, RELAY_HEADER, type RelayDeviceAction, type RelayPublish, relaySeat } from './relay-protocol.ts';
import { REPORTED_DEVICES } from './relays.ts';
import { accessHeader, messages, refusal, roomView } from './view.ts';

/** Head-count reports to the room go at most this often (a join storm folds into a few). */
const REPORT_GAP_MS = 250;
/** A failed report is retried this many times in a row at most (then the next join or close reports again). */
const MAX_REPORT_RETRIES = 5;
/** After a join or close, an alarm reports again this much later (a coalescer's timer may not fire under load). */
const REPORT_CHECK_MS = 1_000;

type Meta = SocketMeta<RoomSocket>;

export class RoomRelay extends KeeptimeObject<RoomSocket, RoomClientMessage> {
  private state: RoomState | null;
  private seat: { roomId: string; index: number } | null;
  /** Sockets opened with a viewer link older than this generation are closed (the room rotated the link). */
  private minGen: number;
  /** The room's last head count, and how many viewers this relay had reported when it was counted. */
  private counted: Presence = { viewers: 0, controllers: 0 };
  private reported = 0;
  private failedReports = 0;
  private feed: FeedLog;
  /** Publishes and catch-ups run one at a time, in arrival order. */
  private queue: Promise<void> = Promise.resolve();
  private readonly reportGate = new Coalescer(REPORT_GAP_MS, () => void this.report());

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, roomSockets);
    this.feed = new FeedLog(ctx.storage.sql);
    this.state = this.kv.get<RoomState>('state');
    this.seat = this.kv.get<{ roomId: string; index: number }>('seat');
    this.minGen = this.kv.get<number>('minGen') ?? 0;
    this.counted = this.kv.get<Presence>('presence') ?? this.counted;
    // Woken with its sockets: the last report counted them (or a new one will, on the next join or close).
    this.reported = this.hub.count();
  }

  protected override currentVersion(): number {
    return this.state?.version ?? 0;
  }

  // ── From the room ──────────────────────────────────────────────────────
  /** One change: applied in version order (a gap makes the relay catch up from the room first). */
  async publish(p: RelayPublish): Promise<void> {
    this.remember(p.roomId, p.index);
    await this.serial(async () => {
      const version = this.currentVersion();
      if (this.state && p.version <= version) return; // already has it (a catch-up got there first)
      if (!this.state || p.from !== version) return this.catchUp();
      this.state = p.state;
      this.kv.put('state', p.state);
      this.feed.append(p.messages as Array<{ version: number }>);
      for (const m of p.messages) this.hub.broadcast(m);
    });
  }

  /** The room's new head count, to every socket here (stamped with this relay's version and clock). */
  async presence(p: Presence): Promise<void> {
    this.counted = p;
    this.kv.put('presence', p);
    if (this.hub.count() > 0) this.hub.broadcast(this.stamp({ type: 'user-count', ...this.heads() }));
  }

  /** The viewer link was rotated: sockets opened with an older one are closed. */
  async revoke(minGen: number): Promise<void> {
    this.minGen = Math.max(this.minGen, minGen);
    this.kv.put('minGen', this.minGen);
    for (const ws of this.hub.sockets())
      if (!this.valid(this.hub.meta(ws))) SocketHub.close(ws, CLOSE.rotated, 'share link rotated');
  }

  /** The room was deleted: every socket is closed and the relay forgets the room. */
  async shutdown(): Promise<void> {
    for (const ws of this.hub.sockets()) SocketHub.close(ws, CLOSE.deleted, 'room deleted');
    this.state = null;
    this.seat = null;
    this.minGen = 0;
    await this.wipeStorage();
    this.feed = new FeedLog(this.ctx.storage.sql);
  }

  /** A device command for this relay's sockets of the device; the number of sockets it reached. */
  async device(action: RelayDeviceAction): Promise<number> {
    const targets = this.hub.sockets(deviceTag(action.deviceId));
    const now = this.clock.now();
    for (const ws of targets) {
      if (action.type === 'identify')
        this.hub.send(ws, {
          type: 'identify',
          deviceId: action.deviceId,
          name: action.name,
          untilMs: action.untilMs,
          serverTime: now,
        } satisfies RoomServerMessage);
      else if (action.type === 'reload')
        this.hub.send(ws, { type: 'reload', serverTime: now } satisfies RoomServerMessage);
      else SocketHub.close(ws, CLOSE.disconnected, 'disconnected by the organiser');
    }
    if (action.type === 'disconnect' && targets.length > 0) await this.requestReport();
    return targets.length;
  }

  /** Counts for tests and ops. */
  async relayStats(): Promise<{ sockets: number; version: number; seat: { roomId: string; index: number } | null }> {
    return { sockets: this.hub.sockets().length, version: this.currentVersion(), seat: this.seat };
  }

  // ── Sockets ────────────────────────────────────────────────────────────
  protected override async onConnect(ws: WebSocket, request: Request): Promise<Response | null> {
    let seat: ReturnType<typeof relaySeat.safeParse>;
    try {
      seat = relaySeat.safeParse(JSON.parse(request.headers.get(RELAY_HEADER) ?? 'null'));
    } catch {
      seat = relaySeat.safeParse(null);
    }
    const access = readAccessHeader(request, accessHeader);
    if (!seat.success || !access) return new Response('Not found', { status: 404 });
    this.remember(seat.data.roomId, seat.data.index);
    // A relay with no socket may have been left out of the room's publishes: it checks it is current first.
    if (!this.state || this.hub.count() === 0) await this.serial(() => this.catchUp());
    if (!this.state) return notFound();
    if (seat.data.gen < this.minGen) return Response.json(refused('forbidden'), { status: 403 });
    const deviceId = access.deviceId ?? null;
    this.acceptSocket(
      ws,
      { userId: null, device: access.device ?? null },
      {
        role: 'viewer',
        tokenGen: seat.data.gen,
        ticks: false,
        offsetMs: null,
        rttMs: null,
        deviceId,
        lastPingAt: null,
        spread: null,
      },
      ['viewer', ...(deviceId ? [deviceTag(deviceId)] : [])],
    );
    // A client resuming from a version gets the messages it missed, or a full room-state if this log is too short.
    const missed = access.since === undefined ? null : this.feed.since(access.since, this.currentVersion());
    if (missed) for (const m of missed) this.hub.send(ws, m as RoomServerMessage);
    else this.hub.send(ws, this.roomState());
    await this.requestReport();
    return null;
  }

  protected override admit(ws: WebSocket, meta: Meta): boolean {
    if (!this.state) {
      SocketHub.close(ws, CLOSE.deleted, 'room deleted');
      return false;
    }
    if (!this.valid(meta)) {
      SocketHub.close(ws, CLOSE.rotated, 'share link rotated');
      return false;
    }
    return true;
  }

  protected override onClientMessage(
    ws: WebSocket,
    meta: Meta,
    msg: Exclude<RoomClientMessage, { type: 'ping' }>,
  ): void {
    if (msg.type === 'hello') this.hub.setMeta(ws, { ...meta, device: msg.device?.slice(0, 80) ?? null });
    else if (msg.type === 'request-sync') this.hub.send(ws, this.roomState());
    else if (msg.type === 'command')
      this.sendError(ws, 'forbidden', refusal('viewer', msg.command) ?? messages.forbidden, msg.id);
  }

  protected override async onClose(): Promise<void> {
    await this.requestReport();
  }

  /** The alarm's report (the safety net of requestReport); then nothing is armed: an idle relay is never woken. */
  protected override async onSchedule(row: ScheduleRow): Promise<void> {
    if (row.kind === 'relay') await this.report();
  }

  /** A report now or soon (coalesced), and an alarm that reports again in REPORT_CHECK_MS whatever happens. */
  private async requestReport(): Promise<void> {
    this.reportGate.request();
    const due = this.clock.now() + REPORT_CHECK_MS;
    await this.commit(() => {
      if (this.schedule.get('relay', 'report') === null) this.schedule.set('relay', 'report', due);
    });
  }

  // ── Inside ─────────────────────────────────────────────────────────────
  private roomState(): RoomServerMessage {
    const view = roomView(this.state as RoomState, 'viewer', this.clock.now());
    return { type: 'room-state', ...view, ...this.heads() };
  }

  /** The room's count, corrected by what changed here since this relay last reported. */
  private heads(): Presence {
    const viewers = Math.max(0, this.counted.viewers + this.hub.count() - this.reported);
    return { viewers, controllers: this.counted.controllers };
  }

  private valid(meta: Meta | null): boolean {
    return meta !== null && meta.tokenGen >= this.minGen;
  }

  /** Asks the room for what this relay missed; sends it (or a fresh room-state) to every socket here. */
  private async catchUp(): Promise<void> {
    if (!this.seat) return;
    const had = this.state ? this.currentVersion() : null;
    const c = await roomStub(this.env, this.seat.roomId).relayCatchUp(this.seat.index, had);
    if (!c) {
      if (this.state || this.hub.sockets().length > 0) await this.shutdown();
      return;
    }
    if (had !== null && c.state.version <= had) return;
    this.state = c.state;
    this.minGen = Math.max(this.minGen, c.minGen);
    this.counted = c.presence;
    this.kv.put('state', c.state);
    this.kv.put('minGen', this.minGen);
    this.kv.put('presence', c.presence);
    if (c.missed) {
      this.feed.append(c.missed as Array<{ version: number }>);
      for (const m of c.missed) this.hub.broadcast(m);
    } else {
      // The log here would have a hole: start it afresh, so a `since` inside the hole gets a room-state.
      this.feed.clear();
      for (const ws of this.hub.sockets()) this.hub.send(ws, this.roomState());
    }
  }

  private async report(): Promise<void> {
    if (!this.seat) return;
    const sockets = this.hub.sockets();
    const viewers = this.hub.count();
    const deviceIds = new Set<string>();
    for (const ws of sockets) {
      if (deviceIds.size >= REPORTED_DEVICES) break;
      const id = this.hub.meta(ws)?.deviceId;
      if (id) deviceIds.add(id);
    }
    try {
      const counted = await roomStub(this.env, this.seat.roomId).relayReport(this.seat.index, {
        viewers,
        deviceIds: [...deviceIds],
      });
      if (counted === null) return this.shutdown();
      this.reported = viewers;
      this.counted = counted;
      this.failedReports = 0;
    } catch (err) {
      console.warn(JSON.stringify({ level: 'warn', msg: 'relay report failed', error: String(err) }));
      // Tried again (coalesced, a few times): a lost report would leave the room's head count wrong until the next join.
      if (++this.failedReports <= MAX_REPORT_RETRIES) this.reportGate.request();
    }
  }

  private remember(roomId: string, index: number): void {
    if (this.seat?.roomId === roomId && this.seat.index === index) return;
    this.seat = { roomId, index };
    this.kv.put('seat', this.seat);
  }

  private serial(fn: () => Promise<void>): Promise<void> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

const refused = (code: 'forbidden' | 'room_not_found') => ({ error: { code, message: messages[code] } });
const notFound = () => Response.json(refused('room_not_found'), { status: 404 });
