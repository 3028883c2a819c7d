/**
 * Reads of one rack: its status (with the item estimate a member does not see on a blind rack), the scans of the
 * live audit, and its live or recent sessions. A read stores nothing (host.peek) but applies a passed expiry.
 */
import { type Answer, refuse } from '../../core/errors.ts';
import { liveLease } from '../../core/racks/lease.ts';
import type { AuditStats } from '../../core/racks/summary.ts';
import { itemEstimate } from '../../core/racks/warehouse.ts';
import { recordsView } from './audit-context.ts';
import type { Member, RackHost } from './host.ts';
import { type RackSessionRecord, type RackStatus, liveSession, sessionStats } from './view.ts';

/** The scans so far of the live audit, for its holder or an admin (a new holder after a hand-off). */
export async function records(
  host: RackHost,
  rackId: string,
  sessionId: string,
  actor: Member,
): Promise<Answer<{ session_id: string; records: ReturnType<typeof recordsView> }>> {
  if (!(await host.peek(rackId))) return refuse('rack_session_not_found', 'No such rack session');
  await host.settle();
  const state = host.lease();
  const l = state ? liveLease(state, host.now()) : null;
  if (!l || l.sessionId !== sessionId) return refuse('rack_session_not_found', 'No live rack session with that id');
  if (actor.role !== 'admin' && l.holderId !== actor.id)
    return refuse('rack_session_not_found', 'No live rack session with that id');
  return { ok: true, value: { session_id: sessionId, records: recordsView(host.audit.allItems()) } };
}

/** A member sees no item estimate on a blind rack (it sums the expected quantities). */
export async function rackStatus(
  host: RackHost,
  rackId: string,
  role: Member['role'],
): Promise<Answer<RackStatus & { item_estimate: number | null }>> {
  const info = await host.peek(rackId);
  if (!info) return refuse('rack_not_found', 'No such rack');
  await host.settle();
  const status = host.status(rackId, info.floorId);
  const hidden = status.blind && role !== 'admin';
  return {
    ok: true,
    value: { ...status, item_estimate: hidden ? null : itemEstimate({ expected: info.expected }) },
  };
}

/** A session of this rack (live or recent); null when unknown. */
export async function session(
  host: RackHost,
  rackId: string,
  sessionId: string,
): Promise<(RackSessionRecord & { stats: AuditStats }) | null> {
  const info = await host.peek(rackId);
  if (!info) return null;
  await host.settle();
  const now = host.now();
  const state = host.lease();
  const l = state ? liveLease(state, now) : null;
  const rec = l?.sessionId === sessionId ? liveSession(rackId, info.floorId, l, now) : host.audit.session(sessionId);
  if (!rec) return null;
  return { ...rec, stats: sessionStats(rec, rec.summary ? [] : host.audit.allItems(), now) };
}

/** Recent sessions of one user on this rack, newest first. */
export async function userSessions(host: RackHost, rackId: string, userId: string): Promise<RackSessionRecord[]> {
  if (!(await host.peek(rackId))) return [];
  return host.audit.userSessions(userId);
}
