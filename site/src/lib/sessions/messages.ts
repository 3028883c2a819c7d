/**
 * Guards for what the live-session socket (and GET /api/sessions/current)
 * sends. `parseSessionMessage(raw) → message | null`; anything malformed is
 * dropped. The contract's fields are required; the instants the server adds
 * (accumulatedMs, resumedAt, pauseSegments, …) are filled in from them when absent.
 */
import type {
  SessionMessageType,
  SessionView,
  SessionWireStatus,
  SessionServerMessage as WireMessage,
} from '../../../../core/sessions/wire.ts';
import { type Rec, arrayOf, isNum, isNumOrNull, isRec, isStr, isStrOrNull, oneOf, parseJson } from '../net/guards.ts';

export type { SessionView, SessionWireStatus };

/** The session messages (core/sessions/wire.ts) that carry a view. */
const SESSION_EVENTS = [
  'SESSION_STARTED',
  'SESSION_PAUSED',
  'SESSION_RESUMED',
  'SESSION_STOPPED',
  'SESSION_STATE',
  'SESSION_TICK',
  'SESSION_UPDATED',
  'SESSION_IDLE',
  'SESSION_IDLE_CLEARED',
] as const satisfies readonly SessionMessageType[];
type SessionEventType = SessionMessageType;
// A message type added in core fails to compile here until the list names it.
const _everyEvent: [Exclude<SessionMessageType, (typeof SESSION_EVENTS)[number]>] extends [never] ? true : false = true;
void _everyEvent;

type WirePong = Extract<WireMessage, { type: 'pong' }>;
type WireError = Extract<WireMessage, { type: 'error' }>;

/** A server message as the store takes it: the view apart, and the answer's fields normalised. */
export type SessionServerMessage =
  /** `last`: with SESSION_STATE while idle, the latest stopped session. `replyTo`: the command id this answers. */
  | { type: SessionEventType; view: SessionView; last: SessionView | null; replyTo: string | null }
  | (Pick<WirePong, 'type' | 'serverTime'> & { t0: number })
  | (Pick<WireError, 'type' | 'code' | 'message'> & { id: string | null; details?: Rec | null })
  /** The answer to an ACTIVITY that carried an id (nothing to apply). */
  | { type: 'ACTIVITY_OK'; replyTo: string | null }
  /** History, projects or tasks changed (on this device or another): lists reload. */
  | { type: 'LISTS_CHANGED'; what: 'entries' | 'projects' };

export type FocusView = NonNullable<SessionView['focus']>;

const isStatus = oneOf<SessionWireStatus>('idle', 'running', 'paused', 'stopped');
const isSegment = (v: unknown): v is { pausedAt: number; resumedAt: number | null } =>
  isRec(v) && isNum(v.pausedAt) && isNumOrNull(v.resumedAt);
const isPhase = oneOf<FocusView['phase']>('focus', 'break', 'long-break');
const isFocusConfig = (v: unknown): v is FocusView['config'] =>
  isRec(v) && isNum(v.focusMs) && isNum(v.breakMs) && isNum(v.longBreakMs) && isNum(v.every);
const isFocus = (v: unknown): v is FocusView =>
  isRec(v) &&
  isPhase(v.phase) &&
  isNumOrNull(v.phaseEndsAt ?? null) &&
  isNumOrNull(v.remainingMs ?? null) &&
  isFocusConfig(v.config);
const isStoppedBy = (v: unknown): v is NonNullable<SessionView['stoppedBy']> =>
  isRec(v) && isStrOrNull(v.device ?? null) && (v.role === 'user' || v.role === 'system');
const isStopReason = oneOf<NonNullable<SessionView['stopReason']>>('user', 'limit', 'idle');

/** A session view from a message or snapshot, or null when it lacks a contract field. */
export function toSessionView(v: unknown): SessionView | null {
  if (!isRec(v)) return null;
  const { userId, status, startTime, elapsedTime, pausedTime, label, version, serverTime } = v;
  if (
    !isStr(userId) ||
    !isStatus(status) ||
    !isNumOrNull(startTime ?? null) ||
    !isNum(elapsedTime) ||
    !isNum(pausedTime)
  )
    return null;
  if (!isStrOrNull(label ?? null) || !isNum(version) || !isNum(serverTime)) return null;
  const running = status === 'running';
  const focus = isFocus(v.focus) ? v.focus : null;
  return {
    userId,
    status,
    startTime: (startTime as number | null | undefined) ?? null,
    elapsedTime,
    pausedTime,
    label: (label as string | null | undefined) ?? null,
    version,
    serverTime,
    id: opt(v, 'id', isStrOrNull, null),
    endTime: opt(v, 'endTime', isNumOrNull, null),
    // Without the instants, the readings at serverTime say the same thing.
    accumulatedMs: opt(v, 'accumulatedMs', isNum, elapsedTime),
    resumedAt: opt(v, 'resumedAt', isNumOrNull, running ? serverTime : null),
    pauseSegments: opt(v, 'pauseSegments', arrayOf(isSegment), []),
    autoStopAt: opt(v, 'autoStopAt', isNumOrNull, null),
    autoStopped: opt(v, 'autoStopped', (x): x is boolean => typeof x === 'boolean', false),
    projectId: opt(v, 'projectId', isStrOrNull, null),
    taskId: opt(v, 'taskId', isStrOrNull, null),
    tags: opt(v, 'tags', arrayOf(isStr), []),
    lastActivityAt: opt(v, 'lastActivityAt', isNumOrNull, null),
    idleSince: opt(v, 'idleSince', isNumOrNull, null),
    idleAutoStopAt: opt(v, 'idleAutoStopAt', isNumOrNull, null),
    focus: focus && {
      ...focus,
      phaseEndsAt: focus.phaseEndsAt ?? null,
      remainingMs: focus.remainingMs ?? null,
      cycle: isNum(focus.cycle) ? focus.cycle : 0,
    },
    stopReason: opt(v, 'stopReason', (x): x is SessionView['stopReason'] => x === null || isStopReason(x), null),
    stoppedBy: opt(v, 'stoppedBy', (x): x is SessionView['stoppedBy'] => x === null || isStoppedBy(x), null),
  };
}

function opt<T>(v: Rec, key: string, guard: (x: unknown) => x is T, fallback: T): T {
  const x = v[key];
  return x !== undefined && guard(x) ? x : fallback;
}

/** Parses one socket frame (or a GET /api/sessions/current body, which is a SESSION_STATE). */
export function parseSessionMessage(raw: unknown): SessionServerMessage | null {
  const m = typeof raw === 'string' ? parseJson(raw) : raw;
  if (!isRec(m) || !isStr(m.type)) return null;
  if (m.type === 'pong')
    return isNum(m.t0) && isNum(m.serverTime) ? { type: 'pong', t0: m.t0, serverTime: m.serverTime } : null;
  if (m.type === 'error') {
    if (!isStr(m.code)) return null;
    return {
      type: 'error',
      id: isStr(m.id) ? m.id : null,
      code: m.code,
      message: isStr(m.message) ? m.message : m.code,
      details: isRec(m.details) ? m.details : null,
    };
  }
  if (m.type === 'ACTIVITY_OK') return { type: 'ACTIVITY_OK', replyTo: isStr(m.replyTo) ? m.replyTo : null };
  if (m.type === 'SESSION_ENTRY') return { type: 'LISTS_CHANGED', what: 'entries' };
  if (m.type === 'PROJECT_CHANGED' || m.type === 'TASK_CHANGED') return { type: 'LISTS_CHANGED', what: 'projects' };
  if (!(SESSION_EVENTS as readonly string[]).includes(m.type)) return null;
  const view = toSessionView(m);
  if (!view) return null;
  const last = m.last === undefined || m.last === null ? null : toSessionView(m.last);
  return {
    type: m.type as SessionEventType,
    view,
    last,
    replyTo: isStr(m.replyTo) ? m.replyTo : null,
  };
}

/** Guard for GET /api/sessions/current. */
export const isSessionState = (v: unknown): v is Rec => {
  const m = parseSessionMessage(v);
  return m !== null && m.type === 'SESSION_STATE';
};
