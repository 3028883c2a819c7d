/**
 * startLocalServices: what `npm run dev` starts. Embedded PGlite on disk,
 * relay, migrations and, when a Redis answers, the Upstash adapter; the env it
 * returns is enough for the real clients.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from '@upstash/redis';
import { eq } from 'drizzle-orm';
import ws from 'ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDb } from '../../drizzle/db.ts';
import { floorsTable } from '../../drizzle/schema.ts';
import { startLocalServices } from '../../scripts/local/services.mjs';

/** How many migrations the repository ships. */
const MIGRATIONS = readdirSync(new URL('../../drizzle/migrations/', import.meta.url)).filter((f) =>
  f.endsWith('.sql'),
).length;
import { freePort } from './helpers/ports.ts';
import { startTestPostgres } from './helpers/postgres.ts';
import { type TestRedis, startRedisServer } from './helpers/redis-server.ts';

let redis: TestRedis;
let dataDir: string;

beforeAll(async () => {
  redis = await startRedisServer();
  dataDir = mkdtempSync(join(tmpdir(), 'keeptime-services-'));
});

afterAll(async () => {
  await redis?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it('starts PGlite, relay, migrations and the adapter; data survives a restart', async () => {
  const lines: string[] = [];
  const first = await startLocalServices({ dataDir, redisUrl: redis.url, log: (l) => lines.push(l) });
  try {
    expect(first.caching).toBe(true);
    expect(Object.keys(first.env).sort()).toEqual([
      'DATABASE_URL',
      'NEON_LOCAL_RELAY',
      'UPSTASH_REDIS_REST_TOKEN',
      'UPSTASH_REDIS_REST_URL',
    ]);
    expect(lines.join('\n')).toMatch(
      new RegExp(`embedded PGlite[\\s\\S]*migrations: ${MIGRATIONS} applied[\\s\\S]*caching {4}on`),
    );

    const db = createDb({
      databaseUrl: first.env.DATABASE_URL,
      localRelay: first.env.NEON_LOCAL_RELAY,
      webSocketConstructor: ws,
    });
    await db.insert(floorsTable).values({ id: 'ground', name: 'Ground' });
    await db.$client.end();

    const cache = new Redis({
      url: first.env.UPSTASH_REDIS_REST_URL!,
      token: first.env.UPSTASH_REDIS_REST_TOKEN!,
      retry: false,
    });
    await cache.set('floors', ['ground'], { ex: 30 });
    expect(await cache.get('floors')).toEqual(['ground']);
  } finally {
    await first.stop();
  }

  lines.length = 0;
  const second = await startLocalServices({ dataDir, redisUrl: false, log: (l) => lines.push(l) });
  try {
    expect(second.caching).toBe(false);
    expect(second.env.UPSTASH_REDIS_REST_URL).toBeUndefined();
    expect(lines.join('\n')).toMatch(new RegExp(`migrations: 0 applied, ${MIGRATIONS} in all[\\s\\S]*caching {4}off`));
    const db = createDb({
      databaseUrl: second.env.DATABASE_URL,
      localRelay: second.env.NEON_LOCAL_RELAY,
      webSocketConstructor: ws,
    });
    expect(await db.select().from(floorsTable).where(eq(floorsTable.id, 'ground'))).toMatchObject([{ name: 'Ground' }]);
    await db.$client.end();
  } finally {
    await second.stop();
  }
});

it('uses a given database instead of PGlite, and turns caching off when no Redis answers', async () => {
  const pg = await startTestPostgres();
  const lines: string[] = [];
  try {
    const services = await startLocalServices({
      dataDir,
      databaseUrl: pg.databaseUrl,
      redisUrl: `redis://127.0.0.1:${await freePort()}`,
      log: (l) => lines.push(l),
    });
    try {
      expect(services.caching).toBe(false);
      expect(services.env.DATABASE_URL).toBe(pg.databaseUrl);
      expect(Object.keys(services.env).sort()).toEqual(['DATABASE_URL', 'NEON_LOCAL_RELAY']);
      expect(lines.join('\n')).not.toMatch(/PGlite/);
      expect(lines.join('\n')).toMatch(
        new RegExp(`migrations: ${MIGRATIONS} applied[\\s\\S]*caching {4}off: no Redis answers`),
      );
    } finally {
      await services.stop();
    }
  } finally {
    await pg.stop();
  }
});
