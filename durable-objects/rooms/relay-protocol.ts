/**
 * What a room and its relays say to each other, and how the Worker finds a relay. A relay is the object named
 * `<roomId>/relay/<index>`; the room answers a share-link viewer's upgrade with a seat (204 and RELAY_HEADER) instead
 * of accepting it, and the Worker then opens the socket on that relay, passing the seat on.
 */
import { z } from 'zod';
import type { RoomState } from '../../core/rooms/transition.ts';
import type { Env } from '../platform/env.ts';

/** The header carrying a seat: from the room to the Worker (on a 204), and from the Worker to the relay. */
export const RELAY_HEADER = 'X-KT-Relay';

/** A viewer's seat on a relay: which relay, and the generation of the viewer link it opened with. */
export const relaySeat = z.object({
  roomId: z.string().min(1).max(64),
  index: z.number().int().min(0).max(100_000),
  gen: z.number().int().min(0),
});
export type RelaySeat = z.infer<typeof relaySeat>;

/** Head counts, as every `user-count` and `room-state` carries them. */
export interface Presence {
  viewers: number;
  controllers: number;
}

/** One change, sent once to each relay: the messages the room's own sockets got, and the state after it. */
export interface RelayPublish {
  roomId: string;
  index: number;
  /** The version before the change: a relay that does not hold it has missed something and catches up. */
  from: number;
  version: number;
  state: RoomState;
  messages: object[];
}

/** What a relay needs to (re)start serving: the state, and the messages it missed when the room's log still has them. */
export interface RelayCatchUp {
  state: RoomState;
  /** The messages after the relay's version, oldest first, or null: too far behind (or new), send a room-state. */
  missed: object[] | null;
  minGen: number;
  presence: Presence;
}

/** A relay's report to its room: how many viewers it holds, and which devices (bounded). */
export interface RelayReport {
  viewers: number;
  deviceIds: string[];
}

/** Device commands a relay carries out on its own sockets. */
export interface RelayDeviceAction {
  type: 'identify' | 'reload' | 'disconnect';
  deviceId: string;
  /** For `identify`: the name shown and until when. */
  name: string;
  untilMs: number;
}

export const relayName = (roomId: string, index: number) => `${roomId}/relay/${index}`;

export const relayStub = (env: Env, roomId: string, index: number) =>
  env.ROOM_RELAY.get(env.ROOM_RELAY.idFromName(relayName(roomId, index)));
