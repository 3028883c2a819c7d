/** Records the outbox rows an object appends, so a test can read what it journaled after the drain emptied the outbox. */
import { runInDurableObject } from 'cloudflare:test';
import type { KeeptimeObject } from '../../durable-objects/platform/object.ts';
import type { ClockedStub } from './clock.ts';

// biome-ignore lint/suspicious/noExplicitAny: payloads of every kind
export type Journal = Array<{ kind: string; payload: any }>;
type Recording = { outbox: { append(kind: string, payload: unknown, now: number): string }; journal?: Journal };

/** From now on, records every outbox row the object appends (on the live instance); returns a reader of the record. */
export async function recordOutbox(stub: ClockedStub): Promise<() => Promise<Journal>> {
  await runInDurableObject(stub, (instance: KeeptimeObject) => {
    const i = instance as unknown as Recording;
    if (i.journal) return;
    const journal: Journal = [];
    i.journal = journal;
    const append = i.outbox.append.bind(i.outbox);
    i.outbox.append = (kind, payload, now) => {
      journal.push({ kind, payload: structuredClone(payload) });
      return append(kind, payload, now);
    };
  });
  return () => runInDurableObject(stub, (instance: KeeptimeObject) => (instance as unknown as Recording).journal ?? []);
}
