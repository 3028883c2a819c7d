/**
 * What a Rack fixes at the claim for the audit it grants (issue 15): the expected items and thresholds in force then
 * (a layout change made during the lease takes effect at the next claim), whether the count is blind, and whether the
 * lease is a normal audit or the recount of a reviewed audit's items. Plus the answer shapes built from it.
 */
import type { ItemRecord } from '../../core/racks/batch.ts';
import { blindSummary } from '../../core/racks/blind.ts';
import { type Review, type Thresholds, flaggedCodes } from '../../core/racks/review.ts';
import type { AuditSummary, ExpectedItem } from '../../core/racks/summary.ts';

export interface AuditContext {
  /** The lease it was fixed for (a hand-off moves it to the new session). */
  sessionId: string;
  mode: 'audit' | 'recount';
  /** With a recount: the reviewed audit and the items to count. */
  auditId: string | null;
  items: string[] | null;
  expected: ExpectedItem[];
  blind: boolean;
  review: Thresholds;
}

/** Whether the layout's expected items differ from those fixed at the claim. */
export const expectedChanged = (ctx: AuditContext | null, current: ExpectedItem[]): boolean =>
  ctx !== null && JSON.stringify(ctx.expected) !== JSON.stringify(current);

/** The scans so far of the audit, as the wire names them (a hand-off gives them to the new holder). */
export function recordsView(items: ItemRecord[]) {
  return items.map((r) => ({
    client_record_id: r.clientRecordId,
    item_code: r.itemCode,
    verified_qty: r.verifiedQty,
    damage_qty: r.damageQty,
    serial_numbers: r.serialNumbers,
    status: r.status,
    version: r.version,
    user_id: r.userId,
  }));
}

/** The completion answer: the full summary with the review's outcome, or on a blind rack the counted side only. */
export function completionAnswer(
  summary: AuditSummary,
  review: Review,
  mode: 'audit' | 'recount',
  ids: { session_id: string; rack_id: string },
) {
  const head = { ...ids, audit_id: review.audit_id, audit_status: review.status, mode };
  if (review.blind) return { ...head, ...blindSummary(summary) };
  return { ...head, ...summary, flagged: flaggedCodes(review) };
}
