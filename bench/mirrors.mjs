// The mirrors, measured against their own stack: a Worker wired to Postgres (through the Neon relay)
// and Redis (through the Upstash adapter), with in-run baselines.
//  1. Outbox drain throughput into Postgres vs raw single-row inserts through the same driver and relay.
//  2. Mirror lag: command response → its events row visible in Postgres (p50/p99 over 100 commands),
//     vs one raw insert round trip.
//  3. Recovery: 1,000 commands while Postgres is unreachable, then the relay back, a kick, and the
//     time until every row is in Postgres (split into the wait for the first row and the drain).
//  4. Cache: GET /api/rooms/:id/history HIT vs MISS latency (medians of 100 each).
// Postgres is PGlite on disk in a temp dir, or a fresh database on BENCH_DATABASE_URL / TEST_DATABASE_URL.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from '../scripts/lib.mjs';
import { postgresTarget } from '../scripts/local/cli.mjs';
import { createNodePool, migrateDatabase } from '../scripts/local/migrate.mjs';
import { startNeonRelay } from '../scripts/local/neon-relay.mjs';
import { startPgliteServer } from '../scripts/local/pglite-server.mjs';
import { redisAnswers } from '../scripts/local/services.mjs';
import { startUpstashAdapter } from '../scripts/local/upstash-adapter.mjs';
import { api, fmt, median, quantile, startWorker } from './lib.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs every mirror benchmark against a stack of its own; returns the numbers. */
export async function mirrorsBench({
  lagSamples = 100,
  outageCommands = 1_000,
  cacheSamples = 100,
  rawInserts = 300,
} = {}) {
  const stack = await startStack();
  try {
    const { base } = stack;
    const signup = await api(base, 'POST', '/api/auth/signup', {
      email: `mirrors-${Date.now()}@keeptime.test`,
      password: 'bench-password',
      name: 'Bench',
    });
    const token = signup.json.token;
    const room = (await api(base, 'POST', '/api/rooms', { name: 'Mirror bench' }, token)).json;
    const roomId = room.room.id;
    const timer = (
      await api(base, 'POST', `/api/rooms/${roomId}/timers`, { label: 'Bench', durationMs: 36_000_000 }, token)
    ).json.timer;
    await waitUntil(async () => (await eventCount(stack.pool, roomId)) === 2, 30_000, 'the room to mirror');

    const raw = await rawInsertBaseline(stack.pool, rawInserts);
    const lag = await mirrorLag(stack, base, token, roomId, timer.id, lagSamples);
    const outage = await outageDrain(stack, base, room, timer.id, outageCommands);
    const cache = await cacheLatency(base, token, (l) => `/api/rooms/${roomId}/history?limit=${l}`, cacheSamples);
    // Live-session history: a few stopped sessions, then the same MISS/HIT comparison on GET /api/sessions.
    for (let i = 0; i < 5; i++) {
      await api(base, 'POST', '/api/sessions/start', { label: `bench ${i}` }, token);
      await api(base, 'POST', '/api/sessions/stop', undefined, token);
    }
    await sleep(1_000);
    const sessions = await cacheLatency(
      base,
      token,
      (l) => `/api/sessions?limit=${l}`,
      Math.min(cacheSamples, 90),
      101,
    );
    return { postgres: stack.postgresKind, raw, lag, outage, cache, sessions };
  } finally {
    await stack.stop();
  }
}

/** Runs the mirror benchmarks and prints them (bench/run.mjs calls this). */
export async function run(options) {
  printMirrors(await mirrorsBench(options));
}

export function printMirrors(r) {
  console.log(
    `\nMirrors (Postgres: ${r.postgres}; Neon driver through the local relay; Redis via the Upstash adapter)`,
  );
  console.log(
    `  baseline: raw single-row INSERT into events, one at a time, from Node through the same driver and relay`,
  );
  console.log(
    `    ${r.raw.n} inserts: ${fmt(r.raw.perSecond, 0)} rows/s   round trip p50 ${fmt(r.raw.p50)} ms   p99 ${fmt(r.raw.p99)} ms`,
  );
  const o = r.outage;
  console.log(
    `\n  1. Outbox drain throughput (one room, ${o.n} pending rows, batches of 100 with their domain upserts)`,
  );
  console.log(
    `    ${fmt(o.drainPerSecond, 0)} events/s (first row → last row ${fmt(o.drainMs, 0)} ms)   ratio drain ÷ raw inserts = ${fmt(o.drainPerSecond / r.raw.perSecond, 2)}`,
  );
  console.log(
    `\n  2. Mirror lag, command response → its row in Postgres (${r.lag.n} commands, polled every ${r.lag.pollMs} ms)`,
  );
  console.log(
    `    p50 ${fmt(r.lag.p50)} ms   p99 ${fmt(r.lag.p99)} ms   max ${fmt(r.lag.max)} ms   ratio p50 ÷ raw insert p50 = ${fmt(r.lag.p50 / r.raw.p50, 1)}`,
  );
  console.log(
    `\n  3. Recovery after an outage: ${o.n} commands with Postgres unreachable (issued in ${fmt(o.issueMs / 1000, 1)} s), relay back, kick`,
  );
  console.log(
    `    all ${o.n} rows in Postgres ${fmt(o.totalMs / 1000, 2)} s after the kick = ${fmt(o.firstMs / 1000, 2)} s until the first row + ${fmt(o.drainMs / 1000, 2)} s draining`,
  );
  console.log(
    `    kick answered after ${fmt(o.kickAnsweredMs / 1000, 2)} s; every row exactly once: ${o.exact ? 'yes' : 'NO'}`,
  );
  if (o.firstMs > 1_000 && o.kickAnsweredMs < o.firstMs)
    console.log(
      `    (the kick answered before any row landed: the wait is the head row's remaining backoff, which the kick does not override)`,
    );
  const c = r.cache;
  console.log(
    `\n  4. Cache, GET /api/rooms/:id/history (${c.n} each; ${c.misses}/${c.n} MISS and ${c.hits}/${c.n} HIT as intended; medians over those)`,
  );
  console.log(
    `    MISS p50 ${fmt(c.missP50)} ms   HIT p50 ${fmt(c.hitP50)} ms   ratio HIT ÷ MISS = ${fmt(c.hitP50 / c.missP50, 2)}   (GET /health p50 ${fmt(c.healthP50)} ms)`,
  );
  const s = r.sessions;
  console.log(
    `\n  5. Cache, GET /api/sessions (live-session history; ${s.n} each; ${s.misses}/${s.n} MISS, ${s.hits}/${s.n} HIT)`,
  );
  console.log(
    `    MISS p50 ${fmt(s.missP50)} ms   HIT p50 ${fmt(s.hitP50)} ms   ratio HIT ÷ MISS = ${fmt(s.hitP50 / s.missP50, 2)}`,
  );
}

// ── The stack ──────────────────────────────────────────────────────────────
async function startStack() {
  const stops = [];
  const stop = async () => {
    while (stops.length)
      await stops
        .pop()()
        .catch(() => {});
  };
  try {
    const serverUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
    let databaseUrl;
    let postgresKind;
    if (serverUrl) {
      const target = postgresTarget(serverUrl);
      const adminRelay = await startNeonRelay({ pgHost: target.host, pgPort: target.port });
      const name = `keeptime_bench_${Date.now()}`;
      const admin = createNodePool(serverUrl, adminRelay.address);
      await admin.query(`create database "${name}"`);
      await admin.end();
      stops.push(async () => {
        const p = createNodePool(serverUrl, adminRelay.address);
        await p.query(`drop database if exists "${name}" with (force)`).finally(() => p.end());
        await adminRelay.close();
      });
      const u = new URL(serverUrl);
      u.pathname = `/${name}`;
      databaseUrl = u.toString();
      postgresKind = `PostgreSQL at ${target.host}:${target.port} (fresh database ${name})`;
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-bench-pg-'));
      const pg = await startPgliteServer({ dataDir: dir, maxConnections: 16 });
      stops.push(async () => {
        await pg.close();
        fs.rmSync(dir, { recursive: true, force: true });
      });
      databaseUrl = pg.url;
      postgresKind = 'embedded PGlite (on disk, in this process)';
    }
    const target = postgresTarget(databaseUrl);
    // The bench's own line to Postgres, which stays up while the Worker's relay is stopped.
    const ownRelay = await startNeonRelay({ pgHost: target.host, pgPort: target.port });
    stops.push(ownRelay.close);
    await migrateDatabase({ databaseUrl, relay: ownRelay.address });
    const pool = createNodePool(databaseUrl, ownRelay.address);
    stops.push(() => pool.end());

    let relay = await startNeonRelay({ pgHost: target.host, pgPort: target.port });
    const relayPort = relay.port;
    stops.push(() => relay?.close());

    const redisPort = await freePort();
    const redis = spawn(
      'redis-server',
      ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    stops.push(() => stopChild(redis));
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    await waitUntil(() => redisAnswers(redisUrl), 10_000, 'redis-server');
    const adapter = await startUpstashAdapter({ redisUrl });
    stops.push(adapter.close);

    const worker = await startWorker({
      vars: {
        DATABASE_URL: databaseUrl,
        NEON_LOCAL_RELAY: relay.address,
        UPSTASH_REDIS_REST_URL: adapter.url,
        UPSTASH_REDIS_REST_TOKEN: adapter.token,
      },
    });
    stops.push(worker.stop);
    const adminToken = (
      await api(worker.base, 'POST', '/api/auth/signup', {
        email: 'admin@keeptime.test',
        password: 'bench-password',
        name: 'Admin',
      })
    ).json.token;
    return {
      base: worker.base,
      pool,
      postgresKind,
      adminToken,
      stopRelay: async () => {
        await relay?.close();
        relay = null;
      },
      startRelay: async () => {
        relay ??= await startNeonRelay({ pgHost: target.host, pgPort: target.port, port: relayPort });
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function waitUntil(probe, timeoutMs, what, everyMs = 50) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

async function eventCount(pool, roomId) {
  const { rows } = await pool.query(
    `select count(*)::int as n from events where aggregate_type = 'room' and aggregate_id = $1`,
    [roomId],
  );
  return rows[0].n;
}

// ── 0. Baseline: raw single-row inserts ──────────────────────────────────
async function rawInsertBaseline(pool, n) {
  const rtts = [];
  const aggregate = `bench-raw-${Date.now()}`;
  for (let i = 0; i < 20; i++) await pool.query('select 1'); // warm the connection
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await pool.query(
      `insert into events (event_id, aggregate_type, aggregate_id, type, version, payload, occurred_at) values ($1, 'room', $2, 'bench.raw', $3, $4, now()) on conflict (event_id) do nothing`,
      [`${aggregate}-${i}`, aggregate, i, JSON.stringify({ i })],
    );
    rtts.push(performance.now() - t0);
  }
  const ms = performance.now() - started;
  return { n, perSecond: (n / ms) * 1000, p50: median(rtts), p99: quantile(rtts, 0.99) };
}

// ── 2. Mirror lag ──────────────────────────────────────────────────────────
async function mirrorLag(stack, base, token, roomId, timerId, samples) {
  const pollMs = 2;
  const lags = [];
  let action = 'start';
  for (let i = 0; i < samples; i++) {
    const res = await api(base, 'POST', `/api/rooms/${roomId}/timers/${timerId}/${action}`, undefined, token);
    const t0 = performance.now();
    if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.json)}`);
    action = action === 'pause' ? 'resume' : 'pause';
    const version = res.json.version;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { rows } = await stack.pool.query(
        `select 1 from events where aggregate_type = 'room' and aggregate_id = $1 and type = 'room.command' and version = $2`,
        [roomId, version],
      );
      if (rows.length) break;
      if (Date.now() > deadline) throw new Error(`version ${version} never reached Postgres`);
      await sleep(pollMs);
    }
    lags.push(performance.now() - t0);
  }
  return { n: samples, pollMs, p50: median(lags), p99: quantile(lags, 0.99), max: Math.max(...lags) };
}

// ── 1 + 3. An outage's backlog, and how it drains ──────────────────────────
async function outageDrain(stack, base, room, timerId, n) {
  const roomId = room.room.id;
  const before = await eventCount(stack.pool, roomId);
  const v0 = (await api(base, 'GET', `/api/rooms/${roomId}?token=${room.links.controller}`)).json.version;
  await stack.stopRelay();
  const issueStarted = performance.now();
  // Pipelined over one controller socket: the room runs them in order, so pause/resume alternate validly.
  const snapshotState = (
    await api(base, 'GET', `/api/rooms/${roomId}?token=${room.links.controller}`)
  ).json.timers.find((t) => t.id === timerId).state;
  await pipelinedCommands(base, roomId, room.links.controller, timerId, n, snapshotState);
  const issueMs = performance.now() - issueStarted;
  // Objects report their depth to Ops about 2 s after a change; the kick reaches the reported ones.
  await waitUntil(
    async () => (await api(base, 'GET', '/api/ops/stats', undefined, stack.adminToken)).json.outbox.pending >= n,
    30_000,
    'ops to see the backlog',
    200,
  );
  if ((await eventCount(stack.pool, roomId)) !== before) throw new Error('rows reached Postgres during the outage');

  await stack.startRelay();
  const kicked = performance.now();
  // The kick may drain before it answers: watch Postgres meanwhile.
  let kickAnsweredMs = null;
  const kick = api(base, 'POST', '/api/ops/outbox/kick', undefined, stack.adminToken).then((r) => {
    kickAnsweredMs = performance.now() - kicked;
    return r;
  });
  let first = null;
  let count = before;
  const deadline = Date.now() + 10 * 60_000;
  while (count < before + n) {
    if (Date.now() > deadline) throw new Error(`only ${count - before}/${n} rows drained`);
    await sleep(5);
    count = await eventCount(stack.pool, roomId);
    if (first === null && count > before) first = { at: performance.now(), already: count - before };
  }
  const done = performance.now();
  if ((await kick).status !== 200) throw new Error('kick failed');
  await sleep(1_000);
  const { rows } = await stack.pool.query(
    `select count(*)::int as n, count(distinct event_id)::int as d, min(version) as lo, max(version) as hi from events where aggregate_type = 'room' and aggregate_id = $1 and version > $2`,
    [roomId, v0],
  );
  const exact = rows[0].n === n && rows[0].d === n && rows[0].lo === v0 + 1 && rows[0].hi === v0 + n;
  // Rows already present at the first sighting were written in that first batch: count the rest over the time they took.
  const drainMs = done - first.at;
  return {
    n,
    issueMs,
    firstMs: first.at - kicked,
    drainMs,
    totalMs: done - kicked,
    kickAnsweredMs,
    drainPerSecond: ((n - first.already) / drainMs) * 1000,
    exact,
  };
}

function pipelinedCommands(base, roomId, controllerToken, timerId, n, state) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/rooms/${roomId}/ws?token=${controllerToken}`);
    let acked = 0;
    const timeout = setTimeout(() => reject(new Error(`only ${acked}/${n} commands acknowledged`)), 120_000);
    ws.addEventListener('message', (ev) => {
      const m = JSON.parse(ev.data);
      if (m.type === 'error' && m.id) {
        clearTimeout(timeout);
        reject(new Error(`command ${m.id}: ${m.code}`));
      }
      if (m.type === 'ack' && ++acked === n) {
        clearTimeout(timeout);
        ws.close();
        resolve();
      }
    });
    ws.addEventListener('error', () => reject(new Error('socket error')), { once: true });
    ws.addEventListener('open', () => {
      let running = state === 'running';
      for (let i = 0; i < n; i++) {
        const type = running ? 'pause' : 'resume';
        running = !running;
        ws.send(JSON.stringify({ type: 'command', id: `outage-${i}`, command: { type, timerId } }));
      }
    });
  });
}

// ── 4. Cache HIT vs MISS ───────────────────────────────────────────────────
async function cacheLatency(base, token, route, n, firstLimit = 301) {
  const get = async (route) => {
    const t0 = performance.now();
    const res = await fetch(base + route, { headers: { Authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    return { ms: performance.now() - t0, cache: res.headers.get('X-Cache'), status: res.status };
  };
  // Each `limit` is its own cache key: the first request for it misses, a repeat hits.
  for (let i = 0; i < 5; i++) await get(route(firstLimit - 1 - i)); // warm up both paths
  for (let i = 0; i < 5; i++) await get(route(firstLimit - 1 - i));
  const limits = Array.from({ length: n }, (_, i) => firstLimit + i);
  const miss = [];
  for (const l of limits) miss.push(await get(route(l)));
  await sleep(1_000); // the MISS answers are stored in the background
  const hit = [];
  for (const l of limits) hit.push(await get(route(l)));
  const health = [];
  for (let i = 0; i < n; i++) health.push((await get('/health')).ms);
  if ([...miss, ...hit].some((r) => r.status !== 200)) throw new Error('a history request failed');
  return {
    n,
    misses: miss.filter((r) => r.cache === 'MISS').length,
    hits: hit.filter((r) => r.cache === 'HIT').length,
    // Only the answers that really were a MISS / a HIT (a HIT pass request can miss if its entry was not stored yet).
    missP50: median(miss.filter((r) => r.cache === 'MISS').map((r) => r.ms)),
    hitP50: median(hit.filter((r) => r.cache === 'HIT').map((r) => r.ms)),
    healthP50: median(health),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
  process.exit(0);
}
