/** Operations (admins only): live stats, dead letters and their replay, the notifications feed. */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-types.ts';
import { objectStub, opsStub } from '../lib/objects.ts';
import { ApiError } from '../lib/errors.ts';
import { requireAdmin } from '../middleware/auth.ts';
import { check } from '../middleware/validate.ts';
import { rekickStalled } from '../scheduled.ts';

const eventIdParam = z.string().min(1).max(64);

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
    const ref = await ops.forgetDeadLetter(eventId);
    const stub = ref ? objectStub(c.env, ref) : null;
    if (!ref || !stub) throw new ApiError('not_found', 'No such dead letter');
    const replayed = await stub.replayDeadLetter(eventId);
    if (!replayed) throw new ApiError('not_found', 'The dead letter is gone from its object');
    return c.json({ ok: true, eventId, object: ref });
  })
  .post('/ops/outbox/kick', async (c) => {
    requireAdmin(c);
    // Drain every object with pending rows now, instead of waiting for its backoff or the cron.
    return c.json({ kicked: await rekickStalled(c.env, 0) });
  })
  .get('/ops/notifications', async (c) => {
    requireAdmin(c);
    return c.json({ notifications: await opsStub(c.env).feed() });
  })
  .get('/ops/ws', async (c: Context<AppEnv>) => {
    if (c.req.header('Upgrade')?.toLowerCase() !== 'websocket') throw new ApiError('upgrade_required', 'Open this route as a WebSocket', undefined, 426);
    requireAdmin(c);
    return opsStub(c.env).fetch(new Request(c.req.url, { headers: { Upgrade: 'websocket' } }));
  });
