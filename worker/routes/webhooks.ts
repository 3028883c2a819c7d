/**
 * Webhook endpoints, the same shapes in three places: a room's (its owner), the caller's own sessions, and a
 * floor's (admins). Each lives in the object that owns the events, which queues and delivers them.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { type WebhookScope, webhookBody } from '../../core/webhooks.ts';
import { floorStub, sessionStub, warehouseStub } from '../../durable-objects/platform/stubs.ts';
import type { WebhookOp } from '../../durable-objects/platform/webhooks/outlet.ts';
import type { AppEnv } from '../app-types.ts';
import { unwrap } from '../lib/answer.ts';
import { ApiError } from '../lib/errors.ts';
import { requireAdmin, requireUser } from '../middleware/auth.ts';
import { check, readJson } from '../middleware/validate.ts';
import { idempotencyKey, requireOwnerCaller, roomTarget } from './rooms.ts';

const webhookId = z.string().regex(/^wh_[0-9a-f]{24}$/, 'a webhook id looks like wh_ and 24 hex digits');
const deliveryId = z.string().regex(/^dlv_[0-9a-f]{32}$/, 'a delivery id looks like dlv_ and 32 hex digits');

/** The object that owns `scope`'s webhooks for this request, and the access it checks (rooms check the owner). */
type Target = { call: (op: WebhookOp) => Promise<unknown> };

async function targetFor(c: Context<AppEnv>, scope: WebhookScope): Promise<Target> {
  if (scope === 'rooms') {
    // The owner's account only: a share link never manages webhooks (403, as on every owner route).
    requireOwnerCaller(c);
    const { stub, access } = roomTarget(c, c.req.param('id') as string);
    return { call: async (op) => unwrap(await stub.webhooks({ ...access, token: null }, op, idempotencyKey(c))) };
  }
  if (scope === 'sessions') {
    const user = requireUser(c);
    return { call: async (op) => unwrap(await sessionStub(c.env, user.id).webhooks(null, op, idempotencyKey(c))) };
  }
  requireAdmin(c);
  const floor = await floorIdOf(c, c.req.param('floor') as string);
  return { call: async (op) => unwrap(await floorStub(c.env, floor).webhooks(null, op, idempotencyKey(c))) };
}

/** A floor's id from its id or its display name; 404 when the warehouse has no such floor. */
async function floorIdOf(c: Context<AppEnv>, raw: string): Promise<string> {
  // Hono has decoded the path segment already (a malformed escape arrives as it was sent).
  const wanted = raw.trim().toLowerCase();
  if (wanted.length === 0 || wanted.length > 120) throw new ApiError('floor_not_found', 'No such floor');
  const floors = await warehouseStub(c.env).floors();
  const hit = floors.find((f) => f.id === wanted || f.name?.toLowerCase() === wanted);
  if (!hit) throw new ApiError('floor_not_found', 'No such floor');
  return hit.id;
}

/** The routes under `base` for `scope`. */
function webhookRoutes(base: string, scope: WebhookScope) {
  const body = webhookBody(scope);
  const hook = (c: Context<AppEnv>) => check(webhookId, c.req.param('whId'));
  return new Hono<AppEnv>()
    .get(`${base}/webhooks`, async (c) => c.json(await (await targetFor(c, scope)).call({ op: 'list' })))
    .post(`${base}/webhooks`, async (c) => {
      const input = await readJson(c, body.create);
      return c.json(await (await targetFor(c, scope)).call({ op: 'create', ...input }), 201);
    })
    .put(`${base}/webhooks/:whId`, async (c) => {
      const id = hook(c);
      const input = await readJson(c, body.update);
      return c.json(await (await targetFor(c, scope)).call({ op: 'update', id, ...input }));
    })
    .delete(`${base}/webhooks/:whId`, async (c) => {
      const id = hook(c);
      await (await targetFor(c, scope)).call({ op: 'delete', id });
      return c.body(null, 204);
    })
    .post(`${base}/webhooks/:whId/rotate`, async (c) => {
      const id = hook(c);
      return c.json(await (await targetFor(c, scope)).call({ op: 'rotate', id }));
    })
    .get(`${base}/webhooks/:whId/deliveries`, async (c) => {
      const id = hook(c);
      return c.json(await (await targetFor(c, scope)).call({ op: 'deliveries', id }));
    })
    .post(`${base}/webhooks/:whId/deliveries/:deliveryId/redeliver`, async (c) => {
      const id = hook(c);
      const dId = check(deliveryId, c.req.param('deliveryId'));
      return c.json(await (await targetFor(c, scope)).call({ op: 'redeliver', id, deliveryId: dId }), 202);
    })
    .post(`${base}/webhooks/:whId/test`, async (c) => {
      const id = hook(c);
      return c.json(await (await targetFor(c, scope)).call({ op: 'test', id }), 202);
    });
}

/** Mounted before the sessions and racks routes, whose `/sessions/:id` would otherwise take `/sessions/webhooks`. */
export const webhookRouteSet = new Hono<AppEnv>()
  .route('/', webhookRoutes('/rooms/:id', 'rooms'))
  .route('/', webhookRoutes('/sessions', 'sessions'))
  .route('/', webhookRoutes('/floors/:floor', 'floors'));
