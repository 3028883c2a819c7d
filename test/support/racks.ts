/** Shared by the rack tests: the rack stub, a reset, a valid scan record and an authenticated rack or floor WebSocket. */
import { runInDurableObject } from 'cloudflare:test';
import { expect } from 'vitest';
import { LEASE_TIMING, type LeaseTiming } from '../../core/racks/lease.ts';
import type { Rack } from '../../worker/index.ts';
import { scanRecord } from './builders.ts';
import { rackStub } from './stubs.ts';
import { type TestSocket, tryOpenWs } from './workers.ts';

export { floorStub, rackStub } from './stubs.ts';

/** A valid scan record (test/support/builders.ts). */
export const record = scanRecord;

/** Ends any lease an earlier test or run left on the rack, and sets the lease durations on the live instance. */
export async function freshRack(rackId: string, timing: LeaseTiming = LEASE_TIMING): Promise<void> {
  await rackStub(rackId).forceRelease(rackId, 'test reset', 'test');
  await runInDurableObject(rackStub(rackId), (instance: Rack) => {
    (instance as unknown as { timing: LeaseTiming }).timing = timing;
  });
}

/** Opens `path` as a WebSocket with a Bearer token and waits for its first message of type `first`. */
export async function openWs(path: string, token: string, first: string): Promise<TestSocket> {
  const r = await tryOpenWs(path, { auth: token });
  expect('socket' in r ? 101 : r.status).toBe(101);
  const socket = (r as { socket: TestSocket }).socket;
  await socket.next(first);
  return socket;
}
