/**
 * The cache interface every caller uses: get, put, invalidate(tags), shaped like
 * drizzle's Cache. A cache error never fails a request: implementations swallow
 * and log it, and report a miss.
 */
export interface PutOptions {
  ttlSeconds: number;
  tags: string[];
}

export interface KeeptimeCache {
  readonly enabled: boolean;
  get<T>(key: string): Promise<T | null>;
  put(key: string, value: unknown, opts: PutOptions): Promise<void>;
  invalidate(tags: string[]): Promise<void>;
  /** Round-trip check for /health/deep: null when no cache is configured. */
  ping(): Promise<{ ok: boolean; latencyMs: number } | null>;
}

/** Caching off: every read misses, writes are dropped. */
export const noCache: KeeptimeCache = {
  enabled: false,
  get: async () => null,
  put: async () => {},
  invalidate: async () => {},
  ping: async () => null,
};

/** The tiers from the caching design: 1 min, 5 min, 15 min, 1 h. */
export const CACHE_TIERS = { short: 60, medium: 300, long: 900, veryLong: 3600 } as const;
export type CacheTier = keyof typeof CACHE_TIERS;
