/**
 * What the server says about a room, written once: the snapshot (GET
 * /api/rooms/:id and `room-state`) and every message on a room socket. The
 * TimerRoom object sends these (`satisfies RoomServerMessage`); the site's
 * guards (site/src/lib/rooms/messages.ts) check frames against them, importing
 * types only.
 */
import type { Played, RoomSchedule } from './schedule.ts';
import type { Phase, Timer } from './timer.ts';
import type { RoomEvent, RoomInfo, RoomMessage } from './transition.ts';
import type { ErrorMessage } from '../wire.ts';

export type RoomRole = 'owner' | 'controller' | 'viewer';

/** The owner's share links (tokens), as the snapshot and a rotation carry them. */
export interface RoomLinks {
  viewer: string;
  controller: string;
}

/**
 * One panel or viewer in the `devices` list: a connected socket (`online`), or a known device not connected now
 * (`online: false`, seen within 24 h; its `sid` is `off:<deviceId>` and `connectedAt` is null).
 */
export interface RoomDevice {
  sid: string;
  role: string;
  /** The browser's own label ("Chrome on Mac", or its ?device=). */
  device: string | null;
  offsetMs: number | null;
  rttMs: number | null;
  connectedAt: number | null;
  /** The browser's stable id (null for a client that sent none: it cannot be renamed or targeted). */
  deviceId: string | null;
  /** The owner-given name, or null. */
  name: string | null;
  online: boolean;
  /** The last ping (or the connect) of a connected device; when it was last seen, for an offline one. */
  lastSeenAt: number;
  /** Connected, but no ping for more than 45 s. */
  quiet: boolean;
  /** The spread of the device's offset samples, in ms, when it reported one. */
  spread: number | null;
  /** RTT over 250 ms or spread over 50 ms (core/rooms/devices.ts). */
  poorSync: boolean;
}

/**
 * The room's settings as a client sees them. `ownerId` is a user id: only the owner's own views carry it; link
 * holders (viewer and controller links) and every socket broadcast go without it.
 */
export type RoomInfoView = Omit<RoomInfo, 'ownerId'> & { ownerId?: string };

/** A room event as it goes out on a socket: a settings change carries the room without its owner's id. */
export type RoomWireEvent = Exclude<RoomEvent, { type: 'room-update' }> | { type: 'room-update'; room: RoomInfoView };

/** The room as one client sees it: the same for HTTP and the socket's `room-state`. */
export interface RoomSnapshot {
  room: RoomInfoView;
  timers: Timer[];
  message: RoomMessage | null;
  version: number;
  serverTime: number;
  role: RoomRole;
  /** The owner's HTTP read only: never in a socket's `room-state`. */
  links?: RoomLinks;
  /** Each timer's displayed time at serverTime (clients render from the timers themselves). */
  display: Array<{ id: string; displayMs: number }>;
  /** What has played: clients recompute the schedule from it each frame (core/rooms/schedule.ts). */
  played: Played;
  /** The live schedule at serverTime (core/rooms/schedule.ts). */
  schedule: RoomSchedule;
}

/** A running timer's reading in a `tick` (countdown timers: remaining; count-up: elapsed). */
type TickReading = { id: string; remainingMs: number } | { id: string; elapsedMs: number };

/** The version and the server's clock, on every message that reports state. */
type Stamp = { version: number; serverTime: number };

type RoomPresence = { viewers: number; controllers: number };

/** Every message the server sends on a room socket. */
export type RoomServerMessage =
  | ({ type: 'room-state' } & RoomSnapshot & RoomPresence)
  | (RoomWireEvent & Stamp)
  | ({ type: 'user-count' } & RoomPresence & Stamp)
  | ({ type: 'devices'; devices: RoomDevice[]; total: number } & Stamp)
  | ({ type: 'tick'; timers: TickReading[] } & Stamp)
  | { type: 'identify'; deviceId: string; name: string; untilMs: number; serverTime: number }
  | { type: 'reload'; serverTime: number }
  | { type: 'pong'; t0: number; serverTime: number; version: number }
  | { type: 'ack'; id: string; version: number; serverTime: number }
  | ErrorMessage;

export type RoomServerMessageType = RoomServerMessage['type'];

/** Events that change room state; they carry the version they produced. */
export type RoomEventMessage = RoomWireEvent & Stamp;

/** The messages that carry one versioned change of the room (presence, pongs and snapshots do not). */
export const ROOM_CHANGE_MESSAGES = [
  'timer-update',
  'timer-created',
  'timer-deleted',
  'timer-finished',
  'timers-reordered',
  'rundown-replaced',
  'timer-phase',
  'schedule-update',
  'message',
  'room-update',
] as const;

/** The type names, once (the docs and tests list them from here). */
export const ROOM_SERVER_MESSAGES = [
  'room-state',
  ...ROOM_CHANGE_MESSAGES,
  'user-count',
  'devices',
  'tick',
  'identify',
  'reload',
  'pong',
  'ack',
  'error',
] as const satisfies readonly RoomServerMessageType[];

// The list names every message type.
const _everyType: [Exclude<RoomServerMessageType, (typeof ROOM_SERVER_MESSAGES)[number]>] extends [never]
  ? true
  : false = true;
void _everyType;

export type { Phase, RoomInfo, RoomMessage, Timer };
