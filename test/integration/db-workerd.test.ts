/**
 * drizzle/db.ts inside workerd (Miniflare): the Neon Pool over workerd's own
 * WebSocket, through the relay, to Postgres (TEST_DATABASE_URL or PGlite).
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateDatabase } from '../../scripts/local/migrate.mjs';
import { type TestPostgres, startTestPostgres } from './helpers/postgres.ts';

let pg: TestPostgres;
let mf: Miniflare;

beforeAll(async () => {
  pg = await startTestPostgres();
  await migrateDatabase({ databaseUrl: pg.databaseUrl, relay: pg.relay });
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./fixtures/db-worker.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    external: ['node:*', 'cloudflare:*'],
    write: false,
    logLevel: 'silent',
  });
  mf = new Miniflare({
    modules: true,
    script: bundle.outputFiles[0]!.text,
    // The root `miniflare` devDependency ships an older workerd than wrangler's: stay within its dates.
    compatibilityDate: '2026-07-01',
    compatibilityFlags: ['nodejs_compat'],
    bindings: { DATABASE_URL: pg.databaseUrl, NEON_LOCAL_RELAY: pg.relay },
  });
  await mf.ready;
});

afterAll(async () => {
  await mf?.dispose();
  await pg?.stop();
});

it('createDb works in workerd through the local relay, and the event upsert is idempotent', async () => {
  const first = await mf.dispatchFetch('http://worker/?event=w-1');
  expect(first.status).toBe(200);
  expect(await first.json()).toEqual({ inserted: 1, count: 1 });
  const again = await mf.dispatchFetch('http://worker/?event=w-1');
  expect(await again.json()).toEqual({ inserted: 0, count: 1 });
  const other = await mf.dispatchFetch('http://worker/?event=w-2');
  expect(await other.json()).toEqual({ inserted: 1, count: 2 });
});
