/**
 * Rack helpers for the resilience tests inside workerd: the object's stub,
 * a reset that ends any lease and sets short lease durations on the live
 * instance, and scan records with unique ids.
 */
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type { LeaseTiming } from '../../../core/racks/lease.ts';
import type { Rack } from '../../../worker/index.ts';
import { unique } from '../../support/workers.ts';

export const rackStub = (rackId: string) => env.RACK.get(env.RACK.idFromName(rackId));

/** Ends any lease an earlier test or run left, and sets the lease durations on the live instance. */
export async function resetRack(rackId: string, timing: LeaseTiming): Promise<void> {
  await rackStub(rackId).forceRelease(rackId, 'test reset', 'test');
  await runInDurableObject(rackStub(rackId), (instance: Rack) => {
    (instance as unknown as { timing: LeaseTiming }).timing = timing;
  });
}

/** A scan record as POST /api/sync/batch takes it; `client_record_id` is unique unless given. */
export const scan = (over: Record<string, unknown> = {}) => ({
  client_record_id: unique('rec'),
  item_code: 'ITEM',
  verified_qty: 1,
  damage_qty: 0,
  serial_numbers: [] as string[],
  status: 'verified' as const,
  created_at: Date.now(),
  updated_at: Date.now(),
  ...over,
});
