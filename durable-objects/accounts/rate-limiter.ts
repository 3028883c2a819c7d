/**
 * RateLimiter: a token bucket per key (one object per key, e.g. `login:ip:1.2.3.4`).
 */
import { KeeptimeObject } from '../platform/object.ts';

interface Bucket {
  tokens: number;
  at: number;
}

interface TakeResult {
  ok: boolean;
  retryAfterMs: number;
  remaining: number;
}

export class RateLimiter extends KeeptimeObject {
  /** Takes one token from a bucket of `capacity` that refills `capacity` tokens per `windowMs`. */
  async take(capacity: number, windowMs: number): Promise<TakeResult> {
    const now = this.clock.now();
    const rate = capacity / windowMs;
    const b = this.kv.get<Bucket>('bucket') ?? { tokens: capacity, at: now };
    const tokens = Math.min(capacity, b.tokens + (now - b.at) * rate);
    if (tokens < 1) {
      this.kv.put('bucket', { tokens, at: now });
      return { ok: false, retryAfterMs: Math.ceil((1 - tokens) / rate), remaining: 0 };
    }
    this.kv.put('bucket', { tokens: tokens - 1, at: now });
    return { ok: true, retryAfterMs: 0, remaining: Math.floor(tokens - 1) };
  }

  /** Whether a token is there, without taking it (the login lock-out counts failures only). */
  async peek(capacity: number, windowMs: number): Promise<TakeResult> {
    const now = this.clock.now();
    const rate = capacity / windowMs;
    const b = this.kv.get<Bucket>('bucket');
    const tokens = b ? Math.min(capacity, b.tokens + (now - b.at) * rate) : capacity;
    return tokens < 1
      ? { ok: false, retryAfterMs: Math.ceil((1 - tokens) / rate), remaining: 0 }
      : { ok: true, retryAfterMs: 0, remaining: Math.floor(tokens) };
  }
}
