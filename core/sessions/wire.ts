/**
 * What the server says about a session, on the socket and over HTTP. The
 * contract's fields (userId, status, startTime, elapsedTime, pausedTime,
 * label, version, serverTime) come first; the instants after them let a
 * client render the clock locally between messages.
 */
import {
  type ActiveSession,
  type CompletedSession,
  type EventCause,
  type PauseSegment,
  type SessionEvent,
  type SessionState,
  type StopReason,
  type StoppedBy,
  elapsedMs,
  pausedMs,
} from './transition.ts';
import { type FocusView, focusView } from './focus.ts';
import { idleStopDue } from './idle.ts';
import type { SessionSettings } from './idle.ts';
import type { ErrorMessage, PongMessage } from '../wire.ts';

// ── Wire shapes ──────────────────────────────────────────────────────────
export type SessionWireStatus = 'idle' | 'running' | 'paused' | 'stopped';

export interface SessionView {
  userId: string;
  status: SessionWireStatus;
  startTime: number | null;
  elapsedTime: number;
  pausedTime: number;
  label: string | null;
  version: number;
  /** The instant the readings were taken. */
  serverTime: number;
  /** The session's id (null when idle). */
  id: string | null;
  endTime: number | null;
  accumulatedMs: number;
  resumedAt: number | null;
  pauseSegments: PauseSegment[];
  autoStopAt: number | null;
  autoStopped: boolean;
  // ── Issue 14: what the session is for, idleness, focus, how it stopped ──
  projectId: string | null;
  taskId: string | null;
  tags: string[];
  /** The latest activity any device reported; null when no session is in progress. */
  lastActivityAt: number | null;
  /** The "Still working?" prompt is open while this is set: the last activity when it opened. */
  idleSince: number | null;
  /** When an unanswered prompt stops the session (at `idleSince`); null when it will not. */
  idleAutoStopAt: number | null;
  focus: FocusView | null;
  /** How a stopped session ended: the user, the hard cut-off ('limit') or idleness; null otherwise. */
  stopReason: StopReason | null;
  stoppedBy: StoppedBy | null;
}

const SESSION_EVENT_TYPES = {
  started: 'SESSION_STARTED',
  paused: 'SESSION_PAUSED',
  resumed: 'SESSION_RESUMED',
  stopped: 'SESSION_STOPPED',
  updated: 'SESSION_UPDATED',
  idle: 'SESSION_IDLE',
  'idle-cleared': 'SESSION_IDLE_CLEARED',
} as const;

export type SessionMessageType =
  | (typeof SESSION_EVENT_TYPES)[keyof typeof SESSION_EVENT_TYPES]
  | 'SESSION_STATE'
  | 'SESSION_TICK';
export type SessionMessage = { type: SessionMessageType } & SessionView & {
    last?: SessionView | null;
    /** What caused an event: a user command, a focus phase change, idleness, or the hard cut-off. */
    cause?: EventCause;
    /** SESSION_IDLE_CLEARED: the answer given. */
    choice?: 'keep' | 'discard';
  };

/** The answer to ACTIVITY (only when it carried an id) and to POST /api/sessions/activity. */
export interface ActivityAnswer {
  lastActivityAt: number | null;
  idleSince: number | null;
  serverTime: number;
}

/** Every message on the session socket; the answer to a command names it (`replyTo`). */
export type SessionServerMessage =
  | (SessionMessage & { replyTo?: string })
  | ({ type: 'ACTIVITY_OK'; replyTo: string; version: number } & ActivityAnswer)
  | PongMessage
  | ErrorMessage;

// ── Views ──────────────────────────────────────────────────────────────────
function activeView(
  userId: string,
  s: ActiveSession,
  version: number,
  now: number,
  settings?: SessionSettings,
): SessionView {
  const idleStop = settings && s.idle ? idleStopDue(s, settings) : null;
  return {
    userId,
    status: s.status,
    startTime: s.startTime,
    elapsedTime: elapsedMs(s, now),
    pausedTime: pausedMs(s, now),
    label: s.label,
    version,
    serverTime: now,
    id: s.id,
    endTime: null,
    accumulatedMs: s.accumulatedMs,
    resumedAt: s.resumedAt,
    pauseSegments: s.pauseSegments,
    autoStopAt: s.autoStopAt,
    autoStopped: false,
    projectId: s.projectId,
    taskId: s.taskId,
    tags: s.tags,
    lastActivityAt: s.lastActivityAt,
    idleSince: s.idle?.since ?? null,
    idleAutoStopAt: idleStop === null ? null : Math.min(idleStop, s.autoStopAt),
    focus: focusView(s.focus),
    stopReason: null,
    stoppedBy: null,
  };
}

function completedView(userId: string, s: CompletedSession, version: number, now: number): SessionView {
  return {
    userId,
    status: 'stopped',
    startTime: s.startTime,
    elapsedTime: s.elapsedMs,
    pausedTime: s.pausedMs,
    label: s.label,
    version,
    serverTime: now,
    id: s.id,
    endTime: s.endTime,
    accumulatedMs: s.elapsedMs,
    resumedAt: null,
    pauseSegments: s.pauseSegments,
    autoStopAt: null,
    autoStopped: s.autoStopped,
    projectId: s.projectId,
    taskId: s.taskId,
    tags: s.tags,
    lastActivityAt: null,
    idleSince: null,
    idleAutoStopAt: null,
    focus: null,
    stopReason: s.stopReason,
    stoppedBy: s.stoppedBy,
  };
}

function idleView(userId: string, version: number, now: number): SessionView {
  return {
    userId,
    status: 'idle',
    startTime: null,
    elapsedTime: 0,
    pausedTime: 0,
    label: null,
    version,
    serverTime: now,
    id: null,
    endTime: null,
    accumulatedMs: 0,
    resumedAt: null,
    pauseSegments: [],
    autoStopAt: null,
    autoStopped: false,
    projectId: null,
    taskId: null,
    tags: [],
    lastActivityAt: null,
    idleSince: null,
    idleAutoStopAt: null,
    focus: null,
    stopReason: null,
    stoppedBy: null,
  };
}

/** SESSION_STATE: the session in progress, or idle (with the latest stopped session as `last`). */
export function stateMessage(state: SessionState | null, userId: string, now: number): SessionMessage {
  if (state?.active)
    return { type: 'SESSION_STATE', ...activeView(userId, state.active, state.version, now, state.settings) };
  const version = state?.version ?? 0;
  const last = state?.last ? completedView(userId, state.last, state.last.version, now) : null;
  return { type: 'SESSION_STATE', ...idleView(userId, version, now), last };
}

/** The broadcast for one event. Readings are taken at the event's instant when it is a stop. */
export function eventMessage(userId: string, e: SessionEvent, now: number, settings?: SessionSettings): SessionMessage {
  const view =
    e.type === 'stopped'
      ? completedView(userId, e.session, e.version, now)
      : activeView(userId, e.session, e.version, now, settings);
  return {
    type: SESSION_EVENT_TYPES[e.type],
    ...view,
    cause: e.cause,
    ...(e.type === 'idle-cleared' && e.choice ? { choice: e.choice } : {}),
  };
}

/** The view of a stopped session (history, the target of a stale command). */
export function stoppedView(userId: string, s: CompletedSession, now: number): SessionView {
  return completedView(userId, s, s.version, now);
}

/** ACTIVITY's answer. */
export function activityAnswer(state: SessionState | null, now: number): ActivityAnswer {
  return {
    lastActivityAt: state?.active?.lastActivityAt ?? null,
    idleSince: state?.active?.idle?.since ?? null,
    serverTime: now,
  };
}

/** SESSION_TICK for sockets that asked for ticks, or null when nothing is running. */
export function tickMessage(state: SessionState, now: number): SessionMessage | null {
  if (state.active?.status !== 'running') return null;
  return { type: 'SESSION_TICK', ...activeView(state.userId, state.active, state.version, now, state.settings) };
}
