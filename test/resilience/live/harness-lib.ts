/**
 * The outage test's stack: the mirrors harness's wiring (Postgres or PGlite
 * through the Neon relay, a private redis-server behind the Upstash adapter,
 * `wrangler dev`), with Postgres made unreachable by a TCP gate in front of
 * the Worker's relay. The gate drops every connection when it stops, so an
 * outage starts at once even under traffic. (Stopping the Neon relay itself
 * can hang: see the report on scripts/local/neon-relay.mjs close().)
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
import { ADMIN_EMAIL, type ApiResult, type Restartable, sleep } from '../../mirrors/harness.ts';
import { type KillableWorker, killableWorker } from './wrangler.ts';

export interface OutageStack {
  base: string;
  /** The test's own line to Postgres (not through the gate). */
  db: Db;
  pg: TestPostgres;
  /** Stopping it makes Postgres unreachable for the Worker. */
  postgresGate: Restartable;
  redis: Restartable;
  worker: KillableWorker;
  adminToken: string;
  api<T = any>(method: string, route: string, body?: unknown, token?: string): Promise<ApiResult<T>>;
  close(): Promise<void>;
}

export async function startOutageStack(): Promise<OutageStack> {
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
    const target = postgresTarget(pg.databaseUrl);
    const workerRelay = await startNeonRelay({ pgHost: target.host, pgPort: target.port });
    cleanups.push(workerRelay.close);
    const gate = await tcpGate(workerRelay.port);
    cleanups.push(() => gate.stop());

    const redis = await restartableRedis();
    cleanups.push(() => redis.stop());
    const adapter = await startUpstashAdapter({ redisUrl: `redis://127.0.0.1:${redis.port}` });
    cleanups.push(adapter.close);

    const worker = await killableWorker({
      DATABASE_URL: pg.databaseUrl,
      NEON_LOCAL_RELAY: gate.address,
      UPSTASH_REDIS_REST_URL: adapter.url,
      UPSTASH_REDIS_REST_TOKEN: adapter.token,
    });
    cleanups.push(worker.close);
    await worker.start();

    const api = <T = any>(method: string, route: string, body?: unknown, token?: string) =>
      call<T>(worker.base, method, route, body, token);
    const signup = await api('POST', '/api/auth/signup', {
      email: ADMIN_EMAIL,
      password: 'outage-tests-password',
      name: 'Admin',
    });
    if (signup.status !== 201 || signup.json.user.role !== 'admin')
      throw new Error(`admin signup: ${signup.status} ${JSON.stringify(signup.json)}`);
    return {
      base: worker.base,
      db,
      pg,
      postgresGate: gate,
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

/** Signs up a member with a unique email; returns its token and id. */
export async function member(s: OutageStack, tag: string): Promise<{ token: string; id: string }> {
  const r = await s.api('POST', '/api/auth/signup', {
    email: `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@keeptime.test`,
    password: 'outage-tests-password',
    name: tag,
  });
  if (r.status !== 201) throw new Error(`signup: ${r.status} ${JSON.stringify(r.json)}`);
  return { token: r.json.token, id: r.json.user.id };
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

/** A private redis-server, killed and restarted (empty) on the same port. */
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
      stopFn = async () => {
        if (child.exitCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGKILL');
        await exited;
      };
      const deadline = Date.now() + 10_000;
      while (!(await redisAnswers(`redis://127.0.0.1:${port}`))) {
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(`redis-server did not restart on ${port}`);
        await sleep(50);
      }
    },
  };
}
