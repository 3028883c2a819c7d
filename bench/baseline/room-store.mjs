// Room state in Redis (JSON under room:<id>) behind a SET NX PX lock, as the seeds' session handlers do.
import { randomUUID } from 'node:crypto';

const LOCK_TTL_MS = 5000;
const LOCK_WAIT_MS = 2000;
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export class LockTimeout extends Error {}

/** @param {import('ioredis').Redis} redis */
export function roomStore(redis) {
  const key = (/** @type {string} */ id) => `room:${id}`;
  return {
    /** @param {string} id @returns {Promise<import('./room-timer.mjs').RoomState | null>} */
    async get(id) {
      const raw = await redis.get(key(id));
      return raw === null ? null : JSON.parse(raw);
    },
    /** @param {import('./room-timer.mjs').RoomState} state */
    async put(state) {
      await redis.set(key(state.roomId), JSON.stringify(state));
    },
    /**
     * Runs `fn` holding `room:<id>:lock` (SET NX PX 5000, released only by its holder).
     * @template T @param {string} id @param {() => Promise<T>} fn @returns {Promise<T>}
     */
    async withLock(id, fn) {
      const lock = `${key(id)}:lock`;
      const token = randomUUID();
      const deadline = Date.now() + LOCK_WAIT_MS;
      while ((await redis.set(lock, token, 'PX', LOCK_TTL_MS, 'NX')) !== 'OK') {
        if (Date.now() > deadline) throw new LockTimeout(`room ${id} is locked`);
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
      }
      try {
        return await fn();
      } finally {
        await redis.eval(RELEASE, 1, lock, token);
      }
    },
  };
}
