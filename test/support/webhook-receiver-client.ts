/**
 * The workerd side of the local webhook receiver (test/support/webhook-receiver.ts, started by
 * webhook-receiver-setup.ts): its URL, what one endpoint key received, and waiting until enough has arrived.
 */
import { inject } from 'vitest';
import type { Received } from './webhook-receiver.ts';
import { sleep } from './workers.ts';

export type { Received };

/** The receiver's base URL: register `${RECEIVER}/hook/<key>` (add `?fail=N` to fail the first N requests). */
export const RECEIVER = inject('webhookReceiver');

/** Everything endpoint `key` has received so far, oldest first. */
export async function received(key: string): Promise<Received[]> {
  return (await (await fetch(`${RECEIVER}/received/${key}`)).json()) as Received[];
}

/** Polls endpoint `key` until `pred` holds of what it received (then answers that), or throws after `ms`. */
export async function waitFor(key: string, pred: (r: Received[]) => boolean, ms = 8000): Promise<Received[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const r = await received(key);
    if (pred(r)) return r;
    if (Date.now() > deadline) throw new Error(`receiver ${key} saw ${r.length}: ${r.map((x) => x.body).join(' | ')}`);
    await sleep(50);
  }
}
