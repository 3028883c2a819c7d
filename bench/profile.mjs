// Where a command's time goes, end to end, on the deploy bundle under one workerd: V8's sampling CPU profiler through
// workerd's inspector (the Worker and its Durable Objects share one isolate locally), mapped back to source files with
// the bundle's source map, plus the workerd process's whole CPU from /proc (what the profiler cannot see: HTTP
// parsing, socket writes, SQLite, the Worker → object hop's plumbing).
// node --experimental-transform-types --no-warnings bench/profile.mjs [--viewers 1000] [--commands 100] [--json out]
//   (BENCH_COMMIT=<commit> and BENCH_OVERLAY=<paths> as for compare.mjs)
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import WebSocket from 'ws';
import { startOneWorkerd } from './compare-worker.mjs';
import { api, fmt, makeOwnerAndRoom } from './lib.mjs';
import { cpuNs, descendants } from './proc-stats.mjs';

/**
 * Buckets, by the first source file (walking up the stack) that matches. Order matters: the most specific first.
 * @type {Array<[string, RegExp]>}
 */
const BUCKETS = [
  ['broadcast loop (SocketHub.broadcast / send)', /durable-objects\/platform\/sockets\.ts/],
  ['presence (devices, user counts)', /durable-objects\/rooms\/devices\.ts/],
  ['outbox insert', /durable-objects\/platform\/outbox\.ts/],
  ['SQLite transaction, kv, schedule (commit)', /durable-objects\/platform\/(kv|schedule|lazy-tables|idempotency)\.ts/],
  ['transition (core/rooms)', /core\/rooms\//],
  ['room object: command, save, mirror payload, publish', /durable-objects\/rooms\//],
  ['platform object (gate, commit, report, wake-up counters)', /durable-objects\/platform\//],
  ['per-request JSON logging', /worker\/middleware\/logger\.ts/],
  [
    'auth (JWT, scopes, CSRF, rate limit)',
    /worker\/(middleware\/(auth|scopes|csrf|rate-limit)|lib\/(auth|jwt|tokens?))/,
  ],
  ['validation (readJson, zod)', /worker\/middleware\/validate\.ts|node_modules\/zod\//],
  ['Worker routes (rooms), Worker → object call', /worker\/routes\//],
  ['routing (Hono)', /node_modules\/hono\//],
  ['Worker other', /worker\//],
  ['core other (protocol, errors, time)', /core\//],
  ['other libraries', /node_modules\//],
];

/** @param {string} url */
async function cdp(url) {
  const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1 << 30 });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let id = 0;
  /** @type {Map<number, (r: any) => void>} */
  const pending = new Map();
  ws.on('message', (d) => {
    const m = JSON.parse(String(d));
    if (m.id && pending.has(m.id)) {
      pending.get(m.id)?.(m);
      pending.delete(m.id);
    }
  });
  return {
    /** @param {string} method @param {object} [params] */
    send: (method, params = {}) =>
      new Promise((resolve, reject) => {
        const n = ++id;
        pending.set(n, (m) => (m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result)));
        ws.send(JSON.stringify({ id: n, method, params }));
      }),
    close: () => ws.close(),
  };
}

/**
 * @param {{ viewers?: number, commands?: number }} [options]
 */
export async function run({ viewers = 1000, commands = 100 } = {}) {
  // BENCH_COMMIT / BENCH_OVERLAY as in compare.mjs: profile a commit, or a commit plus working-tree files.
  const overlay = (process.env.BENCH_OVERLAY ?? '').split(',').filter(Boolean);
  const w = await startOneWorkerd({ inspector: true, vars: {}, overlay });
  /** @type {WebSocket[]} */
  const sockets = [];
  try {
    const base = w.base;
    const { token, room, links, timers } = await makeOwnerAndRoom(base);
    const cmd = async (/** @type {string} */ action, /** @type {number} */ delta = 0) => {
      const res = await api(
        base,
        'POST',
        `/api/rooms/${room.id}/timers/${timers[0].id}/${action}`,
        action === 'adjust' ? { deltaMs: delta } : undefined,
        token,
      );
      if (res.status !== 200) throw new Error(`${action}: ${res.status}`);
      return res.json.version;
    };
    await cmd('start');
    await cmd('pause');
    let latest = 0;
    let arrived = 0;
    const have = new Map();
    const url = `${base.replace('http', 'ws')}/api/rooms/${room.id}/ws?token=${links.viewer}`;
    for (let i = 0; i < viewers; i += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, viewers - i) }, (_, k) => {
          const ws = new WebSocket(url, { perMessageDeflate: false });
          sockets.push(ws);
          return new Promise((resolve, reject) => {
            ws.on('message', (d) => {
              const text = String(d);
              if (text.startsWith('{"type":"user-count"')) return;
              const v = JSON.parse(text).version;
              if (typeof v === 'number' && v > (have.get(i + k) ?? -1)) {
                have.set(i + k, v);
                if (v >= latest) arrived++;
              }
              resolve(undefined);
            });
            ws.once('error', reject);
          });
        }),
      );
    }
    const workerd = descendants(w.pid).find((p) => p.comm.startsWith('workerd'))?.pid;
    if (!workerd) throw new Error('workerd not found');
    const host = new URL(/** @type {string} */ (w.inspector)).host;
    const list = await (await fetch(`http://${host}/json/list`)).json();
    const target = list.find((/** @type {any} */ t) => t.id === 'core:user:keeptime');
    const c = await cdp(target.webSocketDebuggerUrl);
    await c.send('Profiler.enable');
    await c.send('Profiler.setSamplingInterval', { interval: 100 });
    const send = async (/** @type {number} */ i) => {
      arrived = 0;
      latest = await cmd('adjust', i % 2 ? 1000 : -1000);
      const end = Date.now() + 15_000;
      while (arrived < viewers && Date.now() < end) await new Promise((r) => setTimeout(r, 1));
    };
    for (let i = 0; i < 5; i++) await send(i); // warm-up, not profiled
    const cpu0 = cpuNs(workerd);
    await c.send('Profiler.start');
    for (let i = 0; i < commands; i++) await send(i);
    const { profile } = /** @type {any} */ (await c.send('Profiler.stop'));
    const cpu1 = cpuNs(workerd);
    c.close();
    return {
      viewers,
      commands,
      processUsPerCommand: (cpu1 - cpu0) / commands / 1000,
      ...attribute(profile, new TraceMap(fs.readFileSync(path.join(w.bundle, 'index.js.map'), 'utf8')), commands),
    };
  } finally {
    for (const s of sockets) s.terminate();
    await w.stop();
  }
}

/**
 * Self time per bucket: each sample goes to the first bucket matching its frame or an ancestor's (natives such as
 * ws.send or sql.exec have no source, so they count with their JS caller). µs per command.
 * @param {any} profile @param {TraceMap} map @param {number} commands
 */
function attribute(profile, map, commands) {
  /** @type {Map<number, any>} */
  const nodes = new Map(profile.nodes.map((/** @type {any} */ n) => [n.id, n]));
  /** @type {Map<number, number>} */
  const parent = new Map();
  for (const n of profile.nodes) for (const ch of n.children ?? []) parent.set(ch, n.id);
  /** @type {Map<string, string | null>} */
  const sourceCache = new Map();
  const sourceOf = (/** @type {any} */ f) => {
    if (!f.url || f.lineNumber < 0) return null;
    const key = `${f.lineNumber}:${f.columnNumber}`;
    if (!sourceCache.has(key)) {
      const o = originalPositionFor(map, { line: f.lineNumber + 1, column: f.columnNumber });
      sourceCache.set(key, o.source ?? null);
    }
    return sourceCache.get(key) ?? null;
  };
  /** @type {Map<number, string>} */
  const bucketOf = new Map();
  const bucket = (/** @type {number} */ id) => {
    const hit = bucketOf.get(id);
    if (hit) return hit;
    const n = nodes.get(id);
    const name = n.callFrame.functionName;
    let b;
    if (name === '(garbage collector)') b = 'garbage collection';
    else if (name === '(idle)') b = '(idle: waiting for I/O)';
    else if (name === '(program)') b = '(program: V8/runtime native outside a JS frame)';
    else if (name === '(root)') b = '(root: isolate busy outside any JS frame)';
    else {
      const src = sourceOf(n.callFrame);
      const found = src ? BUCKETS.find(([, re]) => re.test(src)) : undefined;
      if (found) b = found[0];
      else if (src) b = `other: ${src.replace(/^.*node_modules\//, '')}`;
      else {
        const up = parent.get(id);
        b = up === undefined ? 'unattributed native' : bucket(up);
      }
    }
    bucketOf.set(id, b);
    return b;
  };
  // The function itself (a native by its own name, placed at its JS caller's source), for the top list.
  const frameName = (/** @type {number} */ id) => {
    const n = nodes.get(id);
    let src = sourceOf(n.callFrame);
    for (let up = parent.get(id); !src && up !== undefined; up = parent.get(up))
      src = sourceOf(nodes.get(up).callFrame);
    const o =
      n.callFrame.url && n.callFrame.lineNumber >= 0
        ? originalPositionFor(map, { line: n.callFrame.lineNumber + 1, column: n.callFrame.columnNumber })
        : null;
    const name = o?.name ?? n.callFrame.functionName ?? '';
    return `${name || '(anonymous)'} — ${(src ?? '?').replace(/^.*kt-bench-snap-[^/]+\//, '').replace(/^.*node_modules\//, '')}${o?.line ? `:${o.line}` : ''}`;
  };
  /** @type {Map<string, number>} */
  const us = new Map();
  /** @type {Map<string, number>} */
  const fn = new Map();
  const deltas = profile.timeDeltas ?? [];
  profile.samples.forEach((/** @type {number} */ id, /** @type {number} */ i) => {
    const b = bucket(id);
    const dt = deltas[i + 1] ?? deltas[i] ?? 0;
    us.set(b, (us.get(b) ?? 0) + dt);
    if (!b.startsWith('(idle')) {
      const f = frameName(id);
      fn.set(f, (fn.get(f) ?? 0) + dt);
    }
  });
  // Sampled time is wall time while the isolate runs: on a loaded machine it includes time the thread waited for a
  // core. Shares of the busy (non-idle) samples are what the profile shows; µs come from the process's real CPU.
  const busy = [...us].filter(([k]) => !k.startsWith('(idle')).reduce((s, [, t]) => s + t, 0);
  const rows = [...us]
    .filter(([k]) => !k.startsWith('(idle'))
    .map(([name, t]) => ({ name, share: t / busy }))
    .sort((a, b) => b.share - a.share);
  const top = [...fn]
    .map(([name, t]) => ({ name, share: t / busy }))
    .sort((a, b) => b.share - a.share)
    .slice(0, 25);
  return {
    rows,
    top,
    sampledBusyUsPerCommand: busy / commands,
    idleUsPerCommand: (us.get('(idle: waiting for I/O)') ?? 0) / commands,
  };
}

/** @param {Awaited<ReturnType<typeof run>>} r */
export function print(r) {
  console.log(`\nProfile of ${r.commands} adjust commands, ${r.viewers} viewers, one workerd (deploy bundle)`);
  console.log(`workerd process CPU per command (/proc schedstat): ${fmt(r.processUsPerCommand, 0)} µs`);
  console.log(
    `isolate busy per command, sampled (wall time, inflated by a loaded machine): ${fmt(r.sampledBusyUsPerCommand, 0)} µs`,
  );
  console.log('share of the busy samples  ≈ µs of the process CPU per command  bucket');
  for (const row of r.rows)
    console.log(
      `  ${fmt(100 * row.share, 1).padStart(5)}%  ${fmt(row.share * r.processUsPerCommand, 0).padStart(7)} µs  ${row.name}`,
    );
  console.log('top functions (self time, natives at their caller):');
  for (const row of r.top) console.log(`  ${fmt(100 * row.share, 1).padStart(5)}%  ${row.name}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { viewers: { type: 'string' }, commands: { type: 'string' }, json: { type: 'string' } },
  });
  const r = await run({
    viewers: values.viewers ? Number(values.viewers) : undefined,
    commands: values.commands ? Number(values.commands) : undefined,
  });
  print(r);
  if (values.json) fs.writeFileSync(values.json, JSON.stringify(r, null, 2));
  process.exit(0);
}
