/**
 * Variance reviews of completed audits: the lists, one review, the export range, and a supervisor's decision on a
 * flagged item (accept, adjust, or send it back for recount). A decision is journaled and mirrored, and the board
 * hears the new audit status.
 */
import { type Answer, refuse } from '../../core/errors.ts';
import { type Review, type ReviewDecision, reviewTransition } from '../../core/racks/review.ts';
import type { Actor, RackHost } from './host.ts';
import { reviewPayload } from './review-mirror.ts';

/** A supervisor's decision on one flagged item. */
export interface Decision {
  itemCode: string;
  decision: ReviewDecision;
  qty?: number | undefined;
  reason?: string | undefined;
  assignee?: string | undefined;
}

/** This rack's reviews: the open ones, or every stored one with `all`, oldest first. */
export async function listReviews(host: RackHost, rackId: string, all: boolean): Promise<Review[]> {
  if (!(await host.peek(rackId))) return [];
  return all ? host.reviews.between(0, Number.MAX_SAFE_INTEGER) : host.reviews.open();
}

export async function review(host: RackHost, rackId: string, auditId: string): Promise<Answer<Review>> {
  const r = (await host.peek(rackId)) ? host.reviews.get(auditId) : null;
  return r ? { ok: true, value: r } : refuse('review_not_found', 'No such audit review');
}

/** Reviews completed in [from, to] (the export). */
export async function auditsBetween(host: RackHost, rackId: string, from: number, to: number): Promise<Review[]> {
  if (!(await host.peek(rackId))) return [];
  return host.reviews.between(from, to);
}

/** A supervisor's decision on one flagged item: journaled, mirrored, and the board hears the new audit status. */
export async function decide(
  host: RackHost,
  rackId: string,
  auditId: string,
  d: Decision,
  adminId: string,
): Promise<Answer<Review>> {
  if (!(await host.bind(rackId))) return refuse('review_not_found', 'No such audit review');
  await host.settle();
  const review = host.reviews.get(auditId);
  if (!review) return refuse('review_not_found', 'No such audit review');
  const other = host.reviews.recounting();
  if (d.decision === 'recount' && other && other.audit_id !== auditId)
    return refuse('recount_in_progress', `Rack ${rackId} already has a recount waiting (audit ${other.audit_id})`);
  const now = host.now();
  const out = reviewTransition(review, { type: 'decide', ...d, by: adminId, at: now });
  if ('rejected' in out) return refuse(out.rejected, out.message);
  if (out.entries.length === 0) return { ok: true, value: out.review };
  await host.commit(() => saveReview(host, out.review, out.entries, { id: adminId, role: 'admin' }, now));
  await host.announce(now);
  return { ok: true, value: out.review };
}

/** Stores a review and journals what it added (inside the caller's commit). */
export function saveReview(
  host: RackHost,
  review: Review,
  entries: Review['history'],
  actor: Actor,
  now: number,
): void {
  host.reviews.put(review);
  if (entries.length > 0) host.appendOutbox('rack.review', reviewPayload(review, entries, actor, now), now);
}
