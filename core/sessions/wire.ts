/**
 * What the server says about a session, on the socket and over HTTP. The
 * contract's fields (userId, status, startTime, elapsedTime, pausedTime,
 * label, version, serverTime) come first; the instants after them let a
 * client render the clock locally between messages.
 */
import {
  type ActiveSession,
  type CompletedSession,
  type SessionEvent,
  type SessionState,
  elapsedMs,
  pausedMs,
} from './transition.ts';
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
  pauseSegments: Array<{ pausedAt: number; resumedAt: number | null }>;
  autoStopAt: number | null;
  autoStopped: boolean;
}

const SESSION_EVENT_TYPES = {
  started: 'SESSION_STARTED',
  paused: 'SESSION_PAUSED',
  resumed: 'SESSION_RESUMED',
  stopped: 'SESSION_STOPPED',
} as const;

export type SessionMessageType =
  | (typeof SESSION_EVENT_TYPES)[keyof typeof SESSION_EVENT_TYPES]
  | 'SESSION_STATE'
  | 'SESSION_TICK';
export type SessionMessage = { type: SessionMessageType } & SessionView & { last?: SessionView | null };

/** Every message on the session socket; the answer to a command names it (`replyTo`). */
export type SessionServerMessage = (SessionMessage & { replyTo?: string }) | PongMessage | ErrorMessage;

// ── Views ──────────────────────────────────────────────────────────────────
function activeView(userId: string, s: ActiveSession, version: number, now: number): SessionView {
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
  };
}

/** SESSION_STATE: the session in progress, or idle (with the latest stopped session as `last`). */
export function stateMessage(state: SessionState | null, userId: string, now: number): SessionMessage {
  if (state?.active) return { type: 'SESSION_STATE', ...activeView(userId, state.active, state.version, now) };
  const version = state?.version ?? 0;
  const last = state?.last ? completedView(userId, state.last, state.last.version, now) : null;
  return { type: 'SESSION_STATE', ...idleView(userId, version, now), last };
}

/** The broadcast for one event. Readings are taken at the event's instant when it is a stop. */
export function eventMessage(userId: string, e: SessionEvent, now: number): SessionMessage {
  const view =
    e.type === 'stopped'
      ? completedView(userId, e.session, e.version, now)
      : activeView(userId, e.session, e.version, now);
  return { type: SESSION_EVENT_TYPES[e.type], ...view };
}

/** SESSION_TICK for sockets that asked for ticks, or null when nothing is running. */
export function tickMessage(state: SessionState, now: number): SessionMessage | null {
  if (state.active?.status !== 'running') return null;
  return { type: 'SESSION_TICK', ...activeView(state.userId, state.active, state.version, now) };
}
