/**
 * drizzle/db.ts inside workerd (Miniflare): the Neon Pool over workerd's own
 * WebSocket, through the relay, to Postgres (TEST_DATABASE_URL or PGlite).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateDatabase } from '../../scripts/local/migrate.mjs';
import { type TestPostgres, startTestPostgres } from './helpers/postgres.ts';

/** The Worker's own compatibility date, from wrangler.toml (the root miniflare is wrangler's line, same workerd). */
const compatibilityDate = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(
  readFileSync(fileURLToPath(new URL('../../wrangler.toml', import.meta.url)), 'utf8'),
)![1]!;

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
    workers: [
      {
        config: {
          name: 'db-worker',
          compatibilityDate,
          compatibilityFlags: ['nodejs_compat'],
          manifest: {
            mainModule: 'index.mjs',
            modules: { 'index.mjs': { type: 'esm', contents: bundle.outputFiles[0]!.text } },
          },
          env: {
            DATABASE_URL: { type: 'text', value: pg.databaseUrl },
            NEON_LOCAL_RELAY: { type: 'text', value: pg.relay },
          },
        },
      },
    ],
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
