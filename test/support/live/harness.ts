/**
 * One private stack per test file, wired as in production but with every
 * dependency stoppable: Postgres (PGlite, or a fresh database on
 * TEST_DATABASE_URL), the Worker's own Neon relay, a redis-server behind the
 * Upstash adapter, and `wrangler dev` with fresh storage. Each piece restarts
 * on the port it had, so the Worker's variables stay valid across an outage.
 *
 * Used by the mirrors suite and by resilience-live. With `gate`, the Worker
 * reaches its relay through a TCP gate that drops every connection when it
 * stops, so a Postgres outage starts at once even under traffic (stopping the
 * relay itself waits for its connections).
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import ws from 'ws';
import { type Db, createDb } from '../../../drizzle/db.ts';
import { postgresTarget } from '../../../scripts/local/cli.mjs';
import { migrateDatabase } from '../../../scripts/local/migrate.mjs';
import { startNeonRelay } from '../../../scripts/local/neon-relay.mjs';
import { redisAnswers } from '../../../scripts/local/services.mjs';
import { startUpstashAdapter } from '../../../scripts/local/upstash-adapter.mjs';
import { freePort } from '../../integration/helpers/ports.ts';
import { type TestPostgres, startTestPostgres } from '../../integration/helpers/postgres.ts';
import { startRedisServer } from '../../integration/helpers/redis-server.ts';
import { scaled } from '../time-scale.ts';
import { type Restartable, type WranglerDev, sleep, stopChild, wranglerDev } from './wrangler.ts';

export { type Restartable, type WranglerDev, sleep } from './wrangler.ts';

export const ADMIN_EMAIL = 'admin@keeptime.test';
const PASSWORD = 'live-tests-password';

export interface ApiResult<T = any> {
  status: number;
  headers: Headers;
  json: T;
}

export interface LiveStackOptions {
  /** Put a TCP gate between the Worker and its relay (see `gate`). */
  gate?: boolean;
  /** Prefix of the Worker's storage directory. */
  tmpPrefix?: string;
}

export interface Harness {
  base: string;
  /** The test's own line to Postgres (not through the Worker's relay, so it works during an outage). */
  db: Db;
  pg: TestPostgres;
  /** The relay the Worker reaches Postgres through. */
  relay: Restartable & { address: string };
  /** With `{ gate: true }`: the Worker's line to the relay; stopping it cuts every open connection at once. */
  gate: (Restartable & { address: string }) | null;
  redis: Restartable & { port: number };
  worker: WranglerDev;
  adminToken: string;
  api<T = any>(method: string, route: string, body?: unknown, token?: string): Promise<ApiResult<T>>;
  close(): Promise<void>;
}

export async function startHarness(options: LiveStackOptions = {}): Promise<Harness> {
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
    const gate = options.gate ? await tcpGate(relay.port) : null;
    if (gate) cleanups.push(() => gate.stop());

    const redis = await restartableRedis();
    cleanups.push(() => redis.stop());
    const adapter = await startUpstashAdapter({ redisUrl: `redis://127.0.0.1:${redis.port}` });
    cleanups.push(adapter.close);

    const worker = await wranglerDev(
      {
        DATABASE_URL: pg.databaseUrl,
        NEON_LOCAL_RELAY: (gate ?? relay).address,
        UPSTASH_REDIS_REST_URL: adapter.url,
        UPSTASH_REDIS_REST_TOKEN: adapter.token,
      },
      options.tmpPrefix,
    );
    cleanups.push(() => worker.close());
    await worker.start();

    const api = <T = any>(method: string, route: string, body?: unknown, token?: string) =>
      call<T>(worker.base, method, route, body, token);
    const signup = await api('POST', '/api/auth/signup', { email: ADMIN_EMAIL, password: PASSWORD, name: 'Admin' });
    if (signup.status !== 201 || signup.json.user.role !== 'admin')
      throw new Error(`admin signup: ${signup.status} ${JSON.stringify(signup.json)}`);
    return {
      base: worker.base,
      db,
      pg,
      relay,
      gate,
      redis,
      worker,
      adminToken: signup.json.token as string,
      api,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** One HTTP call: the status, the headers and the JSON body (`{ raw }` when it is not JSON). */
export async function call<T = any>(
  base: string,
  method: string,
  route: string,
  body?: unknown,
  token?: string,
): Promise<ApiResult<T>> {
  const res = await fetch(base + route, {
    method,
    headers: {
      // Body-less commands declare themselves API calls (the CSRF guard refuses a bare POST with 415).
      ...(body === undefined ? { 'X-Keeptime': '1' } : { 'Content-Type': 'application/json' }),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(scaled(20_000)),
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

/**
 * Polls `probe` until it returns a non-null value, or throws with the last value after `timeoutMs` (a
 * quiet-machine figure, scaled for a loaded one).
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 60_000,
  everyMs = 250,
): Promise<T> {
  const limit = scaled(timeoutMs);
  const deadline = Date.now() + limit;
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
      throw new Error(`timed out after ${limit} ms waiting for ${what} (last: ${String(last)})`);
    await sleep(everyMs);
  }
}

/** Signs up a member with a unique email; returns its token and id. */
export async function member(h: Pick<Harness, 'api'>, tag: string): Promise<{ token: string; id: string }> {
  const r = await h.api('POST', '/api/auth/signup', {
    email: `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@keeptime.test`,
    password: PASSWORD,
    name: tag,
  });
  if (r.status !== 201) throw new Error(`signup: ${r.status} ${JSON.stringify(r.json)}`);
  return { token: r.json.token, id: r.json.user.id };
}

/** Creates a room; returns its id. */
export async function createRoom(h: Pick<Harness, 'api'>, token: string, name = 'Mirror room'): Promise<string> {
  const r = await h.api('POST', '/api/rooms', { name }, token);
  if (r.status !== 201) throw new Error(`create room: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.room.id as string;
}

/** The Worker's relay to Postgres, restartable on its port. */
async function restartableRelay(databaseUrl: string): Promise<Restartable & { address: string; port: number }> {
  const target = postgresTarget(databaseUrl);
  let relay: Awaited<ReturnType<typeof startNeonRelay>> | null = await startNeonRelay({
    pgHost: target.host,
    pgPort: target.port,
  });
  const { address, port } = relay;
  return {
    address,
    port,
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

/** A TCP pass-through to `targetPort` on its own port; stop() refuses new connections and cuts every open one. */
async function tcpGate(targetPort: number): Promise<Restartable & { address: string }> {
  const port = await freePort();
  const open = new Set<net.Socket>();
  let server: net.Server | null = null;
  const start = async () => {
    if (server) return;
    const s = net.createServer((client) => {
      const upstream = net.connect({ host: '127.0.0.1', port: targetPort });
      open.add(client);
      open.add(upstream);
      client.pipe(upstream);
      upstream.pipe(client);
      const cut = () => {
        client.destroy();
        upstream.destroy();
        open.delete(client);
        open.delete(upstream);
      };
      for (const sock of [client, upstream]) {
        sock.on('error', cut);
        sock.on('close', cut);
      }
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    server = s;
  };
  await start();
  return {
    address: `127.0.0.1:${port}`,
    get running() {
      return server !== null;
    },
    start,
    async stop() {
      const s = server;
      server = null;
      if (!s) return;
      const closed = new Promise<void>((resolve) => s.close(() => resolve()));
      for (const sock of open) sock.destroy();
      open.clear();
      await closed;
    },
  };
}

/** A private redis-server (the integration helper), killed and restarted (empty) on the same port. */
async function restartableRedis(): Promise<Restartable & { port: number }> {
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
      const deadline = Date.now() + scaled(10_000);
      while (!(await redisAnswers(`redis://127.0.0.1:${port}`))) {
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(`redis-server did not restart on ${port}`);
        await sleep(50);
      }
    },
  };
}
