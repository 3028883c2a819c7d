/**
 * Writes that end with exactly one known outcome: each request carries its own
 * Idempotency-Key and is sent again with the same key while its answer is lost
 * (connection refused or reset) or a 5xx. 5xx answers, lost answers and
 * refusals (4xx) are recorded for the test to judge. Used by the storm's room
 * controllers and the outage test's drivers.
 */
import { randomUUID } from 'node:crypto';
import { sleep } from '../../support/live/wrangler.ts';
import { scaled } from '../../support/time-scale.ts';

export interface Failure {
  route: string;
  status: number;
  body: string;
  /** When the answer came (epoch ms). */
  at: number;
}

/** How often and how fast a request is sent again. */
export interface RetryPolicy {
  maxAttempts: number;
  /** Pause after attempt `attempt` (1-based) lost its answer. */
  afterLost(attempt: number): number;
  /** Pause after a 5xx. */
  afterServerError(attempt: number): number;
}

/** Up to 20 attempts, 0.5–1 s apart. */
export const SOME_RETRIES: RetryPolicy = {
  maxAttempts: 20,
  afterLost: () => 500 + 500 * Math.random(),
  afterServerError: () => 500 + 500 * Math.random(),
};

/** Until answered, however long the worker is down: full-jitter backoff capped at 2 s after a lost answer. */
export const UNTIL_ANSWERED: RetryPolicy = {
  maxAttempts: Number.POSITIVE_INFINITY,
  afterLost: (attempt) => Math.min(2_000, 100 * 2 ** Math.min(attempt, 5)) * Math.random() + 50,
  afterServerError: () => 250 + 500 * Math.random(),
};

/** One caller's line to the Worker, with its answers and failures. */
export class Wire {
  readonly serverErrors: Failure[] = [];
  readonly refused: Failure[] = [];
  lostAnswers = 0;
  calls = 0;

  constructor(
    readonly base: string,
    readonly token: string,
    private readonly policy: RetryPolicy = SOME_RETRIES,
  ) {}

  /**
   * Sends until answered. 2xx → the JSON, the attempts it took and its Idempotency-Key; 4xx → recorded and
   * null; 5xx or a lost answer → recorded and retried with the same key.
   */
  async send<T = any>(
    method: string,
    route: string,
    body?: unknown,
  ): Promise<{ json: T; attempts: number; key: string } | null> {
    const key = randomUUID();
    for (let attempt = 1; attempt <= this.policy.maxAttempts; attempt++) {
      this.calls++;
      let status: number;
      let text: string;
      try {
        const res = await fetch(this.base + route, {
          method,
          headers: {
            ...(body === undefined ? { 'X-Keeptime': '1' } : { 'Content-Type': 'application/json' }),
            Authorization: `Bearer ${this.token}`,
            'Idempotency-Key': key,
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(scaled(20_000)),
        });
        status = res.status;
        text = await res.text();
      } catch {
        this.lostAnswers++;
        await sleep(this.policy.afterLost(attempt));
        continue;
      }
      if (status >= 500) {
        // Unknown outcome: record it (the test judges when it happened) and retry with the same key.
        this.serverErrors.push({ route, status, body: text.slice(0, 300), at: Date.now() });
        await sleep(this.policy.afterServerError(attempt));
        continue;
      }
      if (status >= 400) {
        this.refused.push({ route, status, body: text.slice(0, 300), at: Date.now() });
        return null;
      }
      return { json: (text ? JSON.parse(text) : null) as T, attempts: attempt, key };
    }
    throw new Error(`${method} ${route}: no answer after ${this.policy.maxAttempts} attempts`);
  }
}
