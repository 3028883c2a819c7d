/**
 * Every WebSocket endpoint of the contract, as data: how to open it in a
 * fuzz world, the first message it sends, the client messages it accepts
 * (schemas from core/protocol.ts; racks, floors and the ops feed take only
 * ping / request-sync), and a frame it must answer (so a test can prove the
 * socket is still usable after bad frames).
 */
import { exports } from 'cloudflare:workers';
import { z } from 'zod';
import { roomClientMessage, sessionClientMessage } from '../../../core/protocol.ts';
import { scaled } from '../../support/time-scale.ts';
import { BASE, type TestSocket, wrapSocket } from '../../support/workers.ts';
import type { World } from './fuzz-world.ts';

/** What racks and floor boards accept (durable-objects/racks/rack.ts, floor.ts). */
export const boardClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping'), t0: z.number() }),
  z.object({ type: z.literal('request-sync') }),
]);
/** The ops feed is read-only: only the exact text {"type":"ping"} is answered. */
export const opsClientMessage = z.strictObject({ type: z.literal('ping') });

export interface Endpoint {
  name: string;
  path(w: World): string;
  headers(w: World): Record<string, string>;
  /** The message type the server sends first. */
  first: string;
  schema: z.ZodType;
  /** A frame the endpoint answers, and the type of its answer. */
  probe: { frame: string; answer: string };
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const ping = { frame: '{"type":"ping","t0":42}', answer: 'pong' };

export const ENDPOINTS: Endpoint[] = [
  {
    name: 'room (owner)',
    path: (w) => `/api/rooms/${w.room.id}/ws`,
    headers: (w) => bearer(w.owner.token),
    first: 'room-state',
    schema: roomClientMessage,
    probe: ping,
  },
  {
    name: 'room (controller)',
    path: (w) => `/api/rooms/${w.room.id}/ws?token=${w.controller}`,
    headers: () => ({}),
    first: 'room-state',
    schema: roomClientMessage,
    probe: ping,
  },
  {
    name: 'room (viewer)',
    path: (w) => `/api/rooms/${w.viewer}/ws`,
    headers: () => ({}),
    first: 'room-state',
    schema: roomClientMessage,
    probe: ping,
  },
  {
    name: 'session',
    path: () => '/api/sessions/ws',
    headers: (w) => bearer(w.owner.token),
    first: 'SESSION_STATE',
    schema: sessionClientMessage,
    probe: ping,
  },
  {
    name: 'rack',
    path: (w) => `/api/racks/${w.rack}/ws`,
    headers: (w) => bearer(w.owner.token),
    first: 'rack-status',
    schema: boardClientMessage,
    probe: ping,
  },
  {
    name: 'floor board',
    path: (w) => `/api/floors/${w.floor}/ws`,
    headers: (w) => bearer(w.owner.token),
    first: 'floor-state',
    schema: boardClientMessage,
    probe: ping,
  },
  {
    name: 'ops feed',
    path: () => '/api/ops/ws',
    headers: (w) => bearer(w.admin.token),
    first: 'feed',
    schema: opsClientMessage,
    probe: { frame: '{"type":"ping"}', answer: 'pong' },
  },
];

/** Opens an endpoint and waits for its first message. */
export async function openEndpoint(e: Endpoint, w: World): Promise<TestSocket> {
  const res = await exports.default.fetch(
    new Request(`${BASE}${e.path(w)}`, { headers: { Upgrade: 'websocket', ...e.headers(w) } }),
  );
  if (res.status !== 101 || !res.webSocket)
    throw new Error(`${e.name}: refused with ${res.status} ${await res.text()}`);
  const ws = wrapSocket(res.webSocket);
  await ws.next(e.first, scaled(3000));
  return ws;
}
