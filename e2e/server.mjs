/**
 * The Playwright webServer: builds the site, starts the local mirrors and then
 * `wrangler dev` wired to them, seeds the demo accounts (admin@keeptime.test is
 * an admin through ADMIN_EMAILS), and prints READY once all of that is done.
 *
 * Everything is private to the run: the built site, Durable Object storage and
 * PGlite live in a fresh temp dir, and Redis is a throwaway redis-server on a free port.
 * - E2E_DATABASE_URL: use this Postgres instead of PGlite (it must be a database of its own: the run writes to it).
 *   TEST_DATABASE_URL is deliberately not used here: it names a shared database, and rows from earlier runs
 *   (the demo accounts, with other ids) would collide with this run's.
 * - TEST_REDIS_URL: use this Redis instead of starting one.
 * - PORT: the Worker's port (default 8791).
 * The database URL and relay address go to a file tests read (e2e/runtime.mjs).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { devVarArgs } from '../scripts/dev-vars.mjs';
import { exec, freePort, run, waitForHttp, wranglerEnv } from '../scripts/lib.mjs';
import { redisAnswers, startLocalServices } from '../scripts/local/services.mjs';
import { seed } from '../scripts/seed.mjs';
import { removeRuntime, writeRuntime } from './runtime.mjs';

export const READY = 'KEEPTIME_E2E_READY';

const root = path.resolve(import.meta.dirname, '..');
const port = Number(process.env.PORT ?? 8791);
const base = `http://127.0.0.1:${port}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-e2e-'));
const log = (line) => console.log(`[e2e-server] ${line}`);

/** @type {Array<() => Promise<void> | void>} */
const cleanups = [];
let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  while (cleanups.length) await Promise.resolve(cleanups.pop()?.()).catch(() => {});
  fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

/** Kills a child and waits (briefly) for it to go. */
function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 3000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** A redis-server of our own: no persistence, loopback only. */
async function startRedis() {
  const redisPort = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  cleanups.push(() => stopChild(child));
  const url = `redis://127.0.0.1:${redisPort}`;
  const end = Date.now() + 10_000;
  while (!(await redisAnswers(url))) {
    if (child.exitCode !== null || Date.now() > end) throw new Error(`redis-server did not start on ${redisPort}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return url;
}

async function main() {
  // Built into the temp dir, not site/dist: a build under a running `wrangler dev` crashes it, in this run or anyone else's.
  log('building the site');
  const dist = path.join(tmp, 'dist');
  const astro = path.join(root, 'node_modules/.bin/astro');
  if (
    (await exec(astro, ['build', '--root', 'site', '--outDir', dist], {
      cwd: root,
      env: wranglerEnv,
      stdio: ['ignore', 'ignore', 'inherit'],
    })) !== 0
  ) {
    throw new Error('site build failed');
  }

  const redisUrl = process.env.TEST_REDIS_URL || (await startRedis());
  const services = await startLocalServices({
    dataDir: tmp,
    databaseUrl: process.env.E2E_DATABASE_URL || undefined,
    redisUrl,
    log,
  });
  cleanups.push(services.stop);
  // For tests that check or break Postgres directly (e2e/db.ts).
  writeRuntime(port, { databaseUrl: services.env.DATABASE_URL, relay: services.env.NEON_LOCAL_RELAY });
  cleanups.push(() => removeRuntime(port));

  const vars = devVarArgs(services.env);
  const wrangler = run(
    'wrangler',
    path.join(root, 'node_modules/.bin/wrangler'),
    [
      'dev',
      '--port',
      String(port),
      '--ip',
      '127.0.0.1',
      '--persist-to',
      path.join(tmp, 'wrangler'),
      '--assets',
      dist,
      ...vars,
    ],
    { cwd: root, env: wranglerEnv },
  );
  cleanups.push(() => stopChild(wrangler));
  wrangler.once('exit', (code) => {
    if (!stopping) {
      console.error(`[e2e-server] wrangler exited (${code})`);
      void shutdown(1);
    }
  });

  await waitForHttp(`${base}/health`, 90_000);
  await seed(base, tmp);
  console.log(READY);
}

main().catch((err) => {
  console.error(`[e2e-server] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  void shutdown(1);
});
