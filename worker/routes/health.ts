/** Liveness, and a deep check of every dependency with round-trip latency. */
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import type { AppEnv } from '../app-types.ts';
import type { Env } from '../../durable-objects/platform/env.ts';
import { cacheFor, openDb } from '../../durable-objects/platform/mirrors/clients.ts';

/** One `select 1` through the Neon driver; null when no Postgres is configured. */
async function pingPostgres(env: Env): Promise<{ ok: boolean; latencyMs: number } | null> {
  const db = openDb(env);
  if (!db) return null;
  const started = Date.now();
  try {
    await Promise.race([
      db.execute(sql`select 1`),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000)),
    ]);
    return { ok: true, latencyMs: Date.now() - started };
  } catch {
    return { ok: false, latencyMs: Date.now() - started };
  } finally {
    db.$client.end().catch(() => {});
  }
}

export const healthRoutes = new Hono<AppEnv>()
  .get('/health', (c) => c.json({ status: 'ok', timestamp: Date.now() }))
  .get('/health/deep', async (c) => {
    const [postgres, redis] = await Promise.all([pingPostgres(c.env), cacheFor(c.env).ping()]);
    const pg = postgres ?? { ok: false, latencyMs: 0, configured: false };
    const status = pg.ok && (redis === null || redis.ok) ? 'ok' : 'degraded';
    return c.json({ status, postgres: pg, redis, timestamp: Date.now() });
  });
