/**
 * Which audit a lease counts: at the claim its context is fixed (a normal audit with the layout's expected items, or
 * the recount a review sent back), a hand-off carries it over to the new session, and a recount's review learns
 * each lease that counts it.
 */
import { NO_THRESHOLDS, type Review, reviewTransition } from '../../core/racks/review.ts';
import { type Lease, liveLease } from '../../core/racks/lease.ts';
import type { AuditContext } from './audit-context.ts';
import type { RackHost } from './host.ts';
import { saveReview } from './review-desk.ts';

/** The review whose recount the next claim would count; an unfinished normal audit's scans are completed first. */
export function claimableRecount(host: RackHost): Review | null {
  const r = host.reviews.recounting();
  if (!r) return null;
  const ctx = host.auditCtx();
  const ownLeftovers = ctx?.mode === 'recount' && ctx.auditId === r.audit_id;
  return host.audit.itemCount() > 0 && !ownLeftovers ? null : r;
}

/** The context of the live lease's audit, or null without one. */
export function liveContext(host: RackHost): AuditContext | null {
  const state = host.lease();
  const l = state ? liveLease(state, host.now()) : null;
  const ctx = host.auditCtx();
  return l && ctx?.sessionId === l.sessionId ? ctx : null;
}

export function freshContext(host: RackHost, l: Lease, recount: Review | null): AuditContext {
  if (recount)
    return {
      sessionId: l.sessionId,
      mode: 'recount',
      auditId: recount.audit_id,
      items: recount.recount?.items ?? [],
      expected: recount.items.map((i) => ({ item_code: i.item_code, expected_qty: i.expected_qty })),
      blind: recount.blind,
      review: recount.thresholds,
    };
  const config = host.config();
  return {
    sessionId: l.sessionId,
    mode: 'audit',
    auditId: null,
    items: null,
    expected: config?.expected ?? [],
    blind: config?.blind ?? false,
    review: config?.review ?? NO_THRESHOLDS,
  };
}

/** At a grant (inside its commit): fixes the audit's context; a recount's review learns its lease. */
export function startAudit(host: RackHost, l: Lease, recount: Review | null, now: number): void {
  host.setAuditCtx(freshContext(host, l, recount));
  if (recount) startRecount(host, recount, l, l.holderId, now);
}

/** At a hand-off (inside its commit): the audit carries on under the new session; a recount is fenced anew. */
export function moveAudit(host: RackHost, l: Lease, by: string, now: number): void {
  const ctx = { ...(host.auditCtx() ?? freshContext(host, l, null)), sessionId: l.sessionId };
  host.setAuditCtx(ctx);
  const r = ctx.mode === 'recount' && ctx.auditId ? host.reviews.get(ctx.auditId) : null;
  if (r) startRecount(host, r, l, by, now);
}

function startRecount(host: RackHost, r: Review, l: Lease, by: string, now: number): void {
  const out = reviewTransition(r, {
    type: 'recount-started',
    sessionId: l.sessionId,
    fencingToken: l.fencingToken,
    holder: l.holderId,
    by,
    at: now,
  });
  if (!('rejected' in out)) saveReview(host, out.review, out.entries, { id: by, role: 'user' }, now);
}
