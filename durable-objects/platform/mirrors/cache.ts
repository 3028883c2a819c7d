/**
 * The cache interface every caller uses: get, put, invalidate(tags), shaped like
 * drizzle's Cache. Tags carry generations: `stamp(tags)` reads them before the
 * answer is computed, `put` stores the answer with that stamp, and `get` only
 * returns an entry whose stamp still matches. So an invalidation that lands
 * while an answer is being computed can never be undone by that answer's put.
 * A cache error never fails a request: implementations swallow and log it.
 */
export interface PutOptions {
  ttlSeconds: number;
  /** From `stamp(tags)`, read before the value was computed. */
  stamp: string;
}

export interface KeeptimeCache {
  readonly enabled: boolean;
  /** The current generations of `tags`; null when the cache cannot answer. */
  stamp(tags: string[]): Promise<string | null>;
  /** The entry, if present and still current for `tags`. */
  get<T>(key: string, tags: string[]): Promise<T | null>;
  put(key: string, value: unknown, opts: PutOptions): Promise<void>;
  invalidate(tags: string[]): Promise<void>;
  /** Round-trip check for /health/deep: null when no cache is configured. */
  ping(): Promise<{ ok: boolean; latencyMs: number } | null>;
}

/** Caching off: every read misses, writes are dropped. */
export const noCache: KeeptimeCache = {
  enabled: false,
  stamp: async () => null,
  get: async () => null,
  put: async () => {},
  invalidate: async () => {},
  ping: async () => null,
};

/** The tiers from the caching design: 1 min, 5 min, 15 min, 1 h. */
export const CACHE_TIERS = { short: 60, medium: 300, long: 900, veryLong: 3600 } as const;
export type CacheTier = keyof typeof CACHE_TIERS;
