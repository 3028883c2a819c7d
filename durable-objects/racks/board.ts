/**
 * What the floor board and the rack's sockets hear of a rack: its status (lease, counts, blind, mode, audit status
 * and a waiting recount), sent after every change. The floor's cached available list is invalidated at once when
 * the lease status changes.
 */
import { liveLease } from '../../core/racks/lease.ts';
import type { RackCounts, RackServerMessage } from '../../core/racks/wire.ts';
import { cacheFor } from '../platform/mirrors/clients.ts';
import { floorStub } from '../platform/stubs.ts';
import type { RackHost } from './host.ts';
import { type RackStatus, rackStatus } from './view.ts';

export class RackBoard {
  /** The lease status the floor's cached available list last heard of (in memory: a wake-up bumps the tag once more). */
  private announcedStatus: RackStatus['status'] | null = null;

  constructor(private readonly host: RackHost) {}

  status(rackId = this.host.rackId(), floorId = this.host.floorId()): RackStatus {
    return rackStatus(rackId, floorId, this.host.lease(), this.counts(), this.host.now(), this.extras());
  }

  /** Tells the rack's sockets and the floor board. A board that cannot be reached catches up on the next change. */
  async announce(now: number): Promise<void> {
    const host = this.host;
    const status = rackStatus(host.rackId(), host.floorId(), host.lease(), this.counts(), now, this.extras());
    host.broadcast({ type: 'rack-status', ...status, serverTime: now } satisfies RackServerMessage);
    if (status.status !== this.announcedStatus) await this.forgetAvailableList(status.status);
    try {
      const floor = floorStub(host.env, host.floorId());
      await floor.rackStatus(host.floorId(), status);
    } catch (err) {
      console.warn(
        JSON.stringify({ level: 'warn', msg: 'floor update failed', rackId: host.rackId(), error: String(err) }),
      );
    }
  }

  /** What the board shows beyond the lease: blind, the live lease's mode, the audit status and a waiting recount. */
  private extras() {
    const host = this.host;
    const state = host.lease();
    const l = state ? liveLease(state, host.now()) : null;
    const auditCtx = host.auditCtx();
    const ctx = l && auditCtx?.sessionId === l.sessionId ? auditCtx : null;
    const r = host.reviews.recounting();
    return {
      blind: ctx?.blind ?? host.config()?.blind ?? false,
      mode: l ? (ctx?.mode ?? 'audit') : null,
      ...host.reviews.boardStatus(),
      recount: r?.recount ? { audit_id: r.audit_id, items: r.recount.items, assignee: r.recount.assignee } : null,
    };
  }

  private counts(): RackCounts {
    return { ...this.host.audit.counts(), conflicts: this.host.audit.openCount() };
  }

  /**
   * The floor's available list is read from the Floor object and cached for a minute; a claim, release or expiry
   * must show at once, so the tag is bumped here, not only when the outbox reaches Postgres (which an outage delays).
   */
  private async forgetAvailableList(status: RackStatus['status']): Promise<void> {
    try {
      await cacheFor(this.host.env).invalidate([`racks:floor:${this.host.floorId()}`]);
      this.announcedStatus = status;
    } catch (err) {
      console.warn(
        JSON.stringify({
          level: 'warn',
          msg: 'available-list invalidation failed',
          rackId: this.host.rackId(),
          error: String(err),
        }),
      );
    }
  }
}
