// The two designs behind one shape for bench/compare.mjs: start a server, make a room, open viewers that
// count what they receive, send commands, read wake-ups, name the server processes to measure.
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { spawnBaseline } from './baseline/spawn.mjs';
import { startPrivateRedis } from './baseline/redis-server.mjs';
import { startSnapshotWorker } from './compare-worker.mjs';
import { api, makeOwnerAndRoom } from './lib.mjs';
import { descendants } from './proc-stats.mjs';

/**
 * Traffic counted by every viewer of one run, summed.
 * rx: frames and payload bytes received; keepalive: of those, transport keepalives (engine.io ping);
 * tx: frames and bytes the clients had to send (engine.io pong; ours sends none); wsPings: protocol-level pings;
 * dropped: viewers whose connection closed after they had joined (the harness never closes them before the end).
 */
export function newTraffic() {
  return { rxFrames: 0, rxBytes: 0, keepaliveFrames: 0, txFrames: 0, txBytes: 0, wsPings: 0, dropped: 0 };
}
/** @typedef {ReturnType<typeof newTraffic>} Traffic */
/** @typedef {(viewer: number, version: number) => void} OnVersion */
/**
 * @typedef {object} Target
 * @property {string} name
 * @property {string} url the server's HTTP base
 * @property {() => Array<{ role: string, pids: number[] }>} processes looked up afresh on each call
 * @property {string} [commit] the commit a snapshot server runs
 * @property {(i: number, traffic: Traffic, onVersion: OnVersion, timeoutMs: number) => Promise<{ close: () => void }>} openViewer resolves on the initial state
 * @property {() => Promise<number>} version the room's current version
 * @property {(action: 'start' | 'pause' | 'resume' | 'adjust', deltaMs?: number) => Promise<number>} command the new version
 * @property {() => Promise<number>} wakeups
 * @property {string} wakeupSource
 * @property {() => Promise<void>} stop
 */

const byteLength = (/** @type {unknown} */ d) =>
  typeof d === 'string'
    ? Buffer.byteLength(d)
    : Buffer.isBuffer(d)
      ? d.length
      : Array.isArray(d)
        ? d.reduce((n, b) => n + b.length, 0)
        : /** @type {ArrayBuffer} */ (d).byteLength;

/** @param {number} ms @param {string} what */
const timeout = (ms, what) =>
  new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms).unref());

/** Keeptime under `wrangler dev`: the room's Durable Object, viewers on the viewer WebSocket (`ws`). @returns {Promise<Target>} */
export async function startOurs() {
  const worker = await startSnapshotWorker({ vars: { COUNT_WAKEUPS: '1' } });
  const base = worker.base;
  const admin = await api(base, 'POST', '/api/auth/signup', {
    email: 'admin@keeptime.test',
    password: 'bench-password',
    name: 'Admin',
  });
  if (admin.status !== 201) throw new Error(`admin signup: ${admin.status} ${JSON.stringify(admin.json)}`);
  const { token, room, links, timers } = await makeOwnerAndRoom(base);
  const timerId = timers[0].id;
  const wsUrl = `${base.replace('http', 'ws')}/api/rooms/${room.id}/ws?token=${links.viewer}`;
  return {
    name: 'ours',
    url: base,
    commit: worker.commit,
    // wrangler dev runs two workerd processes: its proxy (the port we talk to) and the Worker's runtime; both carry
    // the traffic, so the server is their sum. wrangler's Node processes are listed apart.
    processes: () => {
      const tree = descendants(worker.pid);
      return [
        { role: 'server', pids: tree.filter((p) => p.comm.startsWith('workerd')).map((p) => p.pid) },
        {
          role: 'wrangler (node)',
          pids: [worker.pid, ...tree.filter((p) => p.comm.startsWith('node')).map((p) => p.pid)],
        },
      ];
    },
    openViewer(_i, traffic, onVersion, timeoutMs) {
      // No permessage-deflate: the Socket.IO server does not enable it by default, so neither design compresses.
      // (The ws client offers it by default and workerd accepts it, which made every frame cost a deflate in
      // workerd and an inflate in this load generator.)
      const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
      let joined = false;
      const ready = new Promise((resolve, reject) => {
        ws.on('message', (data) => {
          traffic.rxFrames++;
          traffic.rxBytes += byteLength(data);
          const text = String(data);
          // Presence counts arrive on every join (O(viewers²) in all): skip parsing them, they carry no new version.
          if (text.startsWith('{"type":"user-count"')) return;
          const msg = JSON.parse(text);
          if (typeof msg.version === 'number') onVersion(_i, msg.version);
          if (!joined && msg.type === 'room-state') {
            joined = true;
            resolve(undefined);
          }
        });
        ws.on('ping', () => traffic.wsPings++);
        ws.once('error', reject);
        ws.once('close', () => (joined ? traffic.dropped++ : reject(new Error('closed before room-state'))));
      });
      return Promise.race([ready, timeout(timeoutMs, 'viewer join')]).then(
        () => ({
          close: () => {
            ws.removeAllListeners('close');
            ws.terminate();
          },
        }),
        (err) => {
          ws.terminate();
          throw err;
        },
      );
    },
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
      if (res.status !== 200) throw new Error(`ours ${action}: ${res.status} ${JSON.stringify(res.json)}`);
      return res.json.version;
    },
    async wakeups() {
      const res = await api(base, 'GET', `/api/ops/objects/room/${room.id}/wakeups`, undefined, admin.json.token);
      if (res.status !== 200) throw new Error(`wakeups: ${res.status} ${JSON.stringify(res.json)}`);
      const w = res.json.wakeups;
      return w.alarm + w.message + w.fetch;
    },
    wakeupSource: "room DO's alarm + webSocketMessage + fetch invocations (COUNT_WAKEUPS=1)",
    stop: () => worker.stop(),
  };
}

/** The Socket.IO baseline in its own Node process with a private redis-server; viewers on socket.io-client (websocket only). @returns {Promise<Target>} */
export async function startBaselineTarget() {
  const redis = await startPrivateRedis();
  const server = await spawnBaseline({ redisUrl: redis.url }).catch(async (err) => {
    await redis.stop();
    throw err;
  });
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
    processes: () => [
      { role: 'server', pids: [server.pid] },
      { role: 'redis-server', pids: [redis.pid] },
    ],
    openViewer(i, traffic, onVersion, timeoutMs) {
      // forceNew: one connection per viewer (socket.io-client otherwise multiplexes sockets to one URL).
      const socket = io(server.url, { transports: ['websocket'], forceNew: true, reconnection: false });
      socket.io.on('open', () => {
        const ws = /** @type {any} */ (socket.io.engine.transport).ws;
        ws.addEventListener('message', (/** @type {{ data: unknown }} */ ev) => {
          traffic.rxFrames++;
          traffic.rxBytes += byteLength(ev.data);
          if (ev.data === '2') traffic.keepaliveFrames++;
        });
        const send = ws.send.bind(ws);
        ws.send = (/** @type {unknown} */ data, /** @type {unknown[]} */ ...rest) => {
          traffic.txFrames++;
          traffic.txBytes += byteLength(data);
          return send(data, ...rest);
        };
      });
      const versioned = (/** @type {{ version?: number }} */ p) =>
        typeof p?.version === 'number' && onVersion(i, p.version);
      socket.on('timer-update', versioned);
      const ready = new Promise((resolve, reject) => {
        socket.on('room-state', (p) => {
          versioned(p);
          resolve(undefined);
        });
        socket.once('connect', () => socket.emit('join-room', { roomId }));
        socket.on('disconnect', (reason) => reason !== 'io client disconnect' && traffic.dropped++);
        socket.once('connect_error', reject);
        socket.once('error', (e) => reject(new Error(`join: ${JSON.stringify(e)}`)));
      });
      return Promise.race([ready, timeout(timeoutMs, 'viewer join')]).then(
        () => ({ close: () => socket.disconnect() }),
        (err) => {
          socket.disconnect();
          throw err;
        },
      );
    },
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
