// The targets of bench/compare.mjs behind one shape: start a server, make a room, say how viewers join (a spec the
// load-generator processes use), send commands, read wake-ups, name the server processes to measure.
//   workerd   Keeptime's deploy bundle under ONE workerd (Miniflare's API, no wrangler proxy): what production runs
//   wrangler  Keeptime under `wrangler dev` (its proxy workerd in front of the runtime workerd), kept for continuity
//   baseline  the Express + Socket.IO + ioredis design (bench/baseline), private redis-server
//   floor     a bare `ws` broadcast server (bench/floor-server.mjs): what no design on this machine can beat
//   workerd-floor  a bare Durable Object broadcaster under one workerd (bench/workerd-floor): the runtime's own floor
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnBaseline } from './baseline/spawn.mjs';
import { startPrivateRedis, stopChild } from './baseline/redis-server.mjs';
import { startOneWorkerd, startSnapshotWorker } from './compare-worker.mjs';
import { api, makeOwnerAndRoom } from './lib.mjs';
import { descendants } from './proc-stats.mjs';

/**
 * @typedef {object} Target
 * @property {string} name
 * @property {string} url the server's HTTP base
 * @property {{ kind: 'ws', url: string } | { kind: 'sio', url: string, roomId: string }} spec how a viewer joins
 * @property {() => Array<{ role: string, pids: number[], serves: boolean }>} processes looked up afresh on each call;
 *   `serves`: carries the traffic (counted as the server); the others (wrangler's and Miniflare's Node) are listed apart
 * @property {string} [commit] the commit a snapshot server runs
 * @property {() => Promise<number>} version the room's current version
 * @property {(action: 'start' | 'pause' | 'resume' | 'adjust', deltaMs?: number) => Promise<number>} command the new version
 * @property {() => Promise<number | null>} wakeups null when the design has no timer to wake
 * @property {string} wakeupSource
 * @property {() => Promise<void>} stop
 */

export const TARGETS = /** @type {const} */ (['workerd', 'wrangler', 'baseline', 'floor', 'workerd-floor']);
/**
 * Descriptors one viewer holds in a target's busiest server process. workerd holds every accepted connection twice
 * (two descriptors, one socket: measured on the bare Durable Object target, 2,035 descriptors with 1,000 viewers, each
 * socket inode listed twice in /proc/<pid>/fd), so one workerd stops near 9,980 viewers under the 20,000 open-files
 * limit; `wrangler dev` adds its proxy workerd in front (≈ 4 measured: the two reach the limit near 4,800 viewers).
 * @type {Record<string, number>}
 */
export const FDS_PER_VIEWER = { workerd: 2, 'workerd+': 2, wrangler: 4, baseline: 1, floor: 1, 'workerd-floor': 2 };

/**
 * `workerd+` (not in the default set): the same as `workerd`, with the files named in BENCH_OVERLAY (comma-separated)
 * taken from the working tree, and the Worker variables in BENCH_PLUS_VARS (JSON) on top of BENCH_WORKER_VARS: a
 * before/after of a change, or of a setting (`{"RELAY_THRESHOLD":"1000000"}`: one object, no relays), in one run.
 * `baselinePresenceMs`: the baseline's `user-count` coalescing (0: the seed's, one to the whole room per join).
 * @type {Record<string, (o?: { baselinePresenceMs?: number }) => Promise<Target>>}
 */
export const START = {
  workerd: () => startWorkerdTarget(),
  'workerd+': () =>
    startWorkerdTarget(
      (process.env.BENCH_OVERLAY ?? '').split(',').filter(Boolean),
      'workerd+',
      JSON.parse(process.env.BENCH_PLUS_VARS ?? '{}'),
    ),
  wrangler: () => startWranglerTarget(),
  baseline: (o) => startBaselineTarget(o?.baselinePresenceMs ?? 0),
  floor: () => startFloorTarget(),
  'workerd-floor': () => startWorkerdFloorTarget(),
};

/**
 * Keeptime's room on a running Worker: an admin (for the wake-up counters), an owner, a room with one timer.
 * @param {string} name @param {string} base @param {Target['processes']} processes @param {() => Promise<void>} stop
 * @param {string} commit @returns {Promise<Target>}
 */
async function oursOn(name, base, processes, stop, commit) {
  const admin = await api(base, 'POST', '/api/auth/signup', {
    email: 'admin@keeptime.test',
    password: 'bench-password',
    name: 'Admin',
  });
  if (admin.status !== 201) throw new Error(`admin signup: ${admin.status} ${JSON.stringify(admin.json)}`);
  const { token, room, links, timers } = await makeOwnerAndRoom(base);
  const timerId = timers[0].id;
  return {
    name,
    url: base,
    commit,
    spec: { kind: 'ws', url: `${base.replace('http', 'ws')}/api/rooms/${room.id}/ws?token=${links.viewer}` },
    processes,
    async version() {
      return (await api(base, 'GET', `/api/rooms/${room.id}`, undefined, token)).json.version;
    },
    async command(action, deltaMs) {
      const res = await api(
        base,
        'POST',
        `/api/rooms/${room.id}/timers/${timerId}/${action}`,
        action === 'adjust' ? { deltaMs } : undefined,
        token,
      );
      if (res.status !== 200) throw new Error(`${name} ${action}: ${res.status} ${JSON.stringify(res.json)}`);
      return res.json.version;
    },
    async wakeups() {
      const res = await api(base, 'GET', `/api/ops/objects/room/${room.id}/wakeups`, undefined, admin.json.token);
      if (res.status !== 200) throw new Error(`wakeups: ${res.status} ${JSON.stringify(res.json)}`);
      const w = res.json.wakeups;
      return w.alarm + w.message + w.fetch;
    },
    wakeupSource: "room DO's alarm + webSocketMessage + fetch invocations (COUNT_WAKEUPS=1)",
    stop,
  };
}

/**
 * The deploy bundle under one workerd. @param {string[]} [overlay] @param {string} [name]
 * @param {Record<string, string>} [own] this target's own extra variables @returns {Promise<Target>}
 */
export async function startWorkerdTarget(overlay = [], name = 'workerd', own = {}) {
  // BENCH_WORKER_VARS='{"RELAY_THRESHOLD":"1000000"}': extra Worker variables (e.g. one object, no relays), named in the row.
  const extra = { ...JSON.parse(process.env.BENCH_WORKER_VARS ?? '{}'), ...own };
  const w = await startOneWorkerd({ vars: { COUNT_WAKEUPS: '1', ...extra }, overlay });
  if (Object.keys(extra).length) w.commit = `${w.commit} with ${JSON.stringify(extra)}`;
  const processes = () => {
    const tree = descendants(w.pid);
    return [
      { role: 'workerd', pids: tree.filter((p) => p.comm.startsWith('workerd')).map((p) => p.pid), serves: true },
      { role: 'miniflare (node)', pids: [w.pid], serves: false },
    ];
  };
  return oursOn(name, w.base, processes, w.stop, w.commit).catch(async (err) => {
    await w.stop();
    throw err;
  });
}

/** `wrangler dev` on the same snapshot. @returns {Promise<Target>} */
export async function startWranglerTarget() {
  const w = await startSnapshotWorker({ vars: { COUNT_WAKEUPS: '1' } });
  // Two workerd processes: wrangler's proxy (the port we talk to) and the Worker's runtime; both carry the traffic.
  const processes = () => {
    const tree = descendants(w.pid);
    return [
      { role: 'workerd ×2', pids: tree.filter((p) => p.comm.startsWith('workerd')).map((p) => p.pid), serves: true },
      {
        role: 'wrangler (node)',
        pids: [w.pid, ...tree.filter((p) => p.comm.startsWith('node')).map((p) => p.pid)],
        serves: false,
      },
    ];
  };
  return oursOn('wrangler', w.base, processes, w.stop, w.commit).catch(async (err) => {
    await w.stop();
    throw err;
  });
}

/**
 * The Socket.IO baseline in its own Node process with a private redis-server.
 * @param {number} [presenceCoalesceMs] see bench/baseline/server.mjs (0: the seed's `user-count` on every join)
 * @returns {Promise<Target>}
 */
export async function startBaselineTarget(presenceCoalesceMs = 0) {
  const redis = await startPrivateRedis();
  // A loaded machine can take a while to start a Node process: a generous deadline.
  const server = await spawnBaseline({ redisUrl: redis.url, timeoutMs: 120_000, presenceCoalesceMs }).catch(
    async (err) => {
      await redis.stop();
      throw err;
    },
  );
  const post = async (/** @type {string} */ route, /** @type {unknown} */ body) => {
    const res = await fetch(server.url + route, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`baseline ${route}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const { roomId } = await post('/api/rooms', { durationMs: 3_600_000 });
  return {
    name: 'baseline',
    url: server.url,
    spec: { kind: 'sio', url: server.url, roomId },
    // Its redis-server is part of the design's command path (lock, read, write): it is counted with the server.
    processes: () => [
      { role: 'node', pids: [server.pid], serves: true },
      { role: 'redis-server', pids: [redis.pid], serves: true },
    ],
    async version() {
      return (await (await fetch(`${server.url}/api/rooms/${roomId}`)).json()).version;
    },
    async command(action, deltaMs) {
      return (await post(`/api/rooms/${roomId}/timer/${action}`, action === 'adjust' ? { deltaMs } : undefined))
        .version;
    },
    async wakeups() {
      return (await server.counters()).ticks;
    },
    wakeupSource: 'setInterval tick callbacks run (counters().ticks)',
    async stop() {
      await server.stop();
      await redis.stop();
    },
  };
}

/**
 * Waits for a child server's "... listening on <url>" line. @param {import('node:child_process').ChildProcess} child
 * @param {RegExp} line with the URL or port as its first group @returns {Promise<string>}
 */
function listening(child, line) {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" line in 120 s:\n${output}`)), 120_000);
    child.stdout?.on('data', (d) => {
      output += d;
      const m = line.exec(output);
      if (m) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(/** @type {string} */ (m[1]));
      }
    });
    child.stderr?.on('data', (d) => (output += d));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${output}`));
    });
  });
}

/**
 * A floor server's target: `POST /command` bumps and broadcasts, `GET /version` reads; no timer to wake.
 * @param {string} name @param {string} url @param {Target['processes']} processes @param {() => Promise<void>} stop
 * @returns {Target}
 */
function bareTarget(name, url, processes, stop) {
  return {
    name,
    url,
    spec: { kind: 'ws', url: `${url.replace('http', 'ws')}/ws` },
    processes,
    async version() {
      return (await (await fetch(`${url}/version`)).json()).version;
    },
    async command() {
      return (await (await fetch(`${url}/command`, { method: 'POST' })).json()).version;
    },
    wakeups: async () => null,
    wakeupSource: 'none: no timer',
    stop,
  };
}

/** The runtime's floor: a bare Durable Object broadcaster under one workerd. @returns {Promise<Target>} */
export async function startWorkerdFloorTarget() {
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-bench-wdfloor-'));
  const child = spawn(
    process.execPath,
    [path.join(import.meta.dirname, 'workerd-floor/server.mjs'), '--persist', state],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const stop = async () => {
    await stopChild(child);
    fs.rmSync(state, { recursive: true, force: true });
  };
  const url = await listening(child, /workerd floor listening on (\S+)/).catch(async (err) => {
    await stop();
    throw err;
  });
  const pid = /** @type {number} */ (child.pid);
  const processes = () => [
    {
      role: 'workerd',
      pids: descendants(pid)
        .filter((p) => p.comm.startsWith('workerd'))
        .map((p) => p.pid),
      serves: true,
    },
    { role: 'miniflare (node)', pids: [pid], serves: false },
  ];
  return bareTarget('workerd-floor', url, processes, stop);
}

/** The bare `ws` broadcast server. @returns {Promise<Target>} */
export async function startFloorTarget() {
  const child = spawn(process.execPath, [path.join(import.meta.dirname, 'floor-server.mjs')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await listening(child, /floor listening on (\d+)/).catch(async (err) => {
    await stopChild(child);
    throw err;
  });
  const pid = /** @type {number} */ (child.pid);
  return bareTarget(
    'floor',
    `http://127.0.0.1:${port}`,
    () => [{ role: 'node', pids: [pid], serves: true }],
    () => stopChild(child),
  );
}
