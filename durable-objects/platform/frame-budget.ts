/**
 * A token bucket per socket: `framesPerSec` on average, bursts of `frameBurst`. A frame over budget is refused (the
 * caller sends a `rate_limited` error frame); a socket that keeps sending, `floodClose` refusals in a row without its
 * bucket refilling, is closed. Kept in memory: an object only hibernates after its sockets were quiet, so a socket met
 * again after a wake-up rightly starts with a full bucket.
 */
import type { Limits } from './limits-config.ts';

interface Bucket {
  tokens: number;
  at: number;
  refused: number;
}

export class FrameBudget {
  private readonly buckets = new WeakMap<WebSocket, Bucket>();

  constructor(private readonly limits: Pick<Limits, 'framesPerSec' | 'frameBurst' | 'floodClose'>) {}

  /** Spends one frame of `ws`'s budget at `now`: admitted, refused, or (a sustained flood) close the socket. */
  spend(ws: WebSocket, now: number): 'ok' | 'refuse' | 'close' {
    const { framesPerSec, frameBurst, floodClose } = this.limits;
    const b = this.buckets.get(ws) ?? { tokens: frameBurst, at: now, refused: 0 };
    b.tokens = Math.min(frameBurst, b.tokens + (Math.max(0, now - b.at) * framesPerSec) / 1000);
    b.at = now;
    // A bucket back to half full means the flood, if any, is over.
    if (b.tokens >= frameBurst / 2) b.refused = 0;
    this.buckets.set(ws, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 'ok';
    }
    b.refused += 1;
    return b.refused > floodClose ? 'close' : 'refuse';
  }

  forget(ws: WebSocket): void {
    this.buckets.delete(ws);
  }
}
