/**
 * Rack helpers for the resilience tests inside workerd: the object's stub, and
 * a reset that ends any lease and sets short lease durations on the live
 * instance. (Scan records: test/support/racks.ts.)
 */
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type { LeaseTiming } from '../../../core/racks/lease.ts';
import type { Rack } from '../../../worker/index.ts';

export const rackStub = (rackId: string) => env.RACK.get(env.RACK.idFromName(rackId));

/** Ends any lease an earlier test or run left, and sets the lease durations on the live instance. */
export async function resetRack(rackId: string, timing: LeaseTiming): Promise<void> {
  await rackStub(rackId).forceRelease(rackId, 'test reset', 'test');
  await runInDurableObject(rackStub(rackId), (instance: Rack) => {
    (instance as unknown as { timing: LeaseTiming }).timing = timing;
  });
}
