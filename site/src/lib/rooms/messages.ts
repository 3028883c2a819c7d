/**
 * Guards for what the server sends: room snapshots over HTTP and every room
 * WebSocket message. `parseServerMessage(raw) → message | null`; anything
 * malformed is dropped rather than trusted.
 */
import type { RoomInfo, RoomMessage } from '../../../../core/rooms/transition.ts';
import type { Phase, Timer } from '../../../../core/rooms/timer.ts';
import {
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

export type Role = 'owner' | 'controller' | 'viewer';
export interface Links {
  viewer: string;
  controller: string;
}
export interface Device {
  sid: string;
  role: string;
  device: string | null;
  offsetMs: number | null;
  rttMs: number | null;
  connectedAt: number;
}
export interface Snapshot {
  room: RoomInfo;
  timers: Timer[];
  message: RoomMessage | null;
  version: number;
  serverTime: number;
  role: Role;
  links?: Links;
}

type Stamp = { version: number; serverTime: number };
export type ServerMessage =
  | ({ type: 'room-state'; viewers: number; controllers: number } & Snapshot)
  | ({ type: 'timer-update' | 'timer-created'; timer: Timer } & Stamp)
  | ({ type: 'timer-deleted'; timerId: string } & Stamp)
  | ({ type: 'timer-finished'; timerId: string; finishedAt: number } & Stamp)
  | ({ type: 'timers-reordered'; timerIds: string[] } & Stamp)
  | ({ type: 'timer-phase'; timerId: string; phase: Phase } & Stamp)
  | ({ type: 'message'; message: RoomMessage | null } & Stamp)
  | ({ type: 'room-update'; room: RoomInfo } & Stamp)
  | ({ type: 'user-count'; viewers: number; controllers: number } & Stamp)
  | ({ type: 'devices'; devices: Device[] } & Stamp)
  | ({ type: 'tick' } & Stamp)
  | { type: 'pong'; t0: number; serverTime: number; version?: number }
  | { type: 'ack'; id: string; version: number }
  | { type: 'error'; id?: string; code: string; message: string; version?: number };

/** Events that change room state; they carry the version they produced. */
export type RoomEventMessage = Extract<
  ServerMessage,
  {
    type:
      | 'timer-update'
      | 'timer-created'
      | 'timer-deleted'
      | 'timer-finished'
      | 'timers-reordered'
      | 'timer-phase'
      | 'message'
      | 'room-update';
  }
>;

const isMode = oneOf('countdown', 'countup', 'time-of-day');
const isTrigger = oneOf('manual', 'linked', 'scheduled');
const isTimerState = oneOf('idle', 'running', 'paused', 'finished');
const isPhase = oneOf('idle', 'normal', 'warning', 'danger', 'overtime');
const isRole = oneOf('owner', 'controller', 'viewer');

export function isTimer(v: unknown): v is Timer {
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

export function isRoomInfo(v: unknown): v is RoomInfo {
  return (
    isRec(v) &&
    isStr(v.id) &&
    isStr(v.name) &&
    isStr(v.ownerId) &&
    isNum(v.createdAt) &&
    isNum(v.warnMs) &&
    isNum(v.dangerMs) &&
    isStrOrNull(v.activeTimerId)
  );
}

export const isRoomMessage = (v: unknown): v is RoomMessage | null =>
  v === null || (isRec(v) && isStr(v.text) && isBool(v.flash) && isBool(v.blackout));
export const isLinks = (v: unknown): v is Links => isRec(v) && isStr(v.viewer) && isStr(v.controller);
const isDevice = (v: unknown): v is Device =>
  isRec(v) &&
  isStr(v.sid) &&
  isStr(v.role) &&
  isStrOrNull(v.device) &&
  isNumOrNull(v.offsetMs) &&
  isNumOrNull(v.rttMs) &&
  isNum(v.connectedAt);
const isTimers = arrayOf(isTimer);
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
    (v.links === undefined || isLinks(v.links))
  );
}

const stamped = (m: Rec) => isNum(m.version) && isNum(m.serverTime);

const checks: Record<string, (m: Rec) => boolean> = {
  'room-state': (m) => isSnapshot(m) && isNum(m.viewers) && isNum(m.controllers),
  'timer-update': (m) => stamped(m) && isTimer(m.timer),
  'timer-created': (m) => stamped(m) && isTimer(m.timer),
  'timer-deleted': (m) => stamped(m) && isStr(m.timerId),
  'timer-finished': (m) => stamped(m) && isStr(m.timerId) && isNum(m.finishedAt),
  'timers-reordered': (m) => stamped(m) && isStrings(m.timerIds),
  'timer-phase': (m) => stamped(m) && isStr(m.timerId) && isPhase(m.phase),
  message: (m) => stamped(m) && isRoomMessage(m.message),
  'room-update': (m) => stamped(m) && isRoomInfo(m.room),
  'user-count': (m) => stamped(m) && isNum(m.viewers) && isNum(m.controllers),
  devices: (m) => stamped(m) && isDevices(m.devices),
  tick: stamped,
  pong: (m) => isNum(m.t0) && isNum(m.serverTime),
  ack: (m) => isStr(m.id) && isNum(m.version),
  error: (m) => isStr(m.code) && isStr(m.message) && (m.id === undefined || isStr(m.id)),
};

/** Parses one WebSocket frame; null for anything that is not a well-formed server message. */
export function parseServerMessage(raw: unknown): ServerMessage | null {
  if (typeof raw !== 'string') return null;
  const m = parseJson(raw);
  if (!isRec(m) || !isStr(m.type)) return null;
  const check = checks[m.type];
  return check?.(m) ? (m as ServerMessage) : null;
}
