/** The Upstash implementation of KeeptimeCache. Tags are Redis sets of keys. */
import { Redis } from '@upstash/redis/cloudflare';
import type { KeeptimeCache, PutOptions } from './cache.ts';

const PREFIX = 'kt:';
const TIMEOUT_MS = 800;

function logCacheError(op: string, err: unknown) {
  console.warn(JSON.stringify({ level: 'warn', msg: 'cache error (ignored)', op, error: String(err).slice(0, 200) }));
}

export class UpstashCache implements KeeptimeCache {
  readonly enabled = true;
  private readonly redis: Redis;

  constructor(url: string, token: string) {
    // No client retries: a slow or absent Redis must cost a request at most one short timeout.
    this.redis = new Redis({ url, token, retry: { retries: 0 }, signal: () => AbortSignal.timeout(TIMEOUT_MS), enableTelemetry: false, automaticDeserialization: false });
  }

  async get<T>(key: string): Promise<T | null> {
    try {
      const raw = await this.redis.get<string>(PREFIX + key);
      return raw === null || raw === undefined ? null : (JSON.parse(raw) as T);
    } catch (err) {
      logCacheError('get', err);
      return null;
    }
  }

  async put(key: string, value: unknown, { ttlSeconds, tags }: PutOptions): Promise<void> {
    try {
      const p = this.redis.pipeline();
      p.set(PREFIX + key, JSON.stringify(value), { ex: ttlSeconds });
      for (const tag of tags) {
        p.sadd(PREFIX + 'tag:' + tag, PREFIX + key);
        p.expire(PREFIX + 'tag:' + tag, ttlSeconds * 2);
      }
      await p.exec();
    } catch (err) {
      logCacheError('put', err);
    }
  }

  async invalidate(tags: string[]): Promise<void> {
    if (tags.length === 0) return;
    try {
      const tagKeys = tags.map((t) => PREFIX + 'tag:' + t);
      const p = this.redis.pipeline();
      for (const k of tagKeys) p.smembers(k);
      const members = (await p.exec()) as string[][];
      const keys = [...new Set(members.flat())];
      await this.redis.del(...keys, ...tagKeys);
    } catch (err) {
      // Entries expire by TTL (at most 1 h); a Redis that was down and restarted holds nothing stale.
      logCacheError('invalidate', err);
    }
  }

  async ping(): Promise<{ ok: boolean; latencyMs: number }> {
    const started = Date.now();
    try {
      await this.redis.ping();
      return { ok: true, latencyMs: Date.now() - started };
    } catch (err) {
      logCacheError('ping', err);
      return { ok: false, latencyMs: Date.now() - started };
    }
  }
}
