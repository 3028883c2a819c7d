/**
 * Response caching for GET routes, in the tiers of the caching design (1 min,
 * 5 min, 15 min, 1 h). A hit is served with `X-Cache: HIT` and `cached: true`
 * in the JSON body; a miss runs the handler and stores its 200 JSON answer,
 * stamped with the generations of its tags read before the handler ran; the
 * owning object invalidates the tags when it mirrors a change. A cache error
 * never fails the request.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-types.ts';
import { CACHE_TIERS, type CacheTier } from '../../durable-objects/platform/mirrors/cache.ts';
import { cacheFor } from '../../durable-objects/platform/mirrors/clients.ts';

interface CacheOptions {
  tier: CacheTier;
  /** The cache key; null skips the cache for this request. Must include everything the answer depends on. */
  key(c: Context<AppEnv>): string | null | Promise<string | null>;
  tags(c: Context<AppEnv>): string[];
}

export function cacheResponse(opts: CacheOptions): MiddlewareHandler<AppEnv> {
  return async function cacheResponse(c, next) {
    const cache = cacheFor(c.env);
    const key = cache.enabled ? await opts.key(c) : null;
    if (!key) {
      await next();
      return;
    }
    const tags = opts.tags(c);
    const [hit, stamp] = await Promise.all([cache.get<Record<string, unknown>>(key, tags), cache.stamp(tags)]);
    if (hit) {
      c.header('X-Cache', 'HIT');
      return c.json({ ...hit, cached: true });
    }
    await next();
    c.header('X-Cache', 'MISS');
    if (stamp === null || c.res.status !== 200 || !c.res.headers.get('Content-Type')?.includes('application/json'))
      return;
    const body = (await c.res.clone().json()) as Record<string, unknown>;
    if (body.partial) return;
    c.executionCtx.waitUntil(cache.put(key, { ...body, cached: false }, { ttlSeconds: CACHE_TIERS[opts.tier], stamp }));
  };
}
