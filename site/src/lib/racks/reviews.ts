/** The supervisor's variance reviews (GET/POST /api/reviews…), with guards for every answer. */
import type { AuditStatus, Review, ReviewDecision, ReviewItem } from '../../../../core/racks/review.ts';
import { api } from '../net/api.ts';
import { arrayOf, isNum, isNumOrNull, isRec, isStr, isStrOrNull } from '../net/guards.ts';

export type { AuditStatus, HistoryEntry as ReviewEvent, Review, ReviewItem } from '../../../../core/racks/review.ts';
export type Decision = ReviewDecision;

const isItem = (v: unknown): v is ReviewItem =>
  isRec(v) &&
  isStr(v.item_code) &&
  isNum(v.expected_qty) &&
  isNum(v.counted_qty) &&
  isNum(v.variance) &&
  typeof v.flagged === 'boolean' &&
  (v.recount === null || (isRec(v.recount) && isNum(v.recount.counted_qty))) &&
  isStrOrNull(v.decision ?? null) &&
  isNumOrNull(v.final_qty ?? null);
const isEvent = (v: unknown): v is Review['history'][number] =>
  isRec(v) && isNum(v.seq) && isStr(v.type) && isNum(v.at);
export const isReview = (v: unknown): v is Review =>
  isRec(v) &&
  isStr(v.audit_id) &&
  isStr(v.rack_id) &&
  isStr(v.floor) &&
  (v.status === 'posted' || v.status === 'needs_review' || v.status === 'recount') &&
  isStr(v.counter_id) &&
  arrayOf(isItem)(v.items) &&
  arrayOf(isEvent)(v.history) &&
  (v.recount === null || (isRec(v.recount) && arrayOf(isStr)(v.recount.items)));

const enc = encodeURIComponent;

export const listReviews = (floor: string, status: 'open' | 'all' = 'open') =>
  api(
    `/api/reviews?floor=${enc(floor)}&status=${status}`,
    (v): v is { reviews: Review[] } => isRec(v) && arrayOf(isReview)(v.reviews),
  ).then((a) => a.reviews);

export interface DecisionInput {
  decision: Decision;
  qty?: number;
  reason?: string;
  assignee?: string;
}

export const decide = (auditId: string, itemCode: string, d: DecisionInput) =>
  api(
    `/api/reviews/${enc(auditId)}/items/${enc(itemCode)}`,
    (v): v is { review: Review } => isRec(v) && isReview(v.review),
    { method: 'POST', body: d },
  ).then((a) => a.review);

export const STATUS_TEXT: Record<AuditStatus, string> = {
  posted: 'Posted',
  needs_review: 'Needs review',
  recount: 'Recount',
};
