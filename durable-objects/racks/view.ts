/**
 * What a Rack object says about itself: its status for the floor board, and
 * the record of each session (one per lease grant).
 */
import type { ItemRecord } from '../../core/racks/batch.ts';
import { type AuditStats, type AuditSummary, auditStats } from '../../core/racks/summary.ts';
import { type Lease, type LeaseState, leasePausedMs, liveLease } from '../../core/racks/lease.ts';
import type { RackCounts, RackStatus } from '../../core/racks/wire.ts';

/** The wire shape lives in core/racks/wire.ts; the worker's routes name it from here too. */
export type { RackStatus };

export type SessionEnd = 'completed' | 'released' | 'expired' | 'force-released' | 'handed-off';

/** One claim of the rack, from grant to its end. */
export interface RackSessionRecord {
  session_id: string;
  rack_id: string;
  floor: string;
  user_id: string;
  user_name?: string | null;
  fencing_token: number;
  status: 'active' | 'paused' | SessionEnd;
  started_at: number;
  expires_at: number | null;
  ended_at: number | null;
  paused_ms: number;
  last_heartbeat_at?: number | null;
  summary: AuditSummary | null;
}

/** A rack nobody has reported on yet. */
export function idleStatus(rackId: string, floor: string): RackStatus {
  return {
    rack_id: rackId,
    floor,
    status: 'available',
    holder: null,
    holder_name: null,
    session_id: null,
    fencing_token: null,
    expires_at: null,
    last_heartbeat_at: null,
    counts: { total: 0, verified: 0, damage: 0, pending: 0, conflicts: 0 },
    version: 0,
    ...NO_EXTRAS,
    granted_at: null,
    lease_age_ms: null,
    heartbeat_age_ms: null,
  };
}

/** What a status says beyond the lease (the Rack knows it: its settings and reviews). */
export type StatusExtras = Pick<RackStatus, 'blind' | 'mode' | 'audit_status' | 'open_reviews' | 'recount'>;
const NO_EXTRAS: StatusExtras = { blind: false, mode: null, audit_status: null, open_reviews: 0, recount: null };

/** The lease's and the last heartbeat's age at `now` (the board recomputes them when it answers). */
export function withAges(s: RackStatus, now: number): RackStatus {
  return {
    ...s,
    lease_age_ms: s.granted_at !== null ? Math.max(0, now - s.granted_at) : null,
    heartbeat_age_ms: s.last_heartbeat_at !== null ? Math.max(0, now - s.last_heartbeat_at) : null,
  };
}

export function rackStatus(
  rackId: string,
  floor: string,
  state: LeaseState | null,
  counts: RackCounts,
  now: number,
  extras: StatusExtras = NO_EXTRAS,
): RackStatus {
  const l = state ? liveLease(state, now) : null;
  return withAges(
    {
      rack_id: rackId,
      floor,
      status: l ? (l.status === 'paused' ? 'paused' : 'claimed') : 'available',
      holder: l?.holderId ?? null,
      holder_name: l?.holderName ?? null,
      session_id: l?.sessionId ?? null,
      fencing_token: l?.fencingToken ?? null,
      expires_at: l?.expiresAt ?? null,
      last_heartbeat_at: l?.lastHeartbeatAt ?? null,
      counts,
      version: state?.version ?? 0,
      ...extras,
      granted_at: l?.grantedAt ?? null,
      lease_age_ms: null,
      heartbeat_age_ms: null,
    },
    now,
  );
}

/** The session record of a live lease at `now`. */
export function liveSession(rackId: string, floor: string, l: Lease, now: number): RackSessionRecord {
  return {
    session_id: l.sessionId,
    rack_id: rackId,
    floor,
    user_id: l.holderId,
    user_name: l.holderName ?? null,
    fencing_token: l.fencingToken,
    status: l.status,
    started_at: l.grantedAt,
    expires_at: l.expiresAt,
    ended_at: null,
    paused_ms: leasePausedMs(l, now),
    last_heartbeat_at: l.lastHeartbeatAt ?? null,
    summary: null,
  };
}

/** Live stats of a session: the audit's records, over the session's working time. */
export function sessionStats(record: RackSessionRecord, items: ItemRecord[], now: number): AuditStats {
  if (record.summary) {
    const { total_items, verified_items, damage_items, pending_items, duration_seconds, items_per_minute } =
      record.summary;
    return { total_items, verified_items, damage_items, pending_items, duration_seconds, items_per_minute };
  }
  return auditStats(items, {
    startedAt: record.started_at,
    endedAt: record.ended_at ?? now,
    pausedMs: record.paused_ms,
  });
}
