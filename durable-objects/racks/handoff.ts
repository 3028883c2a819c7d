/**
 * A supervisor's hand on a lease: the break (the holder is told `broken`, the reason journaled) and the hand-off to
 * another worker, who gets the next token and the scans so far while the audit carries on.
 */
import { type Answer, refuse } from '../../core/errors.ts';
import { type Lease, liveLease } from '../../core/racks/lease.ts';
import type { RackServerMessage } from '../../core/racks/wire.ts';
import { recordsView } from './audit-context.ts';
import { moveAudit } from './audit-flow.ts';
import type { ClaimValue, RackHost } from './host.ts';
import type { RackStatus } from './view.ts';

/** What a hand-off answers: the new lease, its holder, the lease it ended and the scans so far. */
export type HandoffValue = ClaimValue & {
  holder: string;
  previous: { holder: string; session_id: string; fencing_token: number };
  records: ReturnType<typeof recordsView>;
};

/** `broken`: a supervisor's break (POST /racks/:id/break): the holder is told `broken`, the reason journaled. */
export async function forceRelease(
  host: RackHost,
  rackId: string,
  reason: string,
  adminId: string,
  broken: boolean,
): Promise<Answer<RackStatus>> {
  if (!(await host.bind(rackId))) return refuse('rack_not_found', 'No such rack');
  const r = await host.run({ type: 'force-release', reason, by: adminId, broken }, { id: adminId, role: 'admin' });
  return r.ok ? { ok: true, value: host.status() } : r;
}

/**
 * Hands the live lease to `to`: the old lease ends (its holder is told `handed-off`, its token is stale from
 * now), the new holder gets the next token and the scans so far. The audit carries on (a recount stays a recount,
 * fenced by the new token).
 */
export async function handoff(
  host: RackHost,
  rackId: string,
  to: { id: string; name: string | null },
  reason: string,
  adminId: string,
): Promise<Answer<HandoffValue>> {
  if (!(await host.bind(rackId))) return refuse('rack_not_found', 'No such rack');
  await host.settle();
  const state = host.lease();
  const before = state ? liveLease(state, host.now()) : null;
  const r = await host.run(
    { type: 'handoff', toUserId: to.id, toUserName: to.name, reason, by: adminId },
    { id: adminId, role: 'admin' },
    (events, now) => {
      const granted = events.find((e) => e.type === 'claimed');
      if (granted) moveAudit(host, granted.lease, adminId, now);
    },
  );
  if (!r.ok) return r;
  const l = r.value as Lease;
  const ctx = host.auditCtx();
  host.broadcast(
    {
      type: 'lease-granted',
      rack_id: rackId,
      session_id: l.sessionId,
      fencing_token: l.fencingToken,
      expires_at: l.expiresAt,
      mode: ctx?.mode ?? 'audit',
      audit_id: ctx?.auditId ?? null,
      items: ctx?.items ?? null,
      version: host.lease()?.version ?? 0,
      serverTime: host.now(),
    } satisfies RackServerMessage,
    (meta) => meta.userId === to.id,
  );
  const old = before as Lease;
  return {
    ok: true,
    value: {
      success: true,
      rack_id: rackId,
      session_id: l.sessionId,
      floor: host.floorId(),
      fencing_token: l.fencingToken,
      lock_ttl: Math.round(host.timing().ttlMs / 1000),
      lock_ttl_ms: host.timing().ttlMs,
      expires_at: l.expiresAt,
      mode: ctx?.mode ?? 'audit',
      audit_id: ctx?.auditId ?? null,
      items: ctx?.items ?? null,
      holder: l.holderId,
      previous: { holder: old.holderId, session_id: old.sessionId, fencing_token: old.fencingToken },
      records: recordsView(host.audit.allItems()),
    },
  };
}
