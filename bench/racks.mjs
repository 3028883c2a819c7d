// Racks: claim latency under 200 concurrent claimers (one rack, and spread over every rack), batch sync
// throughput for 100-record batches (sequential, and 2 in parallel like the client), heartbeat latency, and
// how long 1,000 queued offline records take to drain after reconnect (the site's own SyncManager, run in
// Node). Each figure sits next to a baseline measured in the same run at the same concurrency: GET /health
// (the floor of any request) and a plain rack status read (the same objects, no write).
// Standalone: `node --experimental-transform-types --no-warnings bench/racks.mjs` (starts its own Worker).
import { pathToFileURL } from 'node:url';
import { fmt, median, quantile, startWorker } from './lib.mjs';

const CLAIMERS = 200;
const ROUNDS = 3;
const BATCH = 100;
const BATCHES = 10;
const HEARTBEATS = 200;
const QUEUED = 1_000;
const DRAIN_TIMEOUT_MS = 120_000;
const FLOORS = { ground: 'G', first: 'F' };
const RACKS = Object.entries(FLOORS).flatMap(([floor, p]) =>
  Array.from({ length: 12 }, (_, i) => ({ rackId: `${p}${String(i + 1).padStart(2, '0')}`, floor })),
);

/** Answers lost to a wrangler dev reload (it watches the source tree); such a request is sent again. */
export const reloads = { count: 0 };

/** One timed request; throws on a network failure, never on a status. */
async function timed(base, method, route, body, token) {
  for (let attempt = 0; ; attempt++) {
    const t0 = performance.now();
    const res = await fetch(base + route, {
      method,
      headers: {
        ...(body === undefined ? { 'X-Keeptime': '1' } : { 'Content-Type': 'application/json' }),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (text.startsWith('Your worker restarted') && attempt < 5) {
      reloads.count++;
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = { raw: text.slice(0, 200) };
    }
    return { ms: performance.now() - t0, status: res.status, json };
  }
}

const stats = (ms) => ({ n: ms.length, p50: median(ms), p99: quantile(ms, 0.99) });

/** `n` users, signed up a few at a time (PBKDF2 is deliberately slow). */
async function users(base, n) {
  const out = [];
  const one = async (i) => {
    const r = await timed(base, 'POST', '/api/auth/signup', {
      email: `bench-rack-${Date.now()}-${i}-${Math.random().toString(36).slice(2, 8)}@keeptime.test`,
      password: 'bench-password',
      name: `Claimer ${i}`,
    });
    if (r.status !== 201) throw new Error(`signup: ${r.status} ${JSON.stringify(r.json)}`);
    return { token: r.json.token, id: r.json.user.id };
  };
  for (let i = 0; i < n; i += 8)
    out.push(...(await Promise.all(Array.from({ length: Math.min(8, n - i) }, (_, j) => one(i + j)))));
  return out;
}

const claimBody = (rackId) => ({ floor: RACKS.find((r) => r.rackId === rackId).floor });

async function releaseAll(base, answers) {
  await Promise.all(
    answers
      .filter((a) => a.status === 200)
      .map((a) =>
        timed(
          base,
          'POST',
          `/api/racks/${a.json.rack_id}/release`,
          { session_id: a.json.session_id, fencing_token: a.json.fencing_token },
          a.token,
        ),
      ),
  );
}

/** 200 claimers at once, ROUNDS times, on one rack or spread over all 24; plus the same burst of reads as baselines. */
async function claims(base, claimers) {
  const out = {};
  for (const mode of ['one', 'spread']) {
    const ms = [];
    let winners = 0;
    let refused = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const answers = await Promise.all(
        claimers.map(async (u, i) => {
          const rackId = mode === 'one' ? 'G01' : RACKS[i % RACKS.length].rackId;
          return {
            ...(await timed(base, 'POST', `/api/racks/${rackId}/claim`, claimBody(rackId), u.token)),
            token: u.token,
          };
        }),
      );
      for (const a of answers) {
        ms.push(a.ms);
        if (a.status === 200) winners++;
        else if (a.status === 409 && a.json?.error?.code === 'rack_claimed') refused++;
        else throw new Error(`claim: ${a.status} ${JSON.stringify(a.json)}`);
      }
      await releaseAll(base, answers);
    }
    out[mode] = { ...stats(ms), winners, refused, racks: mode === 'one' ? 1 : RACKS.length };
  }
  const burst = async (route, token) => {
    const ms = [];
    for (let round = 0; round < ROUNDS; round++)
      ms.push(
        ...(await Promise.all(
          claimers.map((u) => timed(base, 'GET', route, undefined, token ?? u.token).then((r) => r.ms)),
        )),
      );
    return stats(ms);
  };
  out.health = await burst('/health');
  out.status = await burst('/api/racks/G01/status');
  return out;
}

let seq = 0;
const record = (tag) => {
  const now = Date.now();
  const id = `${tag}-${(seq++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  return {
    client_record_id: id,
    item_code: `ITEM-${id}`,
    verified_qty: 1 + (seq % 5),
    damage_qty: seq % 7 === 0 ? 1 : 0,
    serial_numbers: [`SN-${id}`],
    status: 'verified',
    created_at: now - 1000,
    updated_at: now,
  };
};

async function claimed(base, user, rackId) {
  const c = await timed(base, 'POST', `/api/racks/${rackId}/claim`, claimBody(rackId), user.token);
  if (c.status !== 200) throw new Error(`claim ${rackId}: ${c.status} ${JSON.stringify(c.json)}`);
  return { session_id: c.json.session_id, fencing_token: c.json.fencing_token, rack_id: rackId };
}

/** 10 batches of 100 on a fresh rack, one at a time and 2 in flight; baseline: the same requests with no records. */
async function sync(base, user) {
  const out = {};
  for (const [mode, rackId, parallel] of [
    ['sequential', 'G02', 1],
    ['parallel', 'G03', 2],
  ]) {
    const l = await claimed(base, user, rackId);
    const batches = Array.from({ length: BATCHES }, () => Array.from({ length: BATCH }, () => record(mode)));
    const ms = [];
    let accepted = 0;
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        for (let i = next++; i < batches.length; i = next++) {
          const r = await timed(
            base,
            'POST',
            '/api/sync/batch',
            { session_id: l.session_id, fencing_token: l.fencing_token, records: batches[i] },
            user.token,
          );
          if (r.status !== 200) throw new Error(`sync: ${r.status} ${JSON.stringify(r.json)}`);
          accepted += r.json.accepted.length;
          ms.push(r.ms);
        }
      }),
    );
    const wall = performance.now() - t0;
    const empty = [];
    for (let i = 0; i < BATCHES; i++)
      empty.push(
        (
          await timed(
            base,
            'POST',
            '/api/sync/batch',
            { session_id: l.session_id, fencing_token: l.fencing_token, records: [] },
            user.token,
          )
        ).ms,
      );
    out[mode] = {
      records: accepted,
      wallMs: wall,
      perSecond: (accepted / wall) * 1000,
      batch: stats(ms),
      firstMs: ms[0],
      lastMs: ms[ms.length - 1],
      emptyP50: median(empty),
    };
    await timed(
      base,
      'POST',
      `/api/racks/${rackId}/release`,
      { session_id: l.session_id, fencing_token: l.fencing_token },
      user.token,
    );
  }
  return out;
}

/** 200 heartbeats one after another; baselines: status reads of the same rack and /health, also sequential. */
async function heartbeats(base, user) {
  const l = await claimed(base, user, 'G04');
  const hb = [];
  const status = [];
  const health = [];
  for (let i = 0; i < HEARTBEATS; i++) {
    const r = await timed(
      base,
      'POST',
      `/api/rack-sessions/${encodeURIComponent(l.session_id)}/heartbeat`,
      { fencing_token: l.fencing_token },
      user.token,
    );
    if (r.status !== 200) throw new Error(`heartbeat: ${r.status} ${JSON.stringify(r.json)}`);
    hb.push(r.ms);
    status.push((await timed(base, 'GET', '/api/racks/G04/status', undefined, user.token)).ms);
    health.push((await timed(base, 'GET', '/health')).ms);
  }
  await timed(
    base,
    'POST',
    '/api/racks/G04/release',
    { session_id: l.session_id, fencing_token: l.fencing_token },
    user.token,
  );
  return { heartbeat: stats(hb), status: stats(status), health: stats(health) };
}

/**
 * The browser's sync manager (site/src/lib/racks/sync.ts) in Node: an in-memory queue stands in for IndexedDB,
 * `navigator.onLine` and the window's online event are shimmed, and relative fetches go to the Worker with
 * the user's token. 1,000 records are queued while offline; the clock starts when the browser comes back.
 */
async function offlineDrain(base, user) {
  const { SyncManager, BATCH_SIZE, MAX_IN_FLIGHT } = await import('../site/src/lib/racks/sync.ts');
  const l = await claimed(base, user, 'G05');
  const records = Array.from({ length: QUEUED }, () => ({ ...record('offline'), session_id: l.session_id, synced: 0 }));
  const queue = {
    all: async (sessionId) => records.filter((r) => r.session_id === sessionId),
    add: async (r) => void records.push(r),
    markSynced: async (ids) => {
      const set = new Set(ids);
      for (const r of records) if (set.has(r.client_record_id)) r.synced = 1;
    },
  };
  const win = new EventTarget();
  let online = false;
  const saved = {
    fetch: globalThis.fetch,
    add: globalThis.addEventListener,
    remove: globalThis.removeEventListener,
    onLine: Object.getOwnPropertyDescriptor(navigator, 'onLine'),
  };
  let requests = 0;
  globalThis.addEventListener = win.addEventListener.bind(win);
  globalThis.removeEventListener = win.removeEventListener.bind(win);
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => online });
  globalThis.fetch = (url, init = {}) => {
    if (typeof url !== 'string' || !url.startsWith('/')) return saved.fetch(url, init);
    requests++;
    return saved.fetch(base + url, { ...init, headers: { ...init.headers, Authorization: `Bearer ${user.token}` } });
  };
  let manager;
  try {
    let resolveDone;
    const done = new Promise((r) => (resolveDone = r));
    let lost = false;
    let last = null;
    manager = new SyncManager({
      queue,
      lease: { session_id: l.session_id, fencing_token: l.fencing_token },
      onChange: (s) => {
        last = s;
        if (s.total === QUEUED && s.synced === QUEUED) resolveDone(performance.now());
      },
      onLeaseLost: () => (lost = true),
    });
    await manager.start();
    if (requests !== 0) throw new Error('the manager sent while offline');
    online = true;
    const t0 = performance.now();
    win.dispatchEvent(new Event('online'));
    const t1 = await Promise.race([done, new Promise((r) => setTimeout(() => r(NaN), DRAIN_TIMEOUT_MS))]);
    if (lost) throw new Error('lease lost during the drain');
    const stored = await timed(
      base,
      'GET',
      `/api/rack-sessions/${encodeURIComponent(l.session_id)}/stats`,
      undefined,
      user.token,
    );
    return {
      queued: QUEUED,
      batchSize: BATCH_SIZE,
      inFlight: MAX_IN_FLIGHT,
      ms: t1 - t0,
      requests,
      synced: last?.synced ?? 0,
      stored: stored.json?.total_items ?? null,
    };
  } finally {
    manager?.stop();
    globalThis.fetch = saved.fetch;
    globalThis.addEventListener = saved.add;
    globalThis.removeEventListener = saved.remove;
    if (saved.onLine) Object.defineProperty(navigator, 'onLine', saved.onLine);
    else delete navigator.onLine;
    await timed(
      base,
      'POST',
      '/api/racks/G05/release',
      { session_id: l.session_id, fencing_token: l.fencing_token },
      user.token,
    );
  }
}

export async function run(base) {
  const claimers = await users(base, CLAIMERS);
  const [worker] = claimers;
  return {
    claims: await claims(base, claimers),
    sync: await sync(base, worker),
    heartbeats: await heartbeats(base, worker),
    drain: await offlineDrain(base, worker),
    reloads: reloads.count,
  };
}

export function print(r) {
  const c = r.claims;
  const ms = (s) => `p50 ${fmt(s.p50)} ms   p99 ${fmt(s.p99)} ms`;
  console.log(`\nRack claims: ${CLAIMERS} concurrent claimers × ${ROUNDS} rounds (HTTP, loopback)`);
  for (const mode of ['one', 'spread']) {
    const x = c[mode];
    console.log(
      `  ${mode === 'one' ? 'one rack       ' : `over ${x.racks} racks`}  ${ms(x)}   winners ${x.winners} (${fmt(x.winners / ROUNDS, 0)}/round), refused ${x.refused}`,
    );
  }
  console.log(`  baseline, same bursts: GET /health ${ms(c.health)}; rack status read ${ms(c.status)}`);
  console.log(
    `  ratio claim p50 ÷ status-read p50: one rack ${fmt(c.one.p50 / c.status.p50, 2)}, spread ${fmt(c.spread.p50 / c.status.p50, 2)}`,
  );
  console.log(`\nBatch sync: ${BATCHES} batches of ${BATCH} records on a fresh rack`);
  for (const mode of ['sequential', 'parallel']) {
    const s = r.sync[mode];
    console.log(
      `  ${mode === 'sequential' ? 'one at a time ' : '2 in parallel '} ${fmt(s.perSecond, 0)} records/s   batch ${ms(s.batch)}   first ${fmt(s.firstMs)} ms, last ${fmt(s.lastMs)} ms`,
    );
  }
  console.log(`  baseline: an empty batch (same route, same lease) p50 ${fmt(r.sync.sequential.emptyP50)} ms`);
  const h = r.heartbeats;
  console.log(`\nHeartbeats: ${HEARTBEATS} sequential   ${ms(h.heartbeat)}`);
  console.log(
    `  baseline: rack status read ${ms(h.status)}; GET /health ${ms(h.health)}   ratio heartbeat p50 ÷ status p50 = ${fmt(h.heartbeat.p50 / h.status.p50, 2)}`,
  );
  const d = r.drain;
  console.log(
    `\nOffline queue drain after reconnect (site SyncManager: batches of ${d.batchSize}, ${d.inFlight} in flight)`,
  );
  console.log(
    `  ${d.synced}/${d.queued} synced in ${fmt(d.ms, 0)} ms (${d.requests} requests, ${fmt((d.synced / d.ms) * 1000, 0)} records/s; server holds ${d.stored})`,
  );
  console.log(
    `  baseline: ${d.queued} records at the measured 2-in-parallel rate would take ${fmt((d.queued / r.sync.parallel.perSecond) * 1000, 0)} ms`,
  );
  if (r.reloads > 0)
    console.log(`\n(note: ${r.reloads} request(s) were resent after a wrangler dev reload during the run)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const worker = await startWorker();
  try {
    console.log(`Keeptime rack benchmarks — ${new Date().toISOString()} — worker at ${worker.base}`);
    print(await run(worker.base));
  } finally {
    await worker.stop();
  }
  process.exit(0);
}
