// One load-generator process of bench/compare.mjs (forked, IPC). It holds a share of the viewers of every target and
// answers, per target, "when did each of your viewers first hold version ≥ v" in process.hrtime (CLOCK_MONOTONIC,
// the same clock in every process on the machine), so the parent can time a command to the last viewer of all.
// Messages in: {op:'open', target, spec, count, batch, timeoutMs, deadline?, deadlineS?} | {op:'wait', id, target, version, timeoutMs}
//              | {op:'traffic'} | {op:'close', target}
// Messages out: {op:'opened', target, joined, failed, error?, stopped?} | {op:'reached', id, first, last, missing}
//               | {op:'traffic', byTarget} (each reply carries the request's `id` or `target`)
import { io } from 'socket.io-client';
import WebSocket from 'ws';

const RING = 8; // versions remembered per viewer: enough for a wait that arrives after its version did

/** @typedef {{ kind: 'ws', url: string } | { kind: 'sio', url: string, roomId: string }} Spec */
/**
 * @typedef {object} Group
 * @property {Array<{ close: () => void }>} open
 * @property {Float64Array} versions ring of versions per viewer
 * @property {Float64Array} times ring of arrival times (ns, as Number) per viewer
 * @property {Int32Array} heads
 * @property {Uint8Array} joined 1 once a viewer has its initial state
 * @property {Array<{ id: number, version: number, remaining: number, first: number, last: number, counted: Uint8Array, timer: NodeJS.Timeout }>} waits
 * @property {{ rxFrames: number, rxBytes: number, keepaliveFrames: number, txFrames: number, wsPings: number, dropped: number }} traffic
 */
/** @type {Map<string, Group>} */
const groups = new Map();

const now = () => Number(process.hrtime.bigint());
const byteLength = (/** @type {any} */ d) =>
  typeof d === 'string' ? Buffer.byteLength(d) : Array.isArray(d) ? d.reduce((n, b) => n + b.length, 0) : d.length;

/** A viewer of `g` saw `version` now. @param {Group} g @param {number} i @param {number} version */
function seen(g, i, version) {
  const base = i * RING;
  const last = g.versions[base + ((g.heads[i] + RING - 1) % RING)];
  if (version <= last) return;
  const t = now();
  g.versions[base + g.heads[i]] = version;
  g.times[base + g.heads[i]] = t;
  g.heads[i] = (g.heads[i] + 1) % RING;
  for (let k = g.waits.length - 1; k >= 0; k--) {
    const w = g.waits[k];
    if (version >= w.version && !w.counted[i]) {
      w.counted[i] = 1;
      if (t < w.first) w.first = t;
      if (t > w.last) w.last = t;
      if (--w.remaining === 0) finish(g, w);
    }
  }
}

/** @param {Group} g @param {Group['waits'][number]} w */
function finish(g, w) {
  clearTimeout(w.timer);
  g.waits.splice(g.waits.indexOf(w), 1);
  process.send?.({ op: 'reached', id: w.id, first: w.first, last: w.last, missing: w.remaining });
}

/** @param {Spec} spec @param {Group} g @param {number} i @param {number} timeoutMs */
function openViewer(spec, g, i, timeoutMs) {
  return new Promise((resolve, reject) => {
    let joined = false;
    let failed = false;
    const fail = (/** @type {Error} */ e) => {
      clearTimeout(timer);
      failed = true;
      reject(e);
    };
    const timer = setTimeout(() => fail(new Error('join timed out')), timeoutMs);
    const ok = (/** @type {() => void} */ close) => {
      clearTimeout(timer);
      if (failed) return close(); // too late: it does not count
      joined = true;
      g.joined[i] = 1;
      resolve({ close });
    };
    if (spec.kind === 'ws') {
      // No permessage-deflate: no design compresses (the Socket.IO server does not by default).
      const ws = new WebSocket(spec.url, { perMessageDeflate: false });
      ws.on('message', (data) => {
        g.traffic.rxFrames++;
        g.traffic.rxBytes += byteLength(data);
        const text = String(data);
        // Presence counts arrive on every join (O(viewers²) in all) and carry no new version: not parsed.
        if (text.startsWith('{"type":"user-count"')) return;
        const msg = JSON.parse(text);
        if (typeof msg.version === 'number') seen(g, i, msg.version);
        if (!joined && msg.type === 'room-state')
          ok(() => {
            ws.removeAllListeners('close');
            ws.terminate();
          });
      });
      ws.on('ping', () => g.traffic.wsPings++);
      ws.on('error', (e) => !joined && fail(e));
      ws.on('close', () => (joined ? g.traffic.dropped++ : fail(new Error('closed before room-state'))));
      return;
    }
    // forceNew: one connection per viewer (socket.io-client otherwise multiplexes sockets to one URL).
    // timeout: the join deadline, not socket.io-client's 20 s default (a loaded machine accepts slowly).
    const socket = io(spec.url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: timeoutMs });
    socket.io.on('open', () => {
      const ws = /** @type {any} */ (socket.io.engine.transport).ws;
      ws.addEventListener('message', (/** @type {{ data: unknown }} */ ev) => {
        g.traffic.rxFrames++;
        g.traffic.rxBytes += byteLength(ev.data);
        if (ev.data === '2') g.traffic.keepaliveFrames++;
      });
      const send = ws.send.bind(ws);
      ws.send = (/** @type {unknown} */ data, /** @type {unknown[]} */ ...rest) => {
        g.traffic.txFrames++;
        return send(data, ...rest);
      };
    });
    const versioned = (/** @type {{ version?: number }} */ p) =>
      typeof p?.version === 'number' && seen(g, i, p.version);
    socket.on('timer-update', versioned);
    socket.on('room-state', (p) => {
      versioned(p);
      if (!joined) ok(() => socket.disconnect());
    });
    socket.once('connect', () => socket.emit('join-room', { roomId: spec.roomId }));
    socket.on('disconnect', (reason) => joined && reason !== 'io client disconnect' && g.traffic.dropped++);
    socket.once('connect_error', (e) => fail(e));
  });
}

process.on('message', async (/** @type {any} */ m) => {
  if (m.op === 'open') {
    /** @type {Group} */
    const g = {
      open: [],
      versions: new Float64Array(m.count * RING).fill(-1),
      times: new Float64Array(m.count * RING),
      heads: new Int32Array(m.count),
      joined: new Uint8Array(m.count),
      waits: [],
      traffic: { rxFrames: 0, rxBytes: 0, keepaliveFrames: 0, txFrames: 0, wsPings: 0, dropped: 0 },
    };
    groups.set(m.target, g);
    let failed = 0;
    let error;
    /** Why this process stopped opening viewers before `count` (the join deadline), if it did. */
    let stopped;
    for (let i = 0; i < m.count; i += m.batch) {
      if (m.deadline && Date.now() > m.deadline) {
        stopped = `join deadline: ${i} of ${m.count} opened in ${Math.round(m.deadlineS)} s`;
        break;
      }
      const batch = await Promise.allSettled(
        Array.from({ length: Math.min(m.batch, m.count - i) }, (_, k) => openViewer(m.spec, g, i + k, m.timeoutMs)),
      );
      let batchFailed = 0;
      for (const r of batch) {
        if (r.status === 'fulfilled') g.open.push(/** @type {any} */ (r.value));
        else {
          failed++;
          batchFailed++;
          error ??= String(r.reason?.message ?? r.reason);
        }
      }
      // A whole batch refused (e.g. EMFILE: the open-files limit, or the server's cap): more would only fail the same way.
      if (batchFailed === batch.length) {
        stopped = `a whole batch failed at ${i + batch.length} of ${m.count}: ${error}`;
        break;
      }
    }
    process.send?.({ op: 'opened', target: m.target, joined: g.open.length, failed, error, stopped });
  } else if (m.op === 'wait') {
    const g = /** @type {Group} */ (groups.get(m.target));
    const n = g.heads.length;
    const w = {
      id: m.id,
      version: m.version,
      remaining: n,
      first: Infinity,
      last: -Infinity,
      counted: new Uint8Array(n),
      timer: setTimeout(() => finish(g, w), m.timeoutMs),
    };
    // Viewers that already hold the version (it can arrive before this message does) count at their arrival time;
    // viewers that never joined do not count at all.
    for (let i = 0; i < n; i++) {
      if (!g.joined[i]) {
        w.counted[i] = 1;
        w.remaining--;
        continue;
      }
      let best = Infinity;
      for (let k = 0; k < RING; k++)
        if (g.versions[i * RING + k] >= m.version) best = Math.min(best, g.times[i * RING + k]);
      if (best === Infinity) continue;
      w.counted[i] = 1;
      w.remaining--;
      if (best < w.first) w.first = best;
      if (best > w.last) w.last = best;
    }
    g.waits.push(w);
    if (w.remaining === 0 || n === 0) finish(g, w);
  } else if (m.op === 'traffic') {
    process.send?.({
      op: 'traffic',
      id: m.id,
      byTarget: Object.fromEntries([...groups].map(([k, g]) => [k, g.traffic])),
    });
  } else if (m.op === 'close') {
    const g = groups.get(m.target);
    for (const v of g?.open ?? []) v.close();
    groups.delete(m.target);
    process.send?.({ op: 'closed', target: m.target });
  }
});
