/**
 * Floor: the live board of one floor (one object per floor id). Racks push
 * their status here by RPC; the board keeps the latest per rack and sends
 * `rack-status` to every supervisor socket, which hibernates in between.
 */
import { z } from 'zod';
import { type RackSocketMessage, rackSocketMessage } from '../../core/racks/protocol.ts';
import { readAccessHeader } from '../platform/access.ts';
import { KeeptimeObject } from '../platform/object.ts';
import type { ObjectRef } from '../ops/ops.ts';
import { type RackStatus, idleStatus, withAges } from './view.ts';
import type { SocketSpec } from '../platform/sockets.ts';
import type { FloorRack } from './warehouse.ts';
import type { BoardRack, FloorServerMessage } from '../../core/racks/wire.ts';
import { warehouseStub } from '../platform/stubs.ts';
import type { Env } from '../platform/env.ts';
import { WEBHOOK_EVENTS } from '../../core/webhooks.ts';
import type { FloorNote } from './floor-notes.ts';

/** A rack on the board: its status and how many items it should hold. */
export type { BoardRack };

/** A cached rack list older than this is asked again, in case a pushed change never arrived. */
const LAYOUT_TTL_MS = 5 * 60_000;

export class Floor extends KeeptimeObject<FloorSocket, RackSocketMessage> {
  private floorId: string | null;
  private board: Record<string, RackStatus>;
  /** The floor's racks as the Warehouse last said; null until asked (or once the floor is gone). */
  private layout: FloorRack[] | null;
  private lookup: Promise<FloorRack[] | null> | null = null;
  /** When the Warehouse last said what the layout is. */
  private layoutAt: number;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, floorSockets);
    this.floorId = this.kv.get<string>('floorId');
    this.board = this.kv.get<Record<string, RackStatus>>('board') ?? {};
    this.layout = this.kv.get<FloorRack[]>('layout');
    this.layoutAt = this.kv.get<number>('layoutAt') ?? 0;
  }

  /** A rack's new status; an older version than the board's is ignored (RPCs may cross). */
  async rackStatus(floorId: string, status: RackStatus): Promise<void> {
    if (!(await this.bind(floorId)) || status.floor !== floorId) return;
    const known = this.board[status.rack_id];
    if (known && known.version > status.version) return;
    this.board = { ...this.board, [status.rack_id]: status };
    this.kv.put('board', this.board);
    const now = this.clock.now();
    this.hub.broadcast({ type: 'rack-status', ...withAges(status, now), serverTime: now } satisfies FloorServerMessage);
  }

  /**
   * A rack's webhook events (racks/floor-notes.ts), queued for this floor's endpoints in one commit. An event id
   * already queued for an endpoint is skipped, so a rack that flushes again after a lost answer queues nothing twice.
   */
  async rackWebhookEvents(floorId: string, events: FloorNote[]): Promise<void> {
    if (!(await this.bind(floorId))) return;
    const known = new Set<string>(WEBHOOK_EVENTS.floors);
    await this.commit(() => {
      for (const e of events) if (known.has(e.type)) this.queueWebhook(e.type, e.data, e.at, e.id);
    });
  }

  /**
   * Every rack of the floor, with the statuses racks have reported (expiries are applied as read). A member sees no
   * item estimate on a blind rack (it sums the expected quantities); admins do.
   */
  async racks(floorId: string, role: 'admin' | 'member' = 'member'): Promise<BoardRack[] | null> {
    if (!(await this.bind(floorId))) return null;
    const now = this.clock.now();
    return (this.layout ?? []).map((r) => {
      const s = this.rackOnBoard(r.rack_id, floorId, now);
      const blind = s.blind || (r.blind ?? false);
      return { ...s, blind, item_estimate: blind && role !== 'admin' ? null : r.item_estimate };
    });
  }

  /** The Warehouse's word on this floor's racks (null: no such floor). Racks no longer on it leave the board. */
  async configure(floorId: string, racks: FloorRack[] | null): Promise<void> {
    if (this.floorId !== null && this.floorId !== floorId) return;
    if (this.floorId === null) {
      if (!racks) return;
      this.kv.put('floorId', floorId);
      this.floorId = floorId;
    }
    this.saveLayout(racks ?? []);
    for (const role of ['admin', 'member'] as const) {
      const racksNow = await this.racks(floorId, role);
      this.hub.broadcast(
        { type: 'floor-state', floor: floorId, racks: racksNow, serverTime: this.clock.now() },
        (meta) => meta.role === role,
      );
    }
  }

  private rackOnBoard(rackId: string, floorId: string, now: number): RackStatus {
    const s = this.board[rackId];
    if (!s) return idleStatus(rackId, floorId);
    // Statuses stored before a field existed get its empty value.
    const full: RackStatus = {
      ...idleStatus(rackId, floorId),
      ...s,
      counts: { ...idleStatus(rackId, floorId).counts, ...s.counts },
    };
    // A lapsed lease whose expiry the rack has not reported yet is shown as it is: available.
    return full.expires_at !== null && full.expires_at <= now
      ? withAges(
          {
            ...full,
            status: 'available',
            holder: null,
            holder_name: null,
            session_id: null,
            fencing_token: null,
            expires_at: null,
            last_heartbeat_at: null,
            granted_at: null,
            mode: null,
          },
          now,
        )
      : withAges(full, now);
  }

  /** The object belongs to one floor of the layout; its rack list comes from the Warehouse once, then from the cache it pushes. */
  private async bind(floorId: string): Promise<boolean> {
    if (this.floorId !== null && this.floorId !== floorId) return false;
    const known = this.floorId !== null && this.layout !== null;
    if (known && this.clock.now() - this.layoutAt < LAYOUT_TTL_MS) return true;
    let racks: FloorRack[] | null;
    try {
      this.lookup ??= warehouseStub(this.env)
        .floorRacks(floorId)
        .finally(() => {
          this.lookup = null;
        });
      racks = await this.lookup;
    } catch (err) {
      // The Warehouse cannot answer: a floor that knows its racks carries on with them.
      if (known) return true;
      throw err;
    }
    if (this.floorId !== null && this.floorId !== floorId) return false;
    if (!racks) return known;
    if (this.floorId === null) {
      this.kv.put('floorId', floorId);
      this.floorId = floorId;
    }
    this.saveLayout(racks);
    return true;
  }

  private saveLayout(racks: FloorRack[]): void {
    this.kv.put('layout', racks);
    this.layout = racks;
    this.layoutAt = this.clock.now();
    this.kv.put('layoutAt', this.layoutAt);
  }

  /** Webhooks: the admins' endpoints for this floor's events (the Worker checks who may manage them). */
  protected override webhookScope(): 'sessions' | 'floors' {
    return 'floors';
  }

  protected override mirrorRef(): ObjectRef | null {
    return this.floorId ? { kind: 'floor', name: this.floorId } : null;
  }

  protected override async onConnect(ws: WebSocket, request: Request): Promise<Response | null> {
    const access = readAccessHeader(request, accessHeader);
    if (!access) return Response.json({ error: { code: 'unauthenticated', message: 'Log in first' } }, { status: 401 });
    const racks = await this.racks(access.floorId, access.role);
    if (!racks) return Response.json({ error: { code: 'floor_not_found', message: 'No such floor' } }, { status: 404 });
    this.acceptSocket(ws, { userId: access.userId }, { role: access.role });
    this.hub.send(ws, {
      type: 'floor-state',
      floor: access.floorId,
      racks,
      serverTime: this.clock.now(),
    } satisfies FloorServerMessage);
    return null;
  }

  /** The only message besides ping is request-sync: the whole board again. */
  protected override async onClientMessage(ws: WebSocket): Promise<void> {
    const role = this.hub.meta(ws)?.role === 'admin' ? 'admin' : 'member';
    this.hub.send(ws, {
      type: 'floor-state',
      floor: this.floorId,
      racks: await this.racks(this.floorId as string, role),
      serverTime: this.clock.now(),
    });
  }
}

const accessHeader = z.object({
  userId: z.string().min(1).max(64),
  role: z.enum(['admin', 'member']),
  floorId: z.string().min(1).max(64),
});

/** The board's part of a socket's attachment: whether a supervisor (admin) or a member watches. */
const floorSocket = z.object({ role: z.enum(['admin', 'member']) });
type FloorSocket = z.infer<typeof floorSocket>;
const floorSockets: SocketSpec<FloorSocket, RackSocketMessage> = {
  key: 'floor',
  meta: floorSocket,
  messages: rackSocketMessage,
};
