/**
 * Variance reviews of completed rack audits, for supervisors (admins): the open reviews of a floor, one audit's
 * review with its history, and a decision per flagged item (accept, recount, override). Each Rack object owns its
 * audits; the floor board says which racks have open reviews, so a floor's list asks only those.
 */
import { type Context, Hono } from 'hono';
import { auditIdParam, itemCodeParam, reviewDecisionBody, reviewListQuery } from '../../core/racks/protocol.ts';
import type { Review } from '../../core/racks/review.ts';
import { rackOfSession } from '../../durable-objects/racks/seed.ts';
import { floorStub, rackStub } from '../../durable-objects/platform/stubs.ts';
import type { AppEnv } from '../app-types.ts';
import { unwrap } from '../lib/answer.ts';
import { ApiError } from '../lib/errors.ts';
import { requireAdmin } from '../middleware/auth.ts';
import { check, readJson, readQuery } from '../middleware/validate.ts';

/** The audit id of the path and the rack it names (audit ids are the completing session's `<rack>:<token>`). */
function auditOf(c: Context<AppEnv>): { auditId: string; rackId: string } {
  const auditId = check(auditIdParam, c.req.param('auditId'));
  const rackId = rackOfSession(auditId);
  if (!rackId) throw new ApiError('review_not_found', 'No such audit review');
  return { auditId, rackId };
}

export const reviewRoutes = new Hono<AppEnv>()
  .get('/reviews', async (c) => {
    requireAdmin(c);
    const q = readQuery(c, reviewListQuery);
    const all = q.status === 'all';
    const board = await floorStub(c.env, q.floor).racks(q.floor, 'admin');
    if (!board) throw new ApiError('floor_not_found', 'No such floor');
    // Open reviews show on the board; every stored audit needs every rack asked.
    const racks = all ? board : board.filter((r) => (r.open_reviews ?? 0) > 0);
    const lists = await Promise.all(racks.map((r) => rackStub(c.env, r.rack_id).listReviews(r.rack_id, all)));
    const reviews: Review[] = lists.flat().sort((a, b) => a.completed_at - b.completed_at);
    return c.json({ floor: q.floor, reviews, serverTime: Date.now() });
  })
  .get('/reviews/:auditId', async (c) => {
    requireAdmin(c);
    const { auditId, rackId } = auditOf(c);
    return c.json({ review: unwrap(await rackStub(c.env, rackId).review(rackId, auditId)) });
  })
  .post('/reviews/:auditId/items/:itemCode', async (c) => {
    const admin = requireAdmin(c);
    const { auditId, rackId } = auditOf(c);
    const itemCode = check(itemCodeParam, c.req.param('itemCode'));
    const body = await readJson(c, reviewDecisionBody);
    if (body.decision === 'override' && (body.qty === undefined || body.reason === undefined))
      throw new ApiError('validation_failed', 'An override needs qty and reason');
    const review = unwrap(
      await rackStub(c.env, rackId).decide(
        rackId,
        auditId,
        {
          itemCode,
          decision: body.decision,
          ...(body.qty !== undefined ? { qty: body.qty } : {}),
          ...(body.reason !== undefined ? { reason: body.reason } : {}),
          ...(body.assignee !== undefined ? { assignee: body.assignee } : {}),
        },
        admin.id,
      ),
    );
    return c.json({ review });
  });
