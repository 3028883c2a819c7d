/** The Upstash implementation of KeeptimeCache. A tag is a generation counter; invalidating increments it. */
import { Redis } from '@upstash/redis/cloudflare';
import type { KeeptimeCache, PutOptions } from './cache.ts';

const PREFIX = 'kt:';
const TIMEOUT_MS = 800;
const GEN_TTL_S = 7 * 24 * 3600;
const genKey = (tag: string) => `${PREFIX}gen:${tag}`;

function logCacheError(op: string, err: unknown) {
  console.warn(JSON.stringify({ level: 'warn', msg: 'cache error (ignored)', op, error: String(err).slice(0, 200) }));
}

interface Entry {
  stamp: string;
  value: unknown;
}

export class UpstashCache implements KeeptimeCache {
  readonly enabled = true;
  private readonly redis: Redis;

  constructor(url: string, token: string) {
    // No client retries: a slow or absent Redis must cost a request at most one short timeout.
    this.redis = new Redis({
      url,
      token,
      retry: { retries: 0 },
      signal: () => AbortSignal.timeout(TIMEOUT_MS),
      enableTelemetry: false,
      automaticDeserialization: false,
    });
  }

  async stamp(tags: string[]): Promise<string | null> {
    if (tags.length === 0) return '[]';
    try {
      return JSON.stringify(await this.redis.mget<(string | null)[]>(...tags.map(genKey)));
    } catch (err) {
      logCacheError('stamp', err);
      return null;
    }
  }

  async get<T>(key: string, tags: string[]): Promise<T | null> {
    try {
      const p = this.redis.pipeline();
      p.get(PREFIX + key);
      if (tags.length) p.mget(...tags.map(genKey));
      const [raw, gens] = (await p.exec()) as [string | null, (string | null)[] | undefined];
      if (raw === null || raw === undefined) return null;
      const entry = JSON.parse(raw) as Entry;
      return entry.stamp === JSON.stringify(gens ?? []) ? (entry.value as T) : null;
    } catch (err) {
      logCacheError('get', err);
      return null;
    }
  }

  async put(key: string, value: unknown, { ttlSeconds, stamp }: PutOptions): Promise<void> {
    try {
      await this.redis.set(PREFIX + key, JSON.stringify({ stamp, value } satisfies Entry), { ex: ttlSeconds });
    } catch (err) {
      logCacheError('put', err);
    }
  }

  async invalidate(tags: string[]): Promise<void> {
    if (tags.length === 0) return;
    try {
      const p = this.redis.pipeline();
      for (const tag of tags) {
        p.incr(genKey(tag));
        p.expire(genKey(tag), GEN_TTL_S);
      }
      await p.exec();
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
