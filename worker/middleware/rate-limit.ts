/** Token-bucket rate limiting through RateLimiter objects; answers 429 with Retry-After. */
import type { Context } from 'hono';
import type { AppEnv } from '../app-types.ts';
import { rateLimiterStub } from '../../durable-objects/platform/stubs.ts';
import { ApiError } from '../lib/errors.ts';

export interface RateLimitOptions {
  /** Bucket names, e.g. ['login:ip:1.2.3.4', 'login:email:a@b.c']. Every bucket must allow the request. */
  keys: string[];
  capacity: number;
  windowMs: number;
}

export async function enforceRateLimit(c: Context<AppEnv>, opts: RateLimitOptions): Promise<void> {
  const results = await Promise.all(
    opts.keys.map((key) => rateLimiterStub(c.env, key).take(opts.capacity, opts.windowMs)),
  );
  const worst = results.reduce((m, r) => Math.max(m, r.ok ? 0 : r.retryAfterMs), 0);
  if (worst > 0) {
    const seconds = Math.max(1, Math.ceil(worst / 1000));
    throw new ApiError('rate_limited', `Too many attempts; try again in ${seconds} s`, undefined, 429, {
      'Retry-After': String(seconds),
    });
  }
}

export const clientIp = (c: Context): string =>
  c.req.header('CF-Connecting-IP') ?? c.req.header('X-Forwarded-For')?.split(',')[0]?.trim() ?? 'local';
