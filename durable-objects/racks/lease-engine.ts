/**
 * How a Rack applies a lease change: the pure lease rule runs, then the lease, its outbox rows, the ended session
 * records and the expiry schedule are saved in one commit, then the board hears of it. A lost lease's holder is told
 * after the commit. A passed expiry is applied before anything reads the lease (the alarm may be late).
 */
import { type Answer, refuse } from '../../core/errors.ts';
import {
  type Lease,
  type LeaseCommand,
  type LeaseEvent,
  type LeaseState,
  makeLeaseState,
  nextBoundary,
  transition,
} from '../../core/racks/lease.ts';
import type { AuditSummary } from '../../core/racks/summary.ts';
import type { RackServerMessage } from '../../core/racks/wire.ts';
import type { JsonStore } from '../platform/kv.ts';
import type { Schedule } from '../platform/schedule.ts';
import type { Actor, RackHost } from './host.ts';
import type { RackMirrorPayload } from './mirror.ts';
import { type RackSessionRecord, type SessionEnd, liveSession } from './view.ts';

const SYSTEM: Actor = { id: null, role: 'system' };
/** Ended sessions kept for reads; older ones live in Postgres. */
const RECENT_SESSIONS = 50;

/** What the engine needs from its object, beyond the command modules' host. */
export interface EngineHost
  extends Pick<
    RackHost,
    | 'audit'
    | 'now'
    | 'rackId'
    | 'floorId'
    | 'lease'
    | 'timing'
    | 'commit'
    | 'announce'
    | 'appendOutbox'
    | 'scheduleReport'
    | 'broadcast'
  > {
  kv(): JsonStore;
  schedule(): Schedule;
  /** Sets the object's lease field (the stored value is written by the engine, in the same commit). */
  setLease(next: LeaseState): void;
}

export class LeaseEngine {
  constructor(private readonly host: EngineHost) {}

  /** A session id or holder that is not the live lease's is as stale as a wrong token. */
  fence(userId: string, sessionId: string | null, fencingToken: number): Answer<never> | null {
    const l = this.host.lease()?.lease;
    if (
      !l ||
      l.holderId !== userId ||
      (sessionId !== null && l.sessionId !== sessionId) ||
      l.fencingToken !== fencingToken
    )
      return refuse('stale_fencing_token', 'The fencing token is not the current lease');
    return null;
  }

  async run(
    cmd: LeaseCommand,
    actor: Actor,
    also?: (events: LeaseEvent[], now: number) => void,
  ): Promise<Answer<Lease | null>> {
    const host = this.host;
    const now = host.now();
    const result = transition(host.lease() ?? makeLeaseState(host.rackId(), now), cmd, now, host.timing());
    if ('rejected' in result) {
      const details = result.holder
        ? { holder: result.holder, holder_name: result.holderName ?? null, expires_at: result.expiresAt }
        : undefined;
      return refuse(result.rejected, result.message, details);
    }
    if (result.events.length > 0) {
      await this.save(result.state, result.events, actor, now, also ? () => also(result.events, now) : undefined);
      await host.announce(now);
    }
    return { ok: true, value: result.state.lease };
  }

  /** Applies a passed expiry (the alarm may be late or not yet run). */
  async settle(): Promise<void> {
    const state = this.host.lease();
    if (!state?.lease) return;
    const now = this.host.now();
    const result = transition(state, { type: 'expire' }, now, this.host.timing());
    if ('rejected' in result || result.events.length === 0) return;
    await this.save(result.state, result.events, SYSTEM, now);
    await this.host.announce(now);
  }

  /** Saves the lease, its outbox rows, the session records and the expiry schedule in one commit. */
  async save(next: LeaseState, events: LeaseEvent[], actor: Actor, now: number, also?: () => void): Promise<void> {
    const host = this.host;
    const lost: LeaseEvent[] = [];
    await host.commit(() => {
      host.kv().put('lease', next);
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
                : e.type === 'handed-off'
                  ? 'handed-off'
                  : null;
        const session = end
          ? this.endRecord(e.lease, end, e.at, null)
          : liveSession(host.rackId(), host.floorId(), e.lease, e.at);
        host.appendOutbox(
          `rack.${e.type}`,
          this.payload(e.type, e.lease, actor, now, e.version, { session, ...(e.reason ? { reason: e.reason } : {}) }),
          now,
        );
      }
      also?.();
      const schedule = host.schedule();
      const boundary = nextBoundary(next);
      if (boundary === null) schedule.clear('boundary', 'lease');
      else schedule.set('boundary', 'lease', boundary);
      // Whether the rack is held is what Ops lists: report that change at once, coalesce the rest (heartbeats).
      if ((host.lease()?.lease == null) !== (next.lease === null)) schedule.set('ops-report', 'live', now);
      else host.scheduleReport(now);
      host.setLease(next);
    });
    for (const e of lost) this.tellHolder(e);
  }

  /** Records an ended session (kept in the recent list, in the caller's transaction). */
  endRecord(l: Lease, end: SessionEnd, at: number, summary: AuditSummary | null): RackSessionRecord {
    const record: RackSessionRecord = {
      ...liveSession(this.host.rackId(), this.host.floorId(), l, at),
      status: end,
      expires_at: null,
      ended_at: at,
      paused_ms: l.pausedMs,
      summary,
    };
    this.host.audit.putSession(record, RECENT_SESSIONS);
    return record;
  }

  payload(
    type: string,
    l: Lease,
    actor: Actor,
    now: number,
    version: number,
    extra: Partial<RackMirrorPayload>,
  ): RackMirrorPayload {
    const rackId = this.host.rackId();
    const floorId = this.host.floorId();
    return {
      rackId,
      floorId,
      version,
      at: now,
      actor,
      event: type,
      session: extra.session ?? liveSession(rackId, floorId, l, now),
      records: extra.records ?? [],
      conflicts: extra.conflicts ?? [],
      ...(extra.reason ? { reason: extra.reason } : {}),
    };
  }

  /** The holder of a lost lease hears `lease-lost` on their sockets. */
  private tellHolder(e: LeaseEvent): void {
    const msg = {
      type: 'lease-lost',
      rack_id: this.host.rackId(),
      session_id: e.lease.sessionId,
      fencing_token: e.lease.fencingToken,
      reason: ('reason' in e ? e.reason : undefined) ?? 'expired',
      at: e.at,
      version: e.version,
      serverTime: this.host.now(),
    } satisfies RackServerMessage;
    this.host.broadcast(msg, (meta) => meta.userId === e.lease.holderId);
  }
}
