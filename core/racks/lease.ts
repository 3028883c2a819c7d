/**
 * One rack's exclusive lease as a pure transition:
 * `transition(state, command, now) → { state, events } | { rejected }`.
 * Every grant takes the next fencing token; `lastToken` lives in the state,
 * so a token is never reused even after the lease ends. No I/O and no clock.
 */

// ── State ──────────────────────────────────────────────────────────────────
/** A lease lasts this long past its grant or last heartbeat. */
export const LEASE_TTL_MS = 60_000;
/** A paused lease is held this long without heartbeats. */
export const PAUSE_HOLD_MS = 10 * 60_000;

/** The lease durations in force; tests shorten them, production uses LEASE_TIMING. */
export interface LeaseTiming {
  ttlMs: number;
  pauseHoldMs: number;
}
export const LEASE_TIMING: LeaseTiming = { ttlMs: LEASE_TTL_MS, pauseHoldMs: PAUSE_HOLD_MS };

export interface Lease {
  holderId: string;
  sessionId: string;
  fencingToken: number;
  grantedAt: number;
  expiresAt: number;
  status: 'active' | 'paused';
  /** Start of the current pause; null while active. */
  pausedAt: number | null;
  /** Paused time of every closed pause. */
  pausedMs: number;
  /** The holder's display name, as given at the claim (absent on leases stored before names). */
  holderName?: string | null;
  /** The last accepted heartbeat; null until the first. */
  lastHeartbeatAt?: number | null;
}

export interface LeaseState {
  rackId: string;
  /** Rises by one for every event. */
  version: number;
  /** The highest token ever granted; the next grant takes `lastToken + 1`. */
  lastToken: number;
  lease: Lease | null;
  /** Server time of the last change; a command's clock never reads earlier. */
  changedAt: number;
}

export function makeLeaseState(rackId: string, now: number): LeaseState {
  return { rackId, version: 0, lastToken: 0, lease: null, changedAt: now };
}

// ── Commands ───────────────────────────────────────────────────────────────
export type LeaseCommand =
  /** `sessionId` is chosen by the caller; without one it is derived from the rack and token. */
  | { type: 'claim'; userId: string; sessionId?: string; userName?: string }
  | { type: 'heartbeat' | 'pause' | 'resume' | 'release'; fencingToken: number }
  /** Internal, from the alarm: ends a lease whose expiry has passed. */
  | { type: 'expire' }
  /** Admin: ends the lease whoever holds it; the reason is journaled with the event. */
  | { type: 'force-release'; reason: string; by?: string; broken?: boolean }
  /** Admin: ends the live lease and grants a new one (next token) to another worker; the audit carries on. */
  | { type: 'handoff'; toUserId: string; toUserName?: string | null; reason: string; by: string };

// ── Events ─────────────────────────────────────────────────────────────────
type LeaseEventType =
  | 'claimed'
  | 'renewed'
  | 'paused'
  | 'resumed'
  | 'released'
  | 'expired'
  | 'force-released'
  | 'handed-off';

/** Why a holder lost its lease without releasing it. */
export type LeaseLostReason = 'expired' | 'force-released' | 'broken' | 'handed-off';

/** `lease` is the lease the event concerns (the ended one for released/expired/force-released). */
export type LeaseEvent =
  | { type: LeaseEventType; lease: Lease; version: number; at: number; reason?: string; by?: string }
  /** Sent to the old holder's sockets whenever a lease ends without its holder releasing it. */
  | { type: 'lease-lost'; lease: Lease; version: number; at: number; reason: LeaseLostReason };

type LeaseRejectCode =
  | 'rack_claimed'
  | 'stale_fencing_token'
  | 'no_lease'
  | 'not_active'
  | 'not_paused'
  | 'same_holder';

interface LeaseRejection {
  rejected: LeaseRejectCode;
  message: string;
  /** With `rack_claimed`: who holds the rack and until when. */
  holder?: string;
  holderName?: string | null;
  expiresAt?: number;
}

export type LeaseResult = { state: LeaseState; events: LeaseEvent[] } | LeaseRejection;

// ── Derivations ──────────────────────────────────────────────────────────
/** The unexpired lease at `now`, or null. */
export function liveLease(state: LeaseState, now: number): Lease | null {
  const l = state.lease;
  return l && now < l.expiresAt ? l : null;
}

/** Paused time of `lease` up to `now`, the open pause included. */
export function leasePausedMs(lease: Lease, now: number): number {
  return lease.pausedMs + (lease.pausedAt !== null ? Math.max(0, now - lease.pausedAt) : 0);
}

/** Working time of `lease` up to `now` (wall time minus paused time); what rate stats divide by. */
export function leaseActiveMs(lease: Lease, now: number): number {
  const end = Math.min(now, lease.expiresAt);
  return Math.max(0, end - lease.grantedAt - leasePausedMs(lease, end));
}

/** The one boundary a rack has: its lease's expiry. */
export function nextBoundary(state: LeaseState): number | null {
  return state.lease?.expiresAt ?? null;
}

// ── Transition ─────────────────────────────────────────────────────────────
/**
 * Applies `cmd` at `now`. A passed expiry is applied first, so no command
 * ever acts on a lease that has lapsed; its token is then stale.
 */
export function transition(
  state: LeaseState,
  cmd: LeaseCommand,
  now: number,
  timing: LeaseTiming = LEASE_TIMING,
): LeaseResult {
  const t = Math.max(now, state.changedAt);
  const settled = settle(state, t);
  if (cmd.type === 'expire') return settled;
  const applied = apply(settled.state, cmd, t, timing);
  if ('rejected' in applied) return applied;
  return { state: applied.state, events: [...settled.events, ...applied.events] };
}

function settle(state: LeaseState, t: number): { state: LeaseState; events: LeaseEvent[] } {
  const l = state.lease;
  if (!l || t < l.expiresAt) return { state, events: [] };
  const ended = closePause(l, l.expiresAt);
  const v = state.version;
  return {
    state: { ...state, version: v + 2, lease: null, changedAt: t },
    events: [
      { type: 'expired', lease: ended, version: v + 1, at: l.expiresAt },
      { type: 'lease-lost', lease: ended, version: v + 2, at: l.expiresAt, reason: 'expired' },
    ],
  };
}

function apply(
  state: LeaseState,
  cmd: Exclude<LeaseCommand, { type: 'expire' }>,
  t: number,
  timing: LeaseTiming,
): LeaseResult {
  const l = state.lease;
  switch (cmd.type) {
    case 'claim': {
      // The holder claiming again gets the same lease back: a retried claim is harmless.
      if (l && l.holderId === cmd.userId) return { state, events: [] };
      if (l)
        return {
          rejected: 'rack_claimed',
          message: 'The rack is claimed by someone else',
          holder: l.holderId,
          holderName: l.holderName ?? null,
          expiresAt: l.expiresAt,
        };
      const fencingToken = state.lastToken + 1;
      const lease: Lease = {
        holderId: cmd.userId,
        sessionId: cmd.sessionId ?? `${state.rackId}:${fencingToken}`,
        fencingToken,
        grantedAt: t,
        expiresAt: t + timing.ttlMs,
        status: 'active',
        pausedAt: null,
        pausedMs: 0,
        holderName: cmd.userName ?? null,
        lastHeartbeatAt: null,
      };
      return changed({ ...state, lastToken: fencingToken }, lease, 'claimed', t);
    }
    case 'force-release': {
      if (!l) return { rejected: 'no_lease', message: 'The rack has no lease' };
      const ended = closePause(l, t);
      const v = state.version;
      return {
        state: { ...state, version: v + 2, lease: null, changedAt: t },
        events: [
          {
            type: 'force-released',
            lease: ended,
            version: v + 1,
            at: t,
            reason: cmd.reason,
            ...(cmd.by ? { by: cmd.by } : {}),
          },
          { type: 'lease-lost', lease: ended, version: v + 2, at: t, reason: cmd.broken ? 'broken' : 'force-released' },
        ],
      };
    }
    case 'handoff': {
      if (!l) return { rejected: 'no_lease', message: 'The rack has no lease to hand off' };
      if (l.holderId === cmd.toUserId)
        return { rejected: 'same_holder', message: 'That worker holds the lease already' };
      const ended = closePause(l, t);
      const fencingToken = state.lastToken + 1;
      const lease: Lease = {
        holderId: cmd.toUserId,
        sessionId: `${state.rackId}:${fencingToken}`,
        fencingToken,
        grantedAt: t,
        expiresAt: t + timing.ttlMs,
        status: 'active',
        pausedAt: null,
        pausedMs: 0,
        holderName: cmd.toUserName ?? null,
        lastHeartbeatAt: null,
      };
      const v = state.version;
      return {
        state: { ...state, version: v + 3, lastToken: fencingToken, lease, changedAt: t },
        events: [
          { type: 'handed-off', lease: ended, version: v + 1, at: t, reason: cmd.reason, by: cmd.by },
          { type: 'lease-lost', lease: ended, version: v + 2, at: t, reason: 'handed-off' },
          { type: 'claimed', lease, version: v + 3, at: t },
        ],
      };
    }
    default: {
      if (!l || l.fencingToken !== cmd.fencingToken)
        return { rejected: 'stale_fencing_token', message: 'The fencing token is not the current lease' };
      switch (cmd.type) {
        case 'heartbeat':
          return changed(
            state,
            { ...l, expiresAt: Math.max(l.expiresAt, t + timing.ttlMs), lastHeartbeatAt: t },
            'renewed',
            t,
          );
        case 'pause':
          if (l.status !== 'active') return { rejected: 'not_active', message: 'The lease is already paused' };
          return changed(
            state,
            { ...l, status: 'paused', pausedAt: t, expiresAt: Math.max(l.expiresAt, t + timing.pauseHoldMs) },
            'paused',
            t,
          );
        case 'resume':
          if (l.status !== 'paused') return { rejected: 'not_paused', message: 'The lease is not paused' };
          return changed(state, { ...closePause(l, t), status: 'active', expiresAt: t + timing.ttlMs }, 'resumed', t);
        case 'release': {
          const version = state.version + 1;
          return {
            state: { ...state, version, lease: null, changedAt: t },
            events: [{ type: 'released', lease: closePause(l, t), version, at: t }],
          };
        }
      }
    }
  }
}

function changed(state: LeaseState, lease: Lease, type: LeaseEventType, t: number): LeaseResult {
  const version = state.version + 1;
  return { state: { ...state, version, lease, changedAt: t }, events: [{ type, lease, version, at: t }] };
}

/** Folds an open pause into `pausedMs` at `end`. */
function closePause(l: Lease, end: number): Lease {
  if (l.pausedAt === null) return l;
  return { ...l, status: 'active', pausedMs: l.pausedMs + Math.max(0, end - l.pausedAt), pausedAt: null };
}
