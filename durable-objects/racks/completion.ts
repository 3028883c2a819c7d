/**
 * Completing an audit: the holder's last word ends the session with its summary, releases the lease and opens the
 * audit's variance review (or records a recount's counts on the reviewed audit). The next audit starts empty.
 */
import { type Answer, refuse } from '../../core/errors.ts';
import type { ItemRecord } from '../../core/racks/batch.ts';
import { type Lease, makeLeaseState, transition } from '../../core/racks/lease.ts';
import { openReview, reviewTransition } from '../../core/racks/review.ts';
import { auditSummary, storedSummary } from '../../core/racks/summary.ts';
import { type AuditContext, completionAnswer, expectedChanged } from './audit-context.ts';
import { freshContext } from './audit-flow.ts';
import type { Actor, RackHost } from './host.ts';
import { saveReview } from './review-desk.ts';

/** Ends the session with its summary; the lease is released and the next audit starts empty. */
export async function complete(
  host: RackHost,
  rackId: string,
  userId: string,
  sessionId: string,
  fencingToken: number | null,
  declaredRecords: number | null,
): Promise<Answer<ReturnType<typeof completionAnswer>>> {
  if (!(await host.bind(rackId))) return refuse('rack_not_found', 'No such rack');
  // The session id names the grant (`<rack>:<token>`), so without a token the session id is the fence.
  const token = fencingToken ?? host.lease()?.lease?.fencingToken ?? -1;
  const stale = host.fence(userId, sessionId, token);
  if (stale) return stale;
  await host.settle();
  // Scan loss is refused by construction: the device says how many records it has had answered.
  if (declaredRecords !== null) {
    const received = host.audit.answeredIn(host.auditNo());
    if (received < declaredRecords)
      return refuse(
        'unsynced_records',
        `The server holds ${received} of the ${declaredRecords} records this device sent: sync the rest first`,
        { declared: declaredRecords, received },
      );
  }
  const now = host.now();
  const result = transition(
    host.lease() ?? makeLeaseState(rackId, now),
    { type: 'release', fencingToken: token },
    now,
    host.timing(),
  );
  if ('rejected' in result) return refuse(result.rejected, result.message);
  const ended = result.events[0]?.lease as Lease;
  const known = host.auditCtx();
  const ctx = known?.sessionId === ended.sessionId ? known : freshContext(host, ended, null);
  const items = host.audit.allItems();
  const counted = ctx.mode === 'recount' ? items.filter((i) => ctx.items?.includes(i.itemCode)) : items;
  const expected = ctx.mode === 'recount' ? ctx.expected.filter((e) => ctx.items?.includes(e.item_code)) : ctx.expected;
  const summary = auditSummary(expected, counted, {
    startedAt: ended.grantedAt,
    endedAt: now,
    pausedMs: ended.pausedMs,
  });
  const step = reviewStep(host, ctx, ended, counted, now);
  if ('rejected' in step) return refuse(step.rejected, step.message);
  const actor: Actor = { id: userId, role: 'user' };
  await host.save(result.state, [], actor, now, () => {
    saveReview(host, step.review, step.entries, actor, now);
    const stored = { ...storedSummary(summary), ...(ctx.blind ? { blind: true as const } : {}) };
    const record = host.endRecord(ended, 'completed', now, stored);
    host.appendOutbox(
      'rack.completed',
      host.payload('completed', ended, actor, now, result.state.version, { session: record }),
      now,
    );
    // The next audit starts empty; the answered ids of this one are kept among the newest SEEN_LIMIT.
    host.audit.clearItems();
    host.audit.pruneAnswered(host.auditNo() + 1, host.caps().seen);
    host.nextAudit();
  });
  await host.announce(now);
  return {
    ok: true,
    value: completionAnswer(summary, step.review, ctx.mode, { session_id: ended.sessionId, rack_id: rackId }),
  };
}

/** The review a completion leads to: a new one for an audit, the reviewed one for a recount (fenced by its token). */
function reviewStep(host: RackHost, ctx: AuditContext, ended: Lease, counted: ItemRecord[], now: number) {
  if (ctx.mode === 'recount' && ctx.auditId) {
    const r = host.reviews.get(ctx.auditId);
    if (!r) return { rejected: 'review_not_found' as const, message: 'The recounted audit is gone' };
    const counts = Object.fromEntries(
      counted.map((i) => [i.itemCode, { counted_qty: i.verifiedQty + i.damageQty, damage_qty: i.damageQty }]),
    );
    return reviewTransition(r, {
      type: 'recount-done',
      sessionId: ended.sessionId,
      fencingToken: ended.fencingToken,
      counts,
      by: ended.holderId,
      at: now,
    });
  }
  const review = openReview({
    auditId: ended.sessionId,
    rackId: host.rackId(),
    floor: host.floorId(),
    blind: ctx.blind,
    counterId: ended.holderId,
    counterName: ended.holderName ?? null,
    startedAt: ended.grantedAt,
    completedAt: now,
    expected: ctx.expected,
    counted,
    thresholds: ctx.review,
    expectedChanged: expectedChanged(ctx, host.config()?.expected ?? []),
  });
  return { review, entries: review.history };
}
