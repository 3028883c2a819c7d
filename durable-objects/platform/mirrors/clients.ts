/** Builds the mirror clients from the environment: Neon Postgres for history, Upstash for caches. */
import { createDb } from '../../../drizzle/db.ts';
import type { MirrorSinks } from '../drain.ts';
import { type KeeptimeCache, noCache } from './cache.ts';
import { UpstashCache } from './upstash-cache.ts';
import type { Env } from '../env.ts';

/** The cache, or the no-op cache when UPSTASH_REDIS_REST_URL is unset. */
export function cacheFor(env: Env): KeeptimeCache {
  return env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN
    ? new UpstashCache(env.UPSTASH_REDIS_REST_URL, env.UPSTASH_REDIS_REST_TOKEN)
    : noCache;
}

/** A fresh database handle (close it with `db.$client.end()`), or null when DATABASE_URL is unset. */
export function openDb(env: Env) {
  return env.DATABASE_URL
    ? createDb({ databaseUrl: env.DATABASE_URL, ...(env.NEON_LOCAL_RELAY ? { localRelay: env.NEON_LOCAL_RELAY } : {}) })
    : null;
}

export function mirrorSinks(env: Env): MirrorSinks {
  return { openDb: () => openDb(env), cache: cacheFor(env) };
}
