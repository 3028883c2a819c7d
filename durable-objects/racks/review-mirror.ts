/**
 * What a review change sends to the mirrors (`rack.review`): the audit as it now is, and the history entries the
 * change added. In Postgres the audit row is upserted guarded by its version (a late retry never rolls it back), and
 * each history entry is keyed `(audit_id, seq)`, so a decision or a recount lands exactly once however often the
 * outbox row is drained.
 */
import { sql } from 'drizzle-orm';
import { rackAuditHistoryTable, rackAuditsTable } from '../../drizzle/schema.ts';
import type { HistoryEntry, Review } from '../../core/racks/review.ts';
import type { Tx } from '../platform/mirrors/rows.ts';

export interface ReviewMirrorPayload {
  rackId: string;
  floorId: string;
  event: 'review';
  version: number;
  at: number;
  actor: { id: string | null; role: 'user' | 'admin' | 'system' };
  /** The review without its history (the entries below are what is new). */
  review: Omit<Review, 'history'>;
  entries: HistoryEntry[];
}

export const isReviewPayload = (p: { event?: unknown }): p is ReviewMirrorPayload => p.event === 'review';

export function reviewPayload(
  review: Review,
  entries: HistoryEntry[],
  actor: ReviewMirrorPayload['actor'],
  at: number,
): ReviewMirrorPayload {
  const { history: _h, ...rest } = review;
  return {
    rackId: review.rack_id,
    floorId: review.floor,
    event: 'review',
    version: review.version,
    at,
    actor,
    review: rest,
    entries,
  };
}

const d = (ms: number | null) => (ms === null ? null : new Date(ms));

export async function writeReview(tx: Tx, p: ReviewMirrorPayload): Promise<void> {
  const r = p.review;
  const values = {
    auditId: r.audit_id,
    rackId: r.rack_id,
    floorId: r.floor,
    status: r.status,
    blind: r.blind,
    counterId: r.counter_id,
    expectedChanged: r.expected_changed,
    startedAt: new Date(r.started_at),
    completedAt: new Date(r.completed_at),
    postedAt: d(r.posted_at),
    items: r.items as unknown as Array<Record<string, unknown>>,
    version: r.version,
  };
  const { auditId: _a, ...set } = values;
  await tx
    .insert(rackAuditsTable)
    .values(values)
    .onConflictDoUpdate({
      target: rackAuditsTable.auditId,
      set,
      setWhere: sql`${rackAuditsTable.version} <= excluded.version`,
    });
  if (p.entries.length === 0) return;
  await tx
    .insert(rackAuditHistoryTable)
    .values(
      p.entries.map((e) => ({
        auditId: r.audit_id,
        seq: e.seq,
        rackId: r.rack_id,
        type: e.type,
        itemCode: e.item_code ?? null,
        decision: e.decision ?? null,
        qty: e.qty ?? null,
        reason: e.reason ?? null,
        assignee: e.assignee ?? null,
        sessionId: e.session_id ?? null,
        fencingToken: e.fencing_token ?? null,
        by: e.by,
        at: new Date(e.at),
      })),
    )
    .onConflictDoNothing({ target: [rackAuditHistoryTable.auditId, rackAuditHistoryTable.seq] });
}
