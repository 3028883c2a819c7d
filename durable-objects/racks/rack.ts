/**
 * Rack: the one owner of a rack's lease and audit (one object per rack id).
 * A change runs the pure lease or batch rule, then saves the state, its
 * outbox rows and the expiry schedule in one transaction, then tells the
 * rack's sockets and the floor board. The single alarm fires at the lease
 * expiry; the fencing token lives in storage, so it survives eviction.
 */
import { z } from 'zod';
import { type Answer, refuse } from '../../core/errors.ts';
import { CONFLICT_PAGE_MAX, type RackSocketMessage, rackSocketMessage } from '../../core/racks/protocol.ts';
import { readAccessHeader } from '../platform/access.ts';
import { KeeptimeObject } from '../platform/object.ts';
import type { ObjectRef } from '../ops/ops.ts';
import type { OutboxRow } from '../platform/outbox.ts';
import { type RackMirrorPayload, rackCacheTags, sliceBatch } from './mirror.ts';
import {
  type RackSessionRecord,
  type RackStatus,
  type SessionEnd,
  liveSession,
  rackStatus,
  sessionStats,
} from './view.ts';
import type { ScheduleRow } from '../platform/schedule.ts';
import type { SocketSpec } from '../platform/sockets.ts';
import {
  type BatchResult,
  type ItemRecord,
  MAX_AUDIT_ITEMS,
  MAX_OPEN_CONFLICTS,
  SEEN_LIMIT,
  type ScanRecordInput,
  mergeBatch,
} from '../../core/racks/batch.ts';
import { type AuditStats, type AuditSummary, auditSummary, storedSummary } from '../../core/racks/summary.ts';
import { type ConflictChoice, type ConflictView, conflictView, resolveConflict } from '../../core/racks/conflict.ts';
import {
  LEASE_TIMING,
  type Lease,
  type LeaseCommand,
  type LeaseEvent,
  type LeaseState,
  type LeaseTiming,
  liveLease,
  makeLeaseState,
  nextBoundary,
  transition,
} from '../../core/racks/lease.ts';
import type { ExpectedItem } from '../../core/racks/summary.ts';
import type { RackCounts, RackServerMessage } from '../../core/racks/wire.ts';
import { AuditStore, type ConflictCursor } from './audit-store.ts';
import { type LayoutRack, itemEstimate } from '../../core/racks/warehouse.ts';
import { floorStub, warehouseStub } from '../platform/stubs.ts';
import { cacheFor } from '../platform/mirrors/clients.ts';
import { FloorNotes, flushFloorNotes } from './floor-notes.ts';
import type { Env } from '../platform/env.ts';

/** What the Warehouse said about this rack, cached; `removed` once an admin took it away. */
interface RackConfig {
  floorId: string;
  expected: ExpectedItem[];
  removed: boolean;
  /** When the Warehouse last said so (absent on configs stored before it was kept). */
  checkedAt?: number;
}

/** A cached layout answer older than this is asked again, in case a pushed change never arrived. */
const CONFIG_TTL_MS = 5 * 60_000;

interface ClaimValue {
  success: true;
  rack_id: string;
  session_id: string;
  floor: string;
  fencing_token: number;
  lock_ttl: number;
  expires_at: number;
}

export type Actor = RackMirrorPayload['actor'];
const SYSTEM: Actor = { id: null, role: 'system' };
/** Ended sessions kept for reads; older ones live in Postgres. */
const RECENT_SESSIONS = 50;

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
  private caps = { items: MAX_AUDIT_ITEMS, openConflicts: MAX_OPEN_CONFLICTS, seen: SEEN_LIMIT };
  private config: RackConfig | null;
  private lookup: Promise<LayoutRack | null> | null = null;
  /** A read's last answer from the Warehouse (in memory only: reads store nothing). */
  private peeked: { rackId: string; info: LayoutRack | null; at: number } | null = null;
  /** Lease durations; tests shorten them on the live instance. */
  private timing: LeaseTiming = LEASE_TIMING;
  /** The lease status the floor's cached available list last heard of (in memory: a wake-up bumps the tag once more). */
  private announcedStatus: RackStatus['status'] | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, rackSockets);
    this.rackId = this.kv.get<string>('rackId');
    this.floorId = this.kv.get<string>('floorId');
    this.state = this.kv.get<LeaseState>('lease');
    this.config = this.kv.get<RackConfig>('config');
    this.audit = new AuditStore(ctx.storage.sql);
    this.notes = new FloorNotes(ctx.storage.sql);
    this.auditNo = this.kv.get<number>('audit') ?? 0;
    // State stored before the tables kept each of these as one JSON value: moved once, on the first load.
    ctx.storage.transactionSync(() => this.audit.migrate(this.kv, this.auditNo));
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
    const r = await this.run(
      { type: 'claim', userId, ...(userName ? { userName } : {}) },
      { id: userId, role: 'user' },
    );
    if (!r.ok) return r;
    const l = r.value as Lease;
    return {
      ok: true,
      value: {
        success: true,
        rack_id: rackId,
        session_id: l.sessionId,
        floor: this.floorId as string,
        fencing_token: l.fencingToken,
        lock_ttl: Math.round(this.timing.ttlMs / 1000),
        expires_at: l.expiresAt,
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

  async forceRelease(rackId: string, reason: string, adminId: string): Promise<Answer<RackStatus>> {
    if (!(await this.bind(rackId))) return fail('rack_not_found', 'No such rack');
    const r = await this.run({ type: 'force-release', reason, by: adminId }, { id: adminId, role: 'admin' });
    return r.ok ? { ok: true, value: this.status() } : r;
  }

  async rackStatus(rackId: string): Promise<Answer<RackStatus & { item_estimate: number }>> {
    const info = await this.peek(rackId);
    if (!info) return fail('rack_not_found', 'No such rack');
    await this.settle();
    return {
      ok: true,
      value: { ...this.status(rackId, info.floorId), item_estimate: itemEstimate({ expected: info.expected }) },
    };
  }

  /** The Warehouse's word on this rack: its floor and expected items, or null once removed. */
  async configure(rackId: string, info: LayoutRack | null): Promise<void> {
    if (this.rackId !== null && this.rackId !== rackId) return;
    this.peeked = null;
    if (info) this.learn(rackId, info);
    else if (this.rackId !== null && this.config)
      this.saveConfig({ ...this.config, removed: true, checkedAt: this.clock.now() });
  }

  /** A session of this rack (live or recent); null when unknown. */
  async session(rackId: string, sessionId: string): Promise<(RackSessionRecord & { stats: AuditStats }) | null> {
    const info = await this.peek(rackId);
    if (!info) return null;
    await this.settle();
    const now = this.clock.now();
    const l = this.state ? liveLease(this.state, now) : null;
    const rec = l?.sessionId === sessionId ? liveSession(rackId, info.floorId, l, now) : this.audit.session(sessionId);
    if (!rec) return null;
    return { ...rec, stats: sessionStats(rec, rec.summary ? [] : this.audit.allItems(), now) };
  }

  /** Recent sessions of one user on this rack, newest first. */
  async userSessions(rackId: string, userId: string): Promise<RackSessionRecord[]> {
    if (!(await this.peek(rackId))) return [];
    return this.audit.userSessions(userId);
  }

  async sync(
    rackId: string,
    userId: string,
    sessionId: string,
    fencingToken: number,
    records: ScanRecordInput[],
  ): Promise<Answer<BatchResult>> {
    if (!(await this.bind(rackId))) return fail('rack_not_found', 'No such rack');
    await this.settle();
    const now = this.clock.now();
    const l = this.state ? liveLease(this.state, now) : null;
    // The merge sees only the rows this batch touches: its items and its record ids.
    const known = {
      items: this.audit.itemsFor(records.map((r) => r.item_code)),
      seen: this.audit.answered(records.map((r) => r.client_record_id)),
    };
    const out = mergeBatch(
      known,
      { sessionId, userId, fencingToken, records },
      l ? { sessionId: l.sessionId, holderId: l.holderId, fencingToken: l.fencingToken } : null,
      now,
    );
    if ('rejected' in out) return fail(out.rejected, out.message);
    const capped = this.overCaps(
      out.writes.filter((w) => !known.items[w.itemCode]).map((w) => w.itemCode),
      out.conflicts.length,
    );
    if (capped) return capped;
    if (out.writes.length > 0 || out.conflicts.length > 0) {
      await this.commit(() => {
        for (const w of out.writes) this.audit.putItem(w);
        for (const c of out.conflicts) this.audit.putConflict({ ...c, resolution: null });
        for (const id of out.result.accepted) this.audit.answer(id, 'accepted', this.auditNo);
        for (const c of out.result.conflicts) this.audit.answer(c.client_record_id, 'conflict', this.auditNo);
        // One outbox row per slice of the batch, so no journaled value grows past the slice budget.
        for (const part of sliceBatch(out.writes, out.conflicts)) {
          const payload = this.payload(
            'batch',
            l as Lease,
            { id: userId, role: 'user' },
            now,
            this.state?.version ?? 0,
            part,
          );
          this.appendOutbox('rack.batch', payload, now);
        }
        this.scheduleReport(now);
      });
      await this.announce(now);
    }
    return { ok: true, value: out.result };
  }

  /** Ends the session with its summary; the lease is released and the next audit starts empty. */
  async complete(
    rackId: string,
    userId: string,
    sessionId: string,
    fencingToken: number | null,
  ): Promise<Answer<AuditSummary & { session_id: string; rack_id: string }>> {
    if (!(await this.bind(rackId))) return fail('rack_not_found', 'No such rack');
    // The session id names the grant (`<rack>:<token>`), so without a token the session id is the fence.
    const token = fencingToken ?? this.state?.lease?.fencingToken ?? -1;
    const stale = this.fence(userId, sessionId, token);
    if (stale) return stale;
    await this.settle();
    const now = this.clock.now();
    const result = transition(
      this.state ?? makeLeaseState(rackId, now),
      { type: 'release', fencingToken: token },
      now,
      this.timing,
    );
    if ('rejected' in result) return fail(result.rejected, result.message);
    const ended = result.events[0]?.lease as Lease;
    const summary = auditSummary(this.config?.expected ?? [], this.audit.allItems(), {
      startedAt: ended.grantedAt,
      endedAt: now,
      pausedMs: ended.pausedMs,
    });
    const actor: Actor = { id: userId, role: 'user' };
    await this.save(result.state, [], actor, now, () => {
      const record = this.endRecord(ended, 'completed', now, storedSummary(summary));
      this.appendOutbox(
        'rack.completed',
        this.payload('completed', ended, actor, now, result.state.version, { session: record }),
        now,
      );
      // The next audit starts empty; the answered ids of this one are kept among the newest SEEN_LIMIT.
      this.audit.clearItems();
      this.kv.put('audit', this.auditNo + 1);
      this.audit.pruneAnswered(this.auditNo + 1, this.caps.seen);
      this.auditNo += 1;
    });
    await this.announce(now);
    return { ok: true, value: { ...summary, session_id: ended.sessionId, rack_id: rackId } };
  }

  // ── Conflicts ──────────────────────────────────────────────────────────
  /**
   * Open conflicts (or every one still stored with `all`: resolved ones go once their resolution is mirrored), oldest
   * first, for the live holder or an admin: at most `limit` after `after` in (detected_at, id) order, and whether
   * more follow.
   */
  async listConflicts(
    rackId: string,
    actor: { id: string; role: 'admin' | 'member' },
    all = false,
    page: { after?: ConflictCursor | null; limit?: number } = {},
  ): Promise<Answer<{ conflicts: ConflictView[]; more: boolean }>> {
    if (!(await this.peek(rackId))) return fail('rack_not_found', 'No such rack');
    await this.settle();
    const denied = this.mayResolve(actor);
    if (denied) return denied;
    const limit = Math.max(1, Math.min(page.limit ?? CONFLICT_PAGE_MAX, CONFLICT_PAGE_MAX));
    const list = this.audit.conflicts({ all, after: page.after ?? null, limit: limit + 1 });
    const shown = list.slice(0, limit);
    const items = this.audit.itemsFor(shown.map((c) => c.itemCode));
    return {
      ok: true,
      value: { conflicts: shown.map((c) => conflictView(rackId, c, items)), more: list.length > limit },
    };
  }

  /**
   * Resolves one conflict: the chosen values are written as the item's next
   * version, journaled with the resolution, and the board and sockets hear the
   * new open count. The live holder or an admin may; a second resolve is refused.
   */
  async resolveConflict(
    rackId: string,
    id: string,
    choice: ConflictChoice,
    actor: { id: string; role: 'admin' | 'member' },
  ): Promise<Answer<ConflictView>> {
    if (!(await this.bind(rackId))) return fail('rack_not_found', 'No such rack');
    await this.settle();
    const denied = this.mayResolve(actor);
    if (denied) return denied;
    const now = this.clock.now();
    const l = this.state ? liveLease(this.state, now) : null;
    const known = this.audit.conflict(id);
    const ctx = l
      ? { userId: actor.id, sessionId: l.sessionId, fencingToken: l.fencingToken, live: true }
      : { userId: actor.id, sessionId: known?.sessionId ?? '', fencingToken: known?.fencingToken ?? 0, live: false };
    const items = known ? this.audit.itemsFor([known.itemCode]) : {};
    const out = resolveConflict(known ? { [id]: known } : {}, items, id, choice, ctx, now);
    if ('rejected' in out) return fail(out.rejected, out.message);
    const joins = out.items[out.entry.itemCode] === out.write;
    if (joins && !items[out.entry.itemCode]) {
      const capped = this.overCaps([out.entry.itemCode], 0);
      if (capped) return capped;
    }
    const who: Actor = { id: actor.id, role: actor.role === 'admin' ? 'admin' : 'user' };
    await this.commit(() => {
      if (joins) this.audit.putItem(out.write);
      this.audit.putConflict(out.entry);
      const session = l
        ? liveSession(rackId, this.floorId as string, l, now)
        : (this.audit.session(out.entry.sessionId) ?? null);
      const payload: RackMirrorPayload = {
        rackId,
        floorId: this.floorId as string,
        version: this.state?.version ?? 0,
        at: now,
        actor: who,
        event: 'conflict-resolved',
        session:
          session ??
          placeholderSession(
            rackId,
            this.floorId as string,
            out.entry.sessionId,
            out.entry.userId,
            out.entry.fencingToken,
            out.entry.at,
          ),
        records: [out.write],
        conflicts: [],
        resolved: out.entry,
      };
      this.appendOutbox('rack.conflict-resolved', payload, now);
      this.scheduleReport(now);
    });
    this.hub.broadcast({
      type: 'conflict-resolved',
      rack_id: rackId,
      id,
      choice,
      item_code: out.entry.itemCode,
      version: out.write.version,
      serverTime: now,
    } satisfies RackServerMessage);
    await this.announce(now);
    return { ok: true, value: conflictView(rackId, out.entry, joins ? { [out.entry.itemCode]: out.write } : items) };
  }

  /** A 409 when adding `newCodes` to the audit or `newConflicts` open conflicts would pass a cap; null within them. */
  private overCaps(newCodes: string[], newConflicts: number): Answer<never> | null {
    const adding = new Set(newCodes).size;
    if (adding > 0 && this.audit.itemCount() + adding > this.caps.items)
      return fail(
        'too_many_items',
        `An audit holds at most ${this.caps.items} distinct items: complete it before scanning more`,
        { limit: this.caps.items },
      );
    if (newConflicts > 0 && this.audit.openCount() + newConflicts > this.caps.openConflicts)
      return fail(
        'too_many_conflicts',
        `A rack holds at most ${this.caps.openConflicts} open conflicts: resolve some before syncing more`,
        { limit: this.caps.openConflicts },
      );
    return null;
  }

  /** Once a resolution reached the mirrors, its conflict lives on in Postgres only. */
  protected override onMirrored(rows: OutboxRow[]): void {
    const ids = rows
      .filter((r) => r.kind === 'rack.conflict-resolved')
      .map((r) => (r.payload as RackMirrorPayload).resolved?.clientRecordId)
      .filter((id): id is string => typeof id === 'string');
    if (ids.length > 0) this.ctx.storage.transactionSync(() => this.audit.pruneResolved(ids));
  }

  /** Admins, or whoever holds the live lease on this rack. */
  private mayResolve(actor: { id: string; role: 'admin' | 'member' }): Answer<never> | null {
    if (actor.role === 'admin') return null;
    const l = this.state ? liveLease(this.state, this.clock.now()) : null;
    return l?.holderId === actor.id
      ? null
      : fail('forbidden', 'Only the rack’s lease holder or an admin may see and resolve its conflicts');
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

  // ── Lease changes ──────────────────────────────────────────────────────
  /**
   * The object belongs to one rack of the layout: the name it was first used
   * with. Its floor and expected items come from the Warehouse once, then from
   * the cache (the Warehouse pushes changes); a removed rack answers not found.
   */
  private async bind(rackId: string): Promise<boolean> {
    if (this.rackId !== null && this.rackId !== rackId) return false;
    const cached = this.rackId !== null ? this.config : null;
    if (cached && this.clock.now() - (cached.checkedAt ?? 0) < CONFIG_TTL_MS) return !cached.removed;
    let info: LayoutRack | null;
    try {
      info = await this.askWarehouse(rackId);
    } catch (err) {
      // The Warehouse cannot answer: a rack that knows its layout carries on with it.
      if (cached) return !cached.removed;
      throw err;
    }
    if (this.rackId !== null && this.rackId !== rackId) return false;
    if (info) this.learn(rackId, info);
    else if (this.rackId !== null && this.config)
      this.saveConfig({ ...this.config, removed: true, checkedAt: this.clock.now() });
    return info !== null;
  }

  /**
   * What the layout says about `rackId`, for a read, with no side effect: the cached config when it is this rack's
   * and fresh, else the Warehouse's answer, remembered in memory for the TTL but never stored. Only writes (and the
   * Warehouse's pushes) bind the object and store its config.
   */
  private async peek(rackId: string): Promise<LayoutRack | null> {
    if (this.rackId !== null && this.rackId !== rackId) return null;
    const now = this.clock.now();
    const cached = this.rackId !== null ? this.config : null;
    const known = (c: RackConfig) => (c.removed ? null : { rackId, floorId: c.floorId, expected: c.expected });
    if (cached && now - (cached.checkedAt ?? 0) < CONFIG_TTL_MS) return known(cached);
    if (this.peeked?.rackId === rackId && now - this.peeked.at < CONFIG_TTL_MS) return this.peeked.info;
    try {
      const info = await this.askWarehouse(rackId);
      this.peeked = { rackId, info, at: now };
      return this.rackId !== null && this.rackId !== rackId ? null : info;
    } catch (err) {
      // The Warehouse cannot answer: a rack that knows its layout carries on with it.
      if (cached) return known(cached);
      throw err;
    }
  }

  /** The Warehouse's word on `rackId`; concurrent requests share one lookup. */
  private askWarehouse(rackId: string): Promise<LayoutRack | null> {
    this.lookup ??= warehouseStub(this.env)
      .rackInfo(rackId)
      .finally(() => {
        this.lookup = null;
      });
    return this.lookup;
  }

  private learn(rackId: string, info: LayoutRack): void {
    if (this.rackId === null) {
      this.kv.put('rackId', rackId);
      this.rackId = rackId;
    }
    this.kv.put('floorId', info.floorId);
    this.floorId = info.floorId;
    this.saveConfig({ floorId: info.floorId, expected: info.expected, removed: false, checkedAt: this.clock.now() });
  }

  private saveConfig(config: RackConfig): void {
    this.kv.put('config', config);
    this.config = config;
  }

  /** A session id or holder that is not the live lease's is as stale as a wrong token. */
  private fence(userId: string, sessionId: string | null, fencingToken: number): Answer<never> | null {
    const l = this.state?.lease;
    if (
      !l ||
      l.holderId !== userId ||
      (sessionId !== null && l.sessionId !== sessionId) ||
      l.fencingToken !== fencingToken
    )
      return fail('stale_fencing_token', 'The fencing token is not the current lease');
    return null;
  }

  private async run(cmd: LeaseCommand, actor: Actor): Promise<Answer<Lease | null>> {
    const now = this.clock.now();
    const result = transition(this.state ?? makeLeaseState(this.rackId as string, now), cmd, now, this.timing);
    if ('rejected' in result) {
      const details = result.holder
        ? { holder: result.holder, holder_name: result.holderName ?? null, expires_at: result.expiresAt }
        : undefined;
      return fail(result.rejected, result.message, details);
    }
    if (result.events.length > 0) {
      await this.save(result.state, result.events, actor, now);
      await this.announce(now);
    }
    return { ok: true, value: result.state.lease };
  }

  /** Applies a passed expiry (the alarm may be late or not yet run). */
  private async settle(): Promise<void> {
    if (!this.state?.lease) return;
    const now = this.clock.now();
    const result = transition(this.state, { type: 'expire' }, now, this.timing);
    if ('rejected' in result || result.events.length === 0) return;
    await this.save(result.state, result.events, SYSTEM, now);
    await this.announce(now);
  }

  /** Saves the lease, its outbox rows, the session records and the expiry schedule in one commit. */
  private async save(
    next: LeaseState,
    events: LeaseEvent[],
    actor: Actor,
    now: number,
    also?: () => void,
  ): Promise<void> {
    const lost: LeaseEvent[] = [];
    await this.commit(() => {
      this.kv.put('lease', next);
      for (const e of events) {
        if (e.type === 'lease-lost') {
          lost.push(e);
          continue;
        }
        if (e.type === 'renewed') continue;
        const end: SessionEnd | null =
          e.type === 'released'
            ? 'released'
            : e.type === 'expired'
              ? 'expired'
              : e.type === 'force-released'
                ? 'force-released'
                : null;
        const session = end
          ? this.endRecord(e.lease, end, e.at, null)
          : liveSession(this.rackId as string, this.floorId as string, e.lease, e.at);
        this.appendOutbox(
          `rack.${e.type}`,
          this.payload(e.type, e.lease, actor, now, e.version, { session, ...(e.reason ? { reason: e.reason } : {}) }),
          now,
        );
      }
      also?.();
      const boundary = nextBoundary(next);
      if (boundary === null) this.schedule.clear('boundary', 'lease');
      else this.schedule.set('boundary', 'lease', boundary);
      // Whether the rack is held is what Ops lists: report that change at once, coalesce the rest (heartbeats).
      if ((this.state?.lease == null) !== (next.lease === null)) this.schedule.set('ops-report', 'live', now);
      else this.scheduleReport(now);
      this.state = next;
    });
    for (const e of lost) this.tellHolder(e);
  }

  /** Records an ended session (kept in the recent list, in the caller's transaction). */
  private endRecord(l: Lease, end: SessionEnd, at: number, summary: AuditSummary | null): RackSessionRecord {
    const record: RackSessionRecord = {
      ...liveSession(this.rackId as string, this.floorId as string, l, at),
      status: end,
      expires_at: null,
      ended_at: at,
      paused_ms: l.pausedMs,
      summary,
    };
    this.audit.putSession(record, RECENT_SESSIONS);
    return record;
  }

  private payload(
    type: string,
    l: Lease,
    actor: Actor,
    now: number,
    version: number,
    extra: Partial<RackMirrorPayload>,
  ): RackMirrorPayload {
    return {
      rackId: this.rackId as string,
      floorId: this.floorId as string,
      version,
      at: now,
      actor,
      event: type,
      session: extra.session ?? liveSession(this.rackId as string, this.floorId as string, l, now),
      records: extra.records ?? [],
      conflicts: extra.conflicts ?? [],
      ...(extra.reason ? { reason: extra.reason } : {}),
    };
  }

  private status(rackId = this.rackId as string, floorId = this.floorId as string): RackStatus {
    return rackStatus(rackId, floorId, this.state, this.counts(), this.clock.now());
  }

  private counts(): RackCounts {
    return { ...this.audit.counts(), conflicts: this.audit.openCount() };
  }

  /** Tells the rack's sockets and the floor board. A board that cannot be reached catches up on the next change. */
  private async announce(now: number): Promise<void> {
    const status = rackStatus(this.rackId as string, this.floorId as string, this.state, this.counts(), now);
    this.hub.broadcast({ type: 'rack-status', ...status, serverTime: now } satisfies RackServerMessage);
    if (status.status !== this.announcedStatus) await this.forgetAvailableList(status.status);
    try {
      const floor = floorStub(this.env, this.floorId as string);
      await floor.rackStatus(this.floorId as string, status);
    } catch (err) {
      console.warn(
        JSON.stringify({ level: 'warn', msg: 'floor update failed', rackId: this.rackId, error: String(err) }),
      );
    }
  }

  /**
   * The floor's available list is read from the Floor object and cached for a minute; a claim, release or expiry
   * must show at once, so the tag is bumped here, not only when the outbox reaches Postgres (which an outage delays).
   */
  private async forgetAvailableList(status: RackStatus['status']): Promise<void> {
    try {
      await cacheFor(this.env).invalidate([`racks:floor:${this.floorId as string}`]);
      this.announcedStatus = status;
    } catch (err) {
      console.warn(
        JSON.stringify({
          level: 'warn',
          msg: 'available-list invalidation failed',
          rackId: this.rackId,
          error: String(err),
        }),
      );
    }
  }

  private tellHolder(e: LeaseEvent): void {
    const msg = {
      type: 'lease-lost',
      rack_id: this.rackId as string,
      session_id: e.lease.sessionId,
      fencing_token: e.lease.fencingToken,
      reason: ('reason' in e ? e.reason : undefined) ?? 'expired',
      at: e.at,
      version: e.version,
      serverTime: this.clock.now(),
    } satisfies RackServerMessage;
    this.hub.broadcast(msg, (meta) => meta.userId === e.lease.holderId);
  }

  /** Every outbox row that stands for a floor webhook event also leaves a note for the Floor, in the same commit. */
  protected override appendOutbox(kind: string, payload: unknown, now: number): string {
    const id = super.appendOutbox(kind, payload, now);
    if (this.notes.record(kind, payload as RackMirrorPayload) > 0) this.schedule.set('floor-notes', 'flush', now);
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

export type { ItemRecord };

/** The session row of a conflict whose session is no longer in the recent list (only its ids are known). */
function placeholderSession(
  rackId: string,
  floor: string,
  sessionId: string,
  userId: string,
  fencingToken: number,
  at: number,
): RackSessionRecord {
  return {
    session_id: sessionId,
    rack_id: rackId,
    floor,
    user_id: userId,
    fencing_token: fencingToken,
    status: 'released',
    started_at: at,
    expires_at: null,
    ended_at: at,
    paused_ms: 0,
    summary: null,
  };
}
