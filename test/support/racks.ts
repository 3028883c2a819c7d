/** Shared by the rack tests: a valid scan record and an authenticated rack or floor WebSocket. */
import { exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import { BASE, type TestSocket, unique, wrapSocket } from './workers.ts';

export const record = (over: Record<string, unknown> = {}) => ({
  client_record_id: unique('rec'),
  item_code: 'ITEM1',
  verified_qty: 3,
  damage_qty: 0,
  serial_numbers: [],
  status: 'verified',
  created_at: Date.now(),
  updated_at: Date.now(),
  ...over,
});

/** Opens `path` as a WebSocket with a Bearer token and waits for its first message of type `first`. */
export async function openWs(path: string, token: string, first: string): Promise<TestSocket> {
  const res = await exports.default.fetch(
    new Request(`${BASE}${path}`, { headers: { Upgrade: 'websocket', Authorization: `Bearer ${token}` } }),
  );
  expect(res.status).toBe(101);
  const socket = wrapSocket(res.webSocket as WebSocket);
  await socket.next(first);
  return socket;
}
