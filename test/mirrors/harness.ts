/**
 * One private stack per test file, wired as in production but with every
 * dependency stoppable: Postgres (PGlite, or a fresh database on
 * TEST_DATABASE_URL), the Worker's own Neon relay, a redis-server behind the
 * Upstash adapter, and `wrangler dev` with fresh storage. Each piece restarts
 * on the port it had, so the Worker's variables stay valid across an outage.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ws from 'ws';
import { type Db, createDb } from '../../drizzle/db.ts';
import { postgresTarget } from '../../scripts/local/cli.mjs';
import { migrateDatabase } from '../../scripts/local/migrate.mjs';
import { startNeonRelay } from '../../scripts/local/neon-relay.mjs';
import { redisAnswers } from '../../scripts/local/services.mjs';
import { startUpstashAdapter } from '../../scripts/local/upstash-adapter.mjs';
import { freePort } from '../integration/helpers/ports.ts';
import { assetsArgs } from '../../scripts/assets-args.mjs';
import { type TestPostgres, startTestPostgres } from '../integration/helpers/postgres.ts';
import { startRedisServer } from '../integration/helpers/redis-server.ts';

const root = path.resolve(import.meta.dirname, '../..');
const WRANGLER = path.join(root, 'node_modules/wrangler/bin/wrangler.js');
export const ADMIN_EMAIL = 'admin@keeptime.test';

export interface ApiResult<T = any> {
  status: number;
  headers: Headers;
  json: T;
}

/** A service that can be stopped and started again on the same port. */
export interface Restartable {
  readonly running: boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface Harness {
  base: string;
  /** The test's own line to Postgres (not through the Worker's relay, so it works during an outage). */
  db: Db;
  pg: TestPostgres;
  /** The relay the Worker reaches Postgres through. */
  relay: Restartable & { address: string };
  redis: Restartable & { port: number };
  worker: Restartable & { logs(): string; pid(): number | null; cpuSeconds(): number };
  adminToken: string;
  api<T = any>(method: string, route: string, body?: unknown, token?: string): Promise<ApiResult<T>>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const cleanups: Array<() => Promise<void>> = [];
  const close = async () => {
    while (cleanups.length)
      await cleanups
        .pop()?.()
        .catch(() => {});
  };
  try {
    const pg = await startTestPostgres();
    cleanups.push(pg.stop);
    await migrateDatabase({ databaseUrl: pg.databaseUrl, relay: pg.relay });
    const db = createDb({ databaseUrl: pg.databaseUrl, localRelay: pg.relay, webSocketConstructor: ws, max: 2 });
    cleanups.push(() => db.$client.end());

    const relay = await restartableRelay(pg.databaseUrl);
    cleanups.push(() => relay.stop());

    const redis = await restartableRedis();
    cleanups.push(() => redis.stop());
    const adapter = await startUpstashAdapter({ redisUrl: `redis://127.0.0.1:${redis.port}` });
    cleanups.push(adapter.close);

    const worker = await restartableWorker({
      DATABASE_URL: pg.databaseUrl,
      NEON_LOCAL_RELAY: relay.address,
      UPSTASH_REDIS_REST_URL: adapter.url,
      UPSTASH_REDIS_REST_TOKEN: adapter.token,
      AUTH_RATE_PER_MIN: '100000',
    });
    cleanups.push(async () => {
      await worker.stop();
      fs.rmSync(worker.persistDir, { recursive: true, force: true });
    });

    const api = <T = any>(method: string, route: string, body?: unknown, token?: string) =>
      call<T>(worker.base, method, route, body, token);
    const signup = await api('POST', '/api/auth/signup', {
      email: ADMIN_EMAIL,
      password: 'mirror-tests-password',
      name: 'Admin',
    });
    if (signup.status !== 201 || signup.json.user.role !== 'admin')
      throw new Error(`admin signup: ${signup.status} ${JSON.stringify(signup.json)}`);
    return { base: worker.base, db, pg, relay, redis, worker, adminToken: signup.json.token as string, api, close };
  } catch (err) {
    await close();
    throw err;
  }
}

async function call<T>(
  base: string,
  method: string,
  route: string,
  body?: unknown,
  token?: string,
): Promise<ApiResult<T>> {
  const res = await fetch(base + route, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { raw: text };
  }
  return { status: res.status, headers: res.headers, json };
}

/** The Worker's relay to Postgres, restartable on its port. */
async function restartableRelay(databaseUrl: string) {
  const target = postgresTarget(databaseUrl);
  let relay: Awaited<ReturnType<typeof startNeonRelay>> | null = await startNeonRelay({
    pgHost: target.host,
    pgPort: target.port,
  });
  const port = relay.port;
  return {
    address: relay.address,
    get running() {
      return relay !== null;
    },
    async stop() {
      await relay?.close();
      relay = null;
    },
    async start() {
      if (!relay) relay = await startNeonRelay({ pgHost: target.host, pgPort: target.port, port });
    },
  };
}

/** A private redis-server (the integration helper), restarted on the same port after a stop. */
async function restartableRedis() {
  const first = await startRedisServer();
  let stopFn: (() => Promise<void>) | null = first.stop;
  const port = first.port;
  return {
    port,
    get running() {
      return stopFn !== null;
    },
    async stop() {
      await stopFn?.();
      stopFn = null;
    },
    async start() {
      if (stopFn) return;
      const child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: 'ignore' },
      );
      stopFn = () => stopChild(child, 5_000);
      const deadline = Date.now() + 10_000;
      while (!(await redisAnswers(`redis://127.0.0.1:${port}`))) {
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(`redis-server did not restart on ${port}`);
        await sleep(50);
      }
    },
  };
}

/** `wrangler dev` with its own port, inspector port and storage; restarts keep all three. */
async function restartableWorker(vars: Record<string, string>) {
  const port = await freePort();
  const inspectorPort = await freePort();
  const persist = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-mirrors-'));
  const base = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let output = '';
  const start = async () => {
    if (child) return;
    const args = [
      WRANGLER,
      'dev',
      '--port',
      String(port),
      '--ip',
      '127.0.0.1',
      '--inspector-port',
      String(inspectorPort),
      '--persist-to',
      persist,
      '--show-interactive-dev-session=false',
      ...assetsArgs(root),
    ];
    for (const [k, v] of Object.entries(vars)) args.push('--var', `${k}:${v}`);
    // Its own process group, so a stop reaches workerd too.
    const c = spawn(process.execPath, args, {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_COLOR: '1' },
    });
    child = c;
    c.stdout?.on('data', (d) => (output = (output + d).slice(-200_000)));
    c.stderr?.on('data', (d) => (output = (output + d).slice(-200_000)));
    const deadline = Date.now() + 90_000;
    for (;;) {
      const failed =
        c.exitCode !== null
          ? `wrangler dev exited (${c.exitCode})`
          : Date.now() > deadline
            ? `wrangler dev did not answer on ${port}`
            : null;
      if (failed) {
        // A failed build leaves wrangler waiting for a fix: stop it rather than leave it behind.
        child = null;
        await stopChild(c, 5_000, true);
        throw new Error(`${failed}:\n${output.slice(-4000)}`);
      }
      try {
        if ((await fetch(`${base}/health`, { signal: AbortSignal.timeout(2_000) })).ok) return;
      } catch {
        /* not up yet */
      }
      await sleep(200);
    }
  };
  await start();
  return {
    base,
    /** The DO storage directory (kept across restarts; removed by the harness's close). */
    persistDir: persist,
    logs: () => output,
    /** The wrangler process (and process group) id. */
    pid: () => child?.pid ?? null,
    cpuSeconds: () => (child?.pid ? groupCpuSeconds(child.pid) : 0),
    get running() {
      return child !== null;
    },
    start,
    async stop() {
      if (!child) return;
      const c = child;
      child = null;
      await stopChild(c, 10_000, true);
    },
  };
}

/** User + system CPU time, in seconds, of every live process in process group `pgid` (Linux /proc). */
function groupCpuSeconds(pgid: number): number {
  let ticks = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after "(comm) ": state ppid pgrp … utime (12th) stime (13th).
      const f = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      if (Number(f[2]) === pgid) ticks += Number(f[11]) + Number(f[12]);
    } catch {
      /* the process ended meanwhile */
    }
  }
  return ticks / 100; // USER_HZ
}

/** SIGTERM (to the process group when `group`), then SIGKILL after `graceMs`; resolves once it exited. */
async function stopChild(child: ChildProcess, graceMs: number, group = false): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (s: NodeJS.Signals) => {
    try {
      if (group && child.pid) process.kill(-child.pid, s);
      else child.kill(s);
    } catch {
      /* already gone */
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  // workerd may outlive wrangler by a moment: make sure the group is gone.
  if (group && child.pid) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* the group is gone */
    }
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a non-null value, or throws with the last value after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 60_000,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== null && v !== undefined && v !== false) return v;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${String(last)})`);
    await sleep(everyMs);
  }
}

/** Signs up a member with a unique email; returns its token and id. */
export async function member(h: Harness, tag: string): Promise<{ token: string; id: string }> {
  const r = await h.api('POST', '/api/auth/signup', {
    email: `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@keeptime.test`,
    password: 'mirror-tests-password',
    name: tag,
  });
  if (r.status !== 201) throw new Error(`signup: ${r.status} ${JSON.stringify(r.json)}`);
  return { token: r.json.token, id: r.json.user.id };
}

/** Creates a room; returns its id. */
export async function createRoom(h: Harness, token: string, name = 'Mirror room'): Promise<string> {
  const r = await h.api('POST', '/api/rooms', { name }, token);
  if (r.status !== 201) throw new Error(`create room: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.room.id as string;
}
