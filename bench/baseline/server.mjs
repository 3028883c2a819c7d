// The Socket.IO baseline: Express + Socket.IO + ioredis, in the seeds' architecture — HTTP commands under a
// Redis lock, state in Redis, a 1 s setInterval per running room broadcasting `timer-update`. A benchmark
// fixture only, never part of the app. CLI: node bench/baseline/server.mjs [--port N] [--redis redis://…]
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import express from 'express';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { startPrivateRedis } from './redis-server.mjs';
import { LockTimeout, roomStore } from './room-store.mjs';
import { ACTIONS, MAX_DURATION_MS, apply, finish, newRoom, view } from './room-timer.mjs';

const TICK_MS = 1000;
const ROOM_ID = /^[A-Za-z0-9_-]{1,64}$/;

class HttpError extends Error {
  /** @param {number} status @param {string} code @param {string} message */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * Starts the baseline on `port` (0: a free one). Without `redisUrl` it starts a private redis-server and stops it on stop().
 * `presenceCoalesceMs` (default 0: the seed's design, a `user-count` to the whole room on every join and leave, O(N²)
 * frames to fill a room): when > 0, at most one `user-count` per room per that many ms, as Keeptime's rooms do. The
 * compare bench sets it for rooms of 5,000 and more, where the seed's O(N²) would take many minutes to fill the room.
 * @param {{ port?: number, redisUrl?: string, presenceCoalesceMs?: number }} [options]
 */
export async function startBaseline({ port = 0, redisUrl, presenceCoalesceMs = 0 } = {}) {
  const ownRedis = redisUrl ? null : await startPrivateRedis();
  const redis = new Redis(redisUrl ?? /** @type {{url: string}} */ (ownRedis).url);
  const store = roomStore(redis);
  const counters = { ticks: 0, emits: 0 };
  /** @type {Map<string, NodeJS.Timeout>} */
  const intervals = new Map();

  const app = express();
  const server = http.createServer(app);
  const io = new Server(server);

  const roomSize = (/** @type {string} */ id) => io.sockets.adapter.rooms.get(id)?.size ?? 0;
  /** @param {string} id @param {string} event @param {unknown} payload */
  const broadcast = (id, event, payload) => {
    counters.emits += roomSize(id);
    io.to(id).emit(event, payload);
  };
  /** @type {Map<string, NodeJS.Timeout>} */
  const presenceDue = new Map();
  /** The room's head count to everyone in it: at once (the seed), or at most once per `presenceCoalesceMs`. */
  const announce = (/** @type {string} */ id) => {
    const send = () => broadcast(id, 'user-count', { roomId: id, viewers: roomSize(id), serverTime: Date.now() });
    if (presenceCoalesceMs <= 0) return send();
    if (presenceDue.has(id)) return;
    presenceDue.set(
      id,
      setTimeout(() => {
        presenceDue.delete(id);
        send();
      }, presenceCoalesceMs),
    );
  };

  // ── Server tick: one interval per running room, like the seeds' SESSION_TICK / timer-update ──
  /** @param {string} id */
  const startTicking = (id) => {
    if (intervals.has(id)) return;
    intervals.set(
      id,
      setInterval(() => void tick(id).catch((err) => console.error('tick failed', id, err)), TICK_MS),
    );
  };
  /** @param {string} id */
  const stopTicking = (id) => {
    clearInterval(intervals.get(id));
    intervals.delete(id);
  };
  /** @param {string} id */
  async function tick(id) {
    counters.ticks++;
    const state = await store.get(id);
    if (state?.timer.status !== 'running') return stopTicking(id);
    const now = Date.now();
    const v = view(state, now);
    if (v.timer.remainingMs > 0) {
      broadcast(id, 'timer-update', {
        roomId: id,
        version: state.version,
        remainingMs: v.timer.remainingMs,
        status: v.timer.status,
        serverTime: now,
      });
      return;
    }
    const done = await store.withLock(id, async () => {
      const fresh = await store.get(id);
      if (fresh?.timer.status !== 'running' || view(fresh, Date.now()).timer.remainingMs > 0) return null;
      const next = finish(fresh);
      await store.put(next);
      return next;
    });
    if (!done) return;
    stopTicking(id);
    broadcast(id, 'room-state', view(done, Date.now()));
    broadcast(id, 'timer-finished', { roomId: id, version: done.version, serverTime: Date.now() });
  }

  // ── HTTP ──
  app.use(express.json({ limit: '16kb' }));
  app.get('/health', (_req, res) => void res.json({ status: 'ok', timestamp: Date.now() }));
  // Benchmark-only: lets a harness read the counters of a baseline running in a child process.
  app.get('/debug/counters', (_req, res) => void res.json({ ...counters }));

  app.post('/api/rooms', async (req, res) => {
    const durationMs = req.body?.durationMs ?? 3_600_000;
    if (!Number.isInteger(durationMs) || durationMs <= 0 || durationMs > MAX_DURATION_MS)
      throw new HttpError(400, 'invalid_body', 'durationMs must be a positive integer of milliseconds');
    const roomId = randomBytes(8).toString('base64url');
    await store.put(newRoom(roomId, durationMs));
    res.status(201).json({ roomId });
  });

  app.get('/api/rooms/:id', async (req, res) => {
    const state = ROOM_ID.test(req.params.id) ? await store.get(req.params.id) : null;
    if (!state) throw new HttpError(404, 'not_found', 'No such room');
    res.json(view(state, Date.now()));
  });

  app.post('/api/rooms/:id/timer/:action', async (req, res) => {
    const { id, action } = req.params;
    if (!ROOM_ID.test(id)) throw new HttpError(404, 'not_found', 'No such room');
    if (!(/** @type {readonly string[]} */ (ACTIONS).includes(action)))
      throw new HttpError(404, 'not_found', 'No such command');
    const deltaMs = req.body?.deltaMs;
    if (action === 'adjust' && (!Number.isInteger(deltaMs) || Math.abs(deltaMs) > MAX_DURATION_MS))
      throw new HttpError(400, 'invalid_body', 'deltaMs must be an integer of milliseconds');
    const result = await store.withLock(id, async () => {
      const state = await store.get(id);
      if (!state) throw new HttpError(404, 'not_found', 'No such room');
      const r = apply(state, /** @type {import('./room-timer.mjs').Action} */ (action), Date.now(), deltaMs);
      if ('rejected' in r) throw new HttpError(409, r.rejected, `Cannot ${action} now`);
      await store.put(r.state);
      return r.state;
    });
    if (result.timer.status === 'running') startTicking(id);
    else stopTicking(id);
    const v = view(result, Date.now());
    broadcast(id, 'room-state', v);
    res.json({ ok: true, version: result.version, state: v });
  });

  app.use((_req, _res, next) => next(new HttpError(404, 'not_found', 'No such route')));
  app.use(
    (
      /** @type {any} */ err,
      /** @type {express.Request} */ _req,
      /** @type {express.Response} */ res,
      /** @type {express.NextFunction} */ _next,
    ) => {
      const status =
        err instanceof HttpError
          ? err.status
          : err instanceof LockTimeout
            ? 409
            : Number.isInteger(err?.status) && err.status < 500
              ? err.status
              : 500;
      const code =
        err instanceof HttpError
          ? err.code
          : err instanceof LockTimeout
            ? 'locked'
            : status === 500
              ? 'internal'
              : 'bad_request';
      if (status === 500) console.error(err);
      res.status(status).json({ error: { code, message: status === 500 ? 'Internal error' : String(err.message) } });
    },
  );

  // ── Socket.IO ──
  io.on('connection', (socket) => {
    socket.on('join-room', async (payload, ack) => {
      const roomId = payload?.roomId;
      const state =
        typeof roomId === 'string' && ROOM_ID.test(roomId) ? await store.get(roomId).catch(() => null) : null;
      counters.emits++;
      if (!state) {
        socket.emit('error', { code: 'not_found', message: 'No such room' });
        if (typeof ack === 'function') ack({ ok: false });
        return;
      }
      await socket.join(roomId);
      socket.emit('room-state', view(state, Date.now()));
      if (typeof ack === 'function') ack({ ok: true });
      announce(roomId);
    });
    // The seed's `user-count`: everyone in the room hears the new count on every join and leave.
    socket.on('disconnecting', () => {
      for (const roomId of socket.rooms) {
        if (roomId === socket.id) continue;
        if (presenceCoalesceMs > 0) {
          announce(roomId);
          continue;
        }
        const viewers = roomSize(roomId) - 1;
        counters.emits += viewers;
        socket.to(roomId).emit('user-count', { roomId, viewers, serverTime: Date.now() });
      }
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(undefined));
  });
  const bound = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    pid: process.pid,
    counters: () => ({ ...counters }),
    async stop() {
      for (const id of [...intervals.keys()]) stopTicking(id);
      await new Promise((resolve) => io.close(() => resolve(undefined)));
      redis.disconnect();
      await ownRedis?.stop();
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, redis: { type: 'string' } } });
  const baseline = await startBaseline({
    port: Number(values.port),
    redisUrl: values.redis,
    presenceCoalesceMs: Number(process.env.BASELINE_PRESENCE_COALESCE_MS ?? 0),
  });
  console.log(`baseline listening on ${baseline.port}`);
  const shutdown = async () => {
    await baseline.stop();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
