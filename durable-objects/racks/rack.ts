/**
 * Rack: the one owner of a rack's lease and audit (one object per rack id).
 * A change runs the pure lease or batch rule, then saves the state, its
 * outbox rows and the expiry schedule in one transaction, then tells the
 * rack's sockets and the floor board. The single alarm fires at the lease
 * expiry; the fencing token lives in storage, so it survives eviction.
 *
 * The class keeps the RPC surface, the lease's stored state and the runtime hooks; the rest lives in sibling
 * modules over a small host (host.ts): applying a lease change (lease-engine.ts), the supervisor's break and
 * hand-off (handoff.ts), scans (scan-sync.ts), completion (completion.ts), variance reviews and recounts
 * (review-desk.ts, audit-flow.ts), conflicts (conflict-desk.ts), reads (reads.ts), the Warehouse's word on the rack
 * (layout.ts) and what the board hears (board.ts).
 */
import { z } from 'zod';
import { type Answer, refuse } from '../../core/errors.ts';
import type { BatchResult, ItemRecord, ScanRecordInput } from '../../core/racks/batch.ts';
import { MAX_AUDIT_ITEMS, MAX_OPEN_CONFLICTS, SEEN_LIMIT } from '../../core/racks/batch.ts';
import type { ConflictChoice, ConflictView } from '../../core/racks/conflict.ts';
import {
  LEASE_TIMING,
  type Lease,
  type LeaseCommand,
  type LeaseEvent,
  type LeaseState,
  type LeaseTiming,
  liveLease,
  nextBoundary,
} from '../../core/racks/lease.ts';
import { type RackSocketMessage, rackSocketMessage } from '../../core/racks/protocol.ts';
import type { Review } from '../../core/racks/review.ts';
import type { AuditStats } from '../../core/racks/summary.ts';
import type { RackInfo } from '../../core/racks/warehouse.ts';
import type { RackServerMessage } from '../../core/racks/wire.ts';
import type { ObjectRef } from '../ops/ops.ts';
import { readAccessHeader } from '../platform/access.ts';
import type { Env } from '../platform/env.ts';
import { KeeptimeObject } from '../platform/object.ts';
import type { OutboxRow } from '../platform/outbox.ts';
import type { ScheduleRow } from '../platform/schedule.ts';
import type { SocketSpec } from '../platform/sockets.ts';
import { floorStub } from '../platform/stubs.ts';
import type { AuditContext, completionAnswer, recordsView } from './audit-context.ts';
import { claimableRecount, startAudit } from './audit-flow.ts';
import { AuditStore, type ConflictCursor } from './audit-store.ts';
import { RackBoard } from './board.ts';
import { complete } from './completion.ts';
import * as conflictDesk from './conflict-desk.ts';
import { FloorNotes, flushFloorNotes } from './floor-notes.ts';
import * as supervisor from './handoff.ts';
import type { Actor, ClaimValue, Member, RackCaps, RackConfig, RackHost } from './host.ts';
import { LeaseEngine } from './lease-engine.ts';
import { RackLayout } from './layout.ts';
import { type RackMirrorPayload, rackCacheTags } from './mirror.ts';
import * as reads from './reads.ts';
import * as reviewDesk from './review-desk.ts';
import { ReviewStore } from './review-store.ts';
import { sync } from './scan-sync.ts';
import type { RackSessionRecord, RackStatus } from './view.ts';

const fail = refuse;

export class Rack extends KeeptimeObject<RackSocket, RackSocketMessage> {
  private rackId: string | null;
  private floorId: string | null;
  private state: LeaseState | null;
  /** Items, answered record ids, conflicts and ended sessions: one SQL row each (audit-store.ts). */
  private readonly audit: AuditStore;
  /** Webhook events on their way to the Floor (floor-notes.ts). */
  private readonly notes: FloorNotes;
  /** Which audit is in progress: it rises with every completion (answered ids are kept per audit). */
  private auditNo: number;
  /** Storage caps; tests lower them on the live instance. */
  private caps: RackCaps = { items: MAX_AUDIT_ITEMS, openConflicts: MAX_OPEN_CONFLICTS, seen: SEEN_LIMIT };
  private config: RackConfig | null;
  /** Completed audits and their reviews (review-store.ts). */
  private readonly reviews: ReviewStore;
  /** What the live (or last) lease's audit was fixed with at its claim (audit-context.ts). */
  private auditCtx: AuditContext | null;
  /** Lease durations; tests shorten them on the live instance. */
  private timing: LeaseTiming = LEASE_TIMING;
  /** The object as its command modules see it (host.ts). */
  private readonly host: RackHost;
  /** The Warehouse's word on this rack (layout.ts). */
  private readonly layout: RackLayout;
  /** What the board and sockets hear (board.ts). */
  private readonly board: RackBoard;
  /** How a lease change is applied and saved (lease-engine.ts). */
  private readonly engine: LeaseEngine;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, rackSockets);
    this.rackId = this.kv.get<string>('rackId');
    this.floorId = this.kv.get<string>('floorId');
    this.state = this.kv.get<LeaseState>('lease');
    this.config = this.kv.get<RackConfig>('config');
    this.audit = new AuditStore(ctx.storage.sql);
    this.notes = new FloorNotes(ctx.storage.sql);
    this.reviews = new ReviewStore(ctx.storage.sql);
    this.auditCtx = this.kv.get<AuditContext>('auditCtx');
    this.auditNo = this.kv.get<number>('audit') ?? 0;
    // State stored before the tables kept each of these as one JSON value: moved once, on the first load.
    ctx.storage.transactionSync(() => this.audit.migrate(this.kv, this.auditNo));
    this.host = this.makeHost();
    this.layout = new RackLayout({
      env,
      now: () => this.clock.now(),
      rackId: () => this.rackId,
      config: () => this.config,
      bindTo: (rackId, floorId) => this.bindTo(rackId, floorId),
      saveConfig: (config) => this.saveConfig(config),
    });
    this.board = new RackBoard(this.host);
    this.engine = new LeaseEngine({
      ...this.host,
      kv: () => this.kv,
      schedule: () => this.schedule,
      setLease: (next) => {
        this.state = next;
      },
    });
  }

  private makeHost(): RackHost {
    return {
      env: this.env,
      audit: this.audit,
      reviews: this.reviews,
      now: () => this.clock.now(),
      rackId: () => this.rackId as string,
      floorId: () => this.floorId as string,
      lease: () => this.state,
      config: () => this.config,
      timing: () => this.timing,
      caps: () => this.caps,
      auditCtx: () => this.auditCtx,
      setAuditCtx: (ctx) => {
        this.kv.put('auditCtx', ctx);
        this.auditCtx = ctx;
      },
      auditNo: () => this.auditNo,
      nextAudit: () => {
        this.kv.put('audit', this.auditNo + 1);
        this.auditNo += 1;
      },
      bind: (rackId) => this.bind(rackId),
      peek: (rackId) => this.peek(rackId),
      fence: (userId, sessionId, fencingToken) => this.fence(userId, sessionId, fencingToken),
      settle: () => this.settle(),
      run: (cmd, actor, also) => this.run(cmd, actor, also),
      save: (next, events, actor, now, also) => this.engine.save(next, events, actor, now, also),
      commit: (write) => this.commit(write),
      announce: (now) => this.announce(now),
      status: (rackId, floorId) => this.status(rackId, floorId),
      endRecord: (l, end, at, summary) => this.engine.endRecord(l, end, at, summary),
      payload: (type, l, actor, now, version, extra) => this.engine.payload(type, l, actor, now, version, extra),
      appendOutbox: (kind, payload, now) => this.appendOutbox(kind, payload, now),
      scheduleReport: (now) => this.scheduleReport(now),
      broadcast: (msg, filter) => void this.hub.broadcast(msg, filter),
    };
  }

  protected override currentVersion(): number {
    return this.state?.version ?? 0;
  }

  // ── RPC ────────────────────────────────────────────────────────────────
  /** `userName` is shown on the board and to rivals; callers without one leave it out. */
  async claim(rackId: string, userId: string, userName?: string, floor?: string): Promise<Answer<ClaimValue>> {
    if (!(await this.bind(rackId))) return fail('rack_not_found', 'No such rack');
    if (floor !== undefined && floor !== this.floorId)
      return fail('rack_not_found', `Rack ${rackId} is not on floor ${floor}`);
    await this.settle();
    const recount = claimableRecount(this.host);
    const live = this.state ? liveLease(this.state, this.clock.now()) : null;
    if (recount?.recount?.assignee && recount.recount.assignee !== userId && !live)
      return fail('recount_assigned', `The recount of rack ${rackId} is assigned to another worker`, {
        assignee: recount.recount.assignee,
      });
    const r = await this.run(
      { type: 'claim', userId, ...(userName ? { userName } : {}) },
      { id: userId, role: 'user' },
      (events, now) => {
        const granted = events.find((e) => e.type === 'claimed');
        if (granted) startAudit(this.host, granted.lease, recount, now);
      },
    );
    if (!r.ok) return r;
    const l = r.value as Lease;
    const ctx = this.auditCtx?.sessionId === l.sessionId ? this.auditCtx : null;
    return {
      ok: true,
      value: {
        success: true,
        rack_id: rackId,
        session_id: l.sessionId,
        floor: this.floorId as string,
        fencing_token: l.fencingToken,
        lock_ttl: Math.round(this.timing.ttlMs / 1000),
        lock_ttl_ms: this.timing.ttlMs,
        expires_at: l.expiresAt,
        mode: ctx?.mode ?? 'audit',
        audit_id: ctx?.auditId ?? null,
        items: ctx?.items ?? null,
      },
    };
  }

  /** heartbeat / pause / resume / release with the holder's session and token. */
  async command(
    rackId: string,
    userId: string,
    type: 'heartbeat' | 'pause' | 'resume' | 'release',
    sessionId: string | null,
    fencingToken: number,
  ): Promise<Answer<RackStatus>> {
    if (!(await this.bind(rackId))) return fail('rack_not_found', 'No such rack');
    const stale = this.fence(userId, sessionId, fencingToken);
    if (stale) return stale;
    const r = await this.run({ type, fencingToken }, { id: userId, role: 'user' });
    return r.ok ? { ok: true, value: this.status() } : r;
  }

  /** `broken`: a supervisor's break (POST /racks/:id/break): the holder is told `broken`, the reason journaled. */
  async forceRelease(rackId: string, reason: string, adminId: string, broken = false): Promise<Answer<RackStatus>> {
    return supervisor.forceRelease(this.host, rackId, reason, adminId, broken);
  }

  /** Hands the live lease to `to` (handoff.ts): the audit carries on under the new holder's token. */
  async handoff(
    rackId: string,
    to: { id: string; name: string | null },
    reason: string,
    adminId: string,
  ): Promise<Answer<supervisor.HandoffValue>> {
    return supervisor.handoff(this.host, rackId, to, reason, adminId);
  }

  /** The scans so far of the live audit, for its holder or an admin (a new holder after a hand-off). */
  async records(
    rackId: string,
    sessionId: string,
    actor: Member,
  ): Promise<Answer<{ session_id: string; records: ReturnType<typeof recordsView> }>> {
    return reads.records(this.host, rackId, sessionId, actor);
  }

  /** A member sees no item estimate on a blind rack (it sums the expected quantities). */
  async rackStatus(
    rackId: string,
    role: 'admin' | 'member' = 'member',
  ): Promise<Answer<RackStatus & { item_estimate: number | null }>> {
    return reads.rackStatus(this.host, rackId, role);
  }

  /** The Warehouse's word on this rack: its floor, expected items and settings, or null once removed. */
  async configure(rackId: string, info: RackInfo | null): Promise<void> {
    this.layout.configure(rackId, info);
  }

  /** A session of this rack (live or recent); null when unknown. */
  async session(rackId: string, sessionId: string): Promise<(RackSessionRecord & { stats: AuditStats }) | null> {
    return reads.session(this.host, rackId, sessionId);
  }

  /** Recent sessions of one user on this rack, newest first. */
  async userSessions(rackId: string, userId: string): Promise<RackSessionRecord[]> {
    return reads.userSessions(this.host, rackId, userId);
  }

  async sync(
    rackId: string,
    userId: string,
    sessionId: string,
    fencingToken: number,
    sent: ScanRecordInput[],
  ): Promise<Answer<BatchResult>> {
    return sync(this.host, rackId, userId, sessionId, fencingToken, sent);
  }

  /** Ends the session with its summary; the lease is released and the next audit starts empty. */
  async complete(
    rackId: string,
    userId: string,
    sessionId: string,
    fencingToken: number | null,
    declaredRecords: number | null = null,
  ): Promise<Answer<ReturnType<typeof completionAnswer>>> {
    return complete(this.host, rackId, userId, sessionId, fencingToken, declaredRecords);
  }

  // ── Reviews (review-desk.ts) ───────────────────────────────────────────
  /** This rack's reviews: the open ones, or every stored one with `all`, oldest first. */
  async listReviews(rackId: string, all = false): Promise<Review[]> {
    return reviewDesk.listReviews(this.host, rackId, all);
  }

  async review(rackId: string, auditId: string): Promise<Answer<Review>> {
    return reviewDesk.review(this.host, rackId, auditId);
  }

  /** Reviews completed in [from, to] (the export). */
  async auditsBetween(rackId: string, from: number, to: number): Promise<Review[]> {
    return reviewDesk.auditsBetween(this.host, rackId, from, to);
  }

  /** A supervisor's decision on one flagged item: journaled, mirrored, and the board hears the new audit status. */
  async decide(rackId: string, auditId: string, d: reviewDesk.Decision, adminId: string): Promise<Answer<Review>> {
    return reviewDesk.decide(this.host, rackId, auditId, d, adminId);
  }

  // ── Conflicts (conflict-desk.ts) ───────────────────────────────────────
  /** Open conflicts (or every stored one with `all`), oldest first, a page at a time, for the holder or an admin. */
  async listConflicts(
    rackId: string,
    actor: Member,
    all = false,
    page: { after?: ConflictCursor | null; limit?: number } = {},
  ): Promise<Answer<{ conflicts: ConflictView[]; more: boolean; expected_changed: boolean }>> {
    return conflictDesk.listConflicts(this.host, rackId, actor, all, page);
  }

  /** Resolves one conflict; the live holder or an admin may, and a second resolve is refused. */
  async resolveConflict(
    rackId: string,
    id: string,
    choice: ConflictChoice,
    actor: Member,
  ): Promise<Answer<ConflictView>> {
    return conflictDesk.resolveConflict(this.host, rackId, id, choice, actor);
  }

  /** Once a resolution reached the mirrors, its conflict lives on in Postgres only. */
  protected override onMirrored(rows: OutboxRow[]): void {
    const ids = conflictDesk.mirroredResolutions(rows);
    if (ids.length > 0) this.ctx.storage.transactionSync(() => this.audit.pruneResolved(ids));
  }

  /** Test and ops view of the stored lease and schedule. */
  async inspect(): Promise<{
    rackId: string | null;
    lastToken: number;
    lease: Lease | null;
    alarm: number | null;
    boundary: number | null;
    pending: number;
    sessions: number;
    items: number;
  }> {
    return {
      rackId: this.rackId,
      lastToken: this.state?.lastToken ?? 0,
      lease: this.state?.lease ?? null,
      alarm: await this.ctx.storage.getAlarm(),
      boundary: this.schedule.get('boundary', 'lease'),
      pending: this.outbox.depth(this.clock.now()).pending,
      sessions: this.audit.sessionCount(),
      items: this.audit.itemCount(),
    };
  }

  // ── Layout (layout.ts) ─────────────────────────────────────────────────
  /** Binds the object to `rackId` (a write): false when it is another rack's or the layout no longer has it. */
  private bind(rackId: string): Promise<boolean> {
    return this.layout.bind(rackId);
  }

  /** What the layout says about `rackId`, for a read, with no side effect. */
  private peek(rackId: string): Promise<RackInfo | null> {
    return this.layout.peek(rackId);
  }

  private bindTo(rackId: string, floorId: string): void {
    if (this.rackId === null) {
      this.kv.put('rackId', rackId);
      this.rackId = rackId;
    }
    this.kv.put('floorId', floorId);
    this.floorId = floorId;
  }

  private saveConfig(config: RackConfig): void {
    this.kv.put('config', config);
    this.config = config;
  }

  // ── Lease changes (lease-engine.ts) ────────────────────────────────────
  private fence(userId: string, sessionId: string | null, fencingToken: number): Answer<never> | null {
    return this.engine.fence(userId, sessionId, fencingToken);
  }

  private run(
    cmd: LeaseCommand,
    actor: Actor,
    also?: (events: LeaseEvent[], now: number) => void,
  ): Promise<Answer<Lease | null>> {
    return this.engine.run(cmd, actor, also);
  }

  /** Applies a passed expiry (the alarm may be late or not yet run). */
  private settle(): Promise<void> {
    return this.engine.settle();
  }

  private status(rackId?: string, floorId?: string): RackStatus {
    return this.board.status(rackId, floorId);
  }

  private announce(now: number): Promise<void> {
    return this.board.announce(now);
  }

  /** Every outbox row that stands for a floor webhook event also leaves a note for the Floor, in the same commit. */
  protected override appendOutbox(kind: string, payload: unknown, now: number): string {
    const id = super.appendOutbox(kind, payload, now);
    if (kind !== 'rack.review' && this.notes.record(kind, payload as RackMirrorPayload) > 0)
      this.schedule.set('floor-notes', 'flush', now);
    return id;
  }

  /** Hands the notes to the Floor (not through the outbox drain, which waits on Postgres first). */
  private async flushNotes(now: number): Promise<void> {
    const floorId = this.floorId as string;
    const out = await flushFloorNotes(
      this.notes,
      this.rackId as string,
      (events) => floorStub(this.env, floorId).rackWebhookEvents(floorId, events),
      this.kv.get<number>('noteFailures') ?? 0,
      now,
    );
    this.kv.put('noteFailures', out.failures);
    if (out.again !== null) this.schedule.set('floor-notes', 'flush', out.again);
  }

  protected override async onSchedule(row: ScheduleRow, now: number): Promise<void> {
    if (row.kind === 'floor-notes') return this.floorId ? this.flushNotes(now) : undefined;
    if (row.kind !== 'boundary' || !this.state) return;
    await this.settle();
    // An early wake-up must not lose the boundary.
    const boundary = nextBoundary(this.state);
    if (boundary !== null && this.schedule.get('boundary', 'lease') === null)
      this.schedule.set('boundary', 'lease', boundary);
  }

  // ── Mirrors ────────────────────────────────────────────────────────────
  protected override mirrorRef(): ObjectRef | null {
    return this.rackId ? { kind: 'rack', name: this.rackId } : null;
  }

  protected override cacheTags(row: OutboxRow): string[] {
    return rackCacheTags(row);
  }

  protected override liveCounts(): { sockets: number; active: boolean } {
    return {
      sockets: this.hub.sockets().length,
      active: this.state ? liveLease(this.state, this.clock.now()) !== null : false,
    };
  }

  // ── WebSockets ─────────────────────────────────────────────────────────
  protected override async onConnect(ws: WebSocket, request: Request): Promise<Response | null> {
    const access = readAccessHeader(request, accessHeader);
    if (!access) return Response.json({ error: { code: 'unauthenticated', message: 'Log in first' } }, { status: 401 });
    if (!(await this.bind(access.rackId)))
      return Response.json({ error: { code: 'rack_not_found', message: 'No such rack' } }, { status: 404 });
    const now = this.clock.now();
    this.acceptSocket(ws, { userId: access.userId }, {});
    await this.settle();
    this.hub.send(ws, { type: 'rack-status', ...this.status(), serverTime: now } satisfies RackServerMessage);
    return null;
  }

  /** The only message besides ping is request-sync: the current status. */
  protected override async onClientMessage(ws: WebSocket): Promise<void> {
    await this.settle();
    this.hub.send(ws, {
      type: 'rack-status',
      ...this.status(),
      serverTime: this.clock.now(),
    } satisfies RackServerMessage);
  }
}

const accessHeader = z.object({ userId: z.string().min(1).max(64), rackId: z.string().min(1).max(64) });

/** A rack socket keeps nothing of its own: the holder is the platform's `userId`. */
const rackSocket = z.object({});
type RackSocket = z.infer<typeof rackSocket>;
const rackSockets: SocketSpec<RackSocket, RackSocketMessage> = {
  key: 'rack',
  meta: rackSocket,
  messages: rackSocketMessage,
};

export type { Actor, ItemRecord };
