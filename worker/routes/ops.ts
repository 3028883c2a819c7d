/** Operations (admins only): live stats, dead letters and their replay, the notifications feed. */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-types.ts';
import { objectStub, opsStub } from '../../durable-objects/platform/stubs.ts';
import { ApiError } from '../lib/errors.ts';
import { requireAdmin, sessionHeaders } from '../middleware/auth.ts';
import { check } from '../middleware/validate.ts';
import { rekickStalled } from '../scheduled.ts';

const eventIdParam = z.string().min(1).max(64);
const objectRefParams = z.object({
  kind: z.enum(['room', 'session', 'account', 'rack', 'floor', 'warehouse']),
  name: z.string().min(1).max(254),
});

export const opsRoutes = new Hono<AppEnv>()
  .get('/ops/stats', async (c) => {
    requireAdmin(c);
    return c.json(await opsStub(c.env).stats());
  })
  .get('/ops/dlq', async (c) => {
    requireAdmin(c);
    return c.json({ deadLetters: await opsStub(c.env).deadLetters() });
  })
  .post('/ops/dlq/:id/replay', async (c) => {
    requireAdmin(c);
    const eventId = check(eventIdParam, c.req.param('id'));
    const ops = opsStub(c.env);
    const letter = (await ops.deadLetters()).find((d) => d.eventId === eventId);
    const stub = letter ? objectStub(c.env, letter.object) : null;
    if (!letter || !stub) throw new ApiError('not_found', 'No such dead letter');
    // Forget first: if the replayed row fails again, its new report must survive.
    await ops.forgetDeadLetter(eventId);
    // A deleted object handed its dead letters to Ops, which replays them itself (the object is not woken).
    if (!(await ops.replayAdopted(eventId)) && !(await stub.replayDeadLetter(eventId))) {
      await ops.deadLetter(letter.object, { eventId, kind: letter.kind, error: letter.error, deadAt: letter.deadAt });
      throw new ApiError('not_found', 'The dead letter is gone from its object');
    }
    return c.json({ ok: true, eventId, object: letter.object });
  })
  .post('/ops/outbox/kick', async (c) => {
    requireAdmin(c);
    // Drain every object with pending rows now, instead of waiting for its backoff or the cron.
    return c.json({ kicked: await rekickStalled(c.env, 0) });
  })
  .get('/ops/objects/:kind/:name/wakeups', async (c) => {
    requireAdmin(c);
    // Benchmarks only: the counters exist when the Worker runs with COUNT_WAKEUPS=1.
    if (c.env.COUNT_WAKEUPS !== '1') throw new ApiError('not_found', 'Wake-up counting is off');
    const ref = check(objectRefParams, { kind: c.req.param('kind'), name: c.req.param('name') });
    const stub = objectStub(c.env, ref);
    if (!stub) throw new ApiError('not_found', 'No such object kind');
    return c.json({ object: ref, wakeups: await stub.wakeups() });
  })
  .get('/ops/notifications', async (c) => {
    requireAdmin(c);
    return c.json({ notifications: await opsStub(c.env).feed() });
  })
  .get('/ops/ws', async (c: Context<AppEnv>) => {
    if (c.req.header('Upgrade')?.toLowerCase() !== 'websocket')
      throw new ApiError('upgrade_required', 'Open this route as a WebSocket', undefined, 426);
    requireAdmin(c);
    // The token's claims ride along, so the socket is re-checked (expiry, revocation, still admin) on every frame.
    return opsStub(c.env).fetch(new Request(c.req.url, { headers: { Upgrade: 'websocket', ...sessionHeaders(c) } }));
  });
