/**
 * Guards for what the server sends: room snapshots over HTTP and every room
 * WebSocket message. `parseServerMessage(raw) → message | null`; anything
 * malformed is dropped rather than trusted.
 */
import type {
  Phase,
  RoomDevice,
  RoomEventMessage,
  RoomInfoView,
  RoomLinks,
  RoomMessage,
  RoomRole,
  RoomServerMessage,
  RoomServerMessageType,
  RoomSnapshot,
  Timer,
} from '../../../../core/rooms/wire.ts';
import type { Played, PlayedCue } from '../../../../core/rooms/schedule.ts';
import {
  type Loose,
  type Rec,
  arrayOf,
  isBool,
  isNum,
  isNumOrNull,
  isRec,
  isStr,
  isStrOrNull,
  oneOf,
  parseJson,
} from '../net/guards.ts';

export type Role = RoomRole;
export type Links = RoomLinks;
export type Device = RoomDevice;
export type { RoomEventMessage };

type Sent<T extends RoomServerMessageType> = Extract<RoomServerMessage, { type: T }>;

/** A snapshot as the site reads it (the server's `display` readings and `schedule` are recomputed locally). */
export type Snapshot = Loose<RoomSnapshot, 'display' | 'schedule' | 'played'>;

/** The server's messages (core/rooms/wire.ts), less the fields the site neither needs nor checks. */
export type ServerMessage =
  | Loose<Sent<'room-state'>, 'display' | 'schedule' | 'played'>
  | RoomEventMessage
  | Sent<'user-count'>
  | Loose<Sent<'devices'>, 'total'>
  | Loose<Sent<'tick'>, 'timers'>
  | Sent<'identify'>
  | Sent<'reload'>
  | Loose<Sent<'pong'>, 'version'>
  | Loose<Sent<'ack'>, 'serverTime'>
  | Loose<Sent<'error'>, 'version' | 'serverTime'>;

const isMode = oneOf<Timer['mode']>('countdown', 'countup', 'time-of-day');
const isTrigger = oneOf<Timer['trigger']>('manual', 'linked', 'scheduled');
const isTimerState = oneOf<Timer['state']>('idle', 'running', 'paused', 'finished');
const isPhase = oneOf<Phase>('idle', 'normal', 'warning', 'danger', 'overtime');
const isRole = oneOf<RoomRole>('owner', 'controller', 'viewer');

function isTimer(v: unknown): v is Timer {
  return (
    isRec(v) &&
    isStr(v.id) &&
    isStr(v.label) &&
    isMode(v.mode) &&
    isNum(v.durationMs) &&
    isNumOrNull(v.targetTime) &&
    isTimerState(v.state) &&
    isNumOrNull(v.startedAt) &&
    isNumOrNull(v.pausedAt) &&
    isNum(v.accumulatedMs) &&
    isNum(v.adjustMs) &&
    isNumOrNull(v.warnMs) &&
    isNumOrNull(v.dangerMs) &&
    isTrigger(v.trigger) &&
    isNumOrNull(v.startAt) &&
    isNum(v.order) &&
    (v.finishedAt === undefined || isNumOrNull(v.finishedAt))
  );
}

/** The room's settings; `ownerId` only in the owner's views (link holders see no user ids). */
export function isRoomInfo(v: unknown): v is RoomInfoView {
  return (
    isRec(v) &&
    isStr(v.id) &&
    isStr(v.name) &&
    (v.ownerId === undefined || isStr(v.ownerId)) &&
    isNum(v.createdAt) &&
    isNum(v.warnMs) &&
    isNum(v.dangerMs) &&
    isStrOrNull(v.activeTimerId)
  );
}

const isRoomMessage = (v: unknown): v is RoomMessage | null =>
  v === null || (isRec(v) && isStr(v.text) && isBool(v.flash) && isBool(v.blackout));
export const isLinks = (v: unknown): v is Links => isRec(v) && isStr(v.viewer) && isStr(v.controller);
const isDevice = (v: unknown): v is Device =>
  isRec(v) &&
  isStr(v.sid) &&
  isStr(v.role) &&
  isStrOrNull(v.device) &&
  isNumOrNull(v.offsetMs) &&
  isNumOrNull(v.rttMs) &&
  isNumOrNull(v.connectedAt) &&
  isStrOrNull(v.deviceId) &&
  isStrOrNull(v.name) &&
  isBool(v.online) &&
  isNum(v.lastSeenAt) &&
  isBool(v.quiet) &&
  isNumOrNull(v.spread) &&
  isBool(v.poorSync);
const isTimers = arrayOf(isTimer);
const isPlayedCue = (v: unknown): v is PlayedCue =>
  isRec(v) && isNum(v.actualStart) && isNumOrNull(v.actualEnd) && isNum(v.absorbedMs);
/** Records of what has played, keyed by timer id. */
const isPlayed = (v: unknown): v is Played => isRec(v) && Object.values(v).every(isPlayedCue);
const isStrings = arrayOf(isStr);
const isDevices = arrayOf(isDevice);

export function isSnapshot(v: unknown): v is Snapshot {
  return (
    isRec(v) &&
    isRoomInfo(v.room) &&
    isTimers(v.timers) &&
    isRoomMessage(v.message) &&
    isNum(v.version) &&
    isNum(v.serverTime) &&
    isRole(v.role) &&
    (v.links === undefined || isLinks(v.links)) &&
    (v.played === undefined || isPlayed(v.played))
  );
}

const stamped = (m: Rec) => isNum(m.version) && isNum(m.serverTime);

/** One check per message type the server sends: a new type in core fails to compile here until it is checked. */
const checks: { [K in RoomServerMessageType]: (m: Rec) => boolean } = {
  'room-state': (m) => isNum(m.viewers) && isNum(m.controllers) && isSnapshot(m),
  'timer-update': (m) => stamped(m) && isTimer(m.timer),
  'timer-created': (m) => stamped(m) && isTimer(m.timer),
  'timer-deleted': (m) => stamped(m) && isStr(m.timerId),
  'timer-finished': (m) => stamped(m) && isStr(m.timerId) && isNum(m.finishedAt),
  'timers-reordered': (m) => stamped(m) && isStrings(m.timerIds),
  'rundown-replaced': (m) => stamped(m) && isTimers(m.timers),
  'timer-phase': (m) => stamped(m) && isStr(m.timerId) && isPhase(m.phase),
  'schedule-update': (m) => stamped(m) && isPlayed(m.played),
  message: (m) => stamped(m) && isRoomMessage(m.message),
  'room-update': (m) => stamped(m) && isRoomInfo(m.room),
  'user-count': (m) => stamped(m) && isNum(m.viewers) && isNum(m.controllers),
  devices: (m) => stamped(m) && isDevices(m.devices),
  tick: stamped,
  identify: (m) => isStr(m.deviceId) && isStr(m.name) && isNum(m.untilMs) && isNum(m.serverTime),
  reload: (m) => isNum(m.serverTime),
  pong: (m) => isNum(m.t0) && isNum(m.serverTime),
  ack: (m) => isStr(m.id) && isNum(m.version),
  error: (m) => isStr(m.code) && isStr(m.message) && (m.id === undefined || isStr(m.id)),
};

/** Parses one WebSocket frame; null for anything that is not a well-formed server message. */
export function parseServerMessage(raw: unknown): ServerMessage | null {
  if (typeof raw !== 'string') return null;
  const m = parseJson(raw);
  if (!isRec(m) || !isStr(m.type)) return null;
  const check = Object.hasOwn(checks, m.type) ? checks[m.type as RoomServerMessageType] : undefined;
  return check?.(m) ? (m as ServerMessage) : null;
}
