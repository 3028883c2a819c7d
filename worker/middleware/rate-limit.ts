/** Token-bucket rate limiting through RateLimiter objects; answers 429 with Retry-After. */
import type { Context } from 'hono';
import type { AppEnv } from '../app-types.ts';
import { rateLimiterStub } from '../../durable-objects/platform/stubs.ts';
import { ApiError } from '../lib/errors.ts';

interface RateLimitOptions {
  /** Bucket names, e.g. ['login:ip:1.2.3.4', 'login:email:a@b.c']. Every bucket must allow the request. */
  keys: string[];
  capacity: number;
  windowMs: number;
  /** `peek` refuses when a bucket is empty without taking a token (the caller takes on failure: `takeTokens`). */
  mode?: 'take' | 'peek';
}

export async function enforceRateLimit(c: Context<AppEnv>, opts: RateLimitOptions): Promise<void> {
  const results = await Promise.all(
    opts.keys.map((key) =>
      opts.mode === 'peek'
        ? rateLimiterStub(c.env, key).peek(opts.capacity, opts.windowMs)
        : rateLimiterStub(c.env, key).take(opts.capacity, opts.windowMs),
    ),
  );
  const worst = results.reduce((m, r) => Math.max(m, r.ok ? 0 : r.retryAfterMs), 0);
  if (worst > 0) {
    const seconds = Math.max(1, Math.ceil(worst / 1000));
    throw new ApiError('rate_limited', `Too many attempts; try again in ${seconds} s`, undefined, 429, {
      'Retry-After': String(seconds),
    });
  }
}

/** Takes a token from each bucket, refusing nothing (e.g. counting a failed login). */
export async function takeTokens(c: Context<AppEnv>, opts: Omit<RateLimitOptions, 'mode'>): Promise<void> {
  await Promise.all(opts.keys.map((key) => rateLimiterStub(c.env, key).take(opts.capacity, opts.windowMs)));
}

/**
 * The client's address as Cloudflare saw it. X-Forwarded-For is not trusted: on Workers any client can send it
 * (Cloudflare appends to it rather than replacing it).
 */
const clientIp = (c: Context): string => c.req.header('CF-Connecting-IP') ?? 'local';

/** The client's address as a rate-limit bucket: IPv4 as is, IPv6 by its /64 (one subscriber's prefix). */
export function clientIpBucket(c: Context): string {
  return ipBucket(clientIp(c));
}

export function ipBucket(ip: string): string {
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, '') || '0')
    .join(':')}::/64`;
}
