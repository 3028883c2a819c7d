/**
 * One user's live session as a pure transition:
 * `transition(state, command, now) → { state, events } | { rejected }`.
 * The state stores instants only (start, the current running segment's
 * start, pause segments, the last activity, the focus phase's end); elapsed
 * and paused time are derived from them and a clock reading. Every boundary
 * (the hard cut-off, the idle prompt, the idle auto-stop, a focus phase end)
 * is applied at its exact instant. No I/O and no clock: `now` and new ids come with the call.
 */
import {
  type FocusConfig,
  type FocusState,
  continueAt,
  freshFocus,
  isBreak,
  nextPhase,
  startFocus,
  suspend,
} from './focus.ts';
import { DEFAULT_SETTINGS, type SessionSettings, idlePromptDue, idleStopAt, idleStopDue } from './idle.ts';

// ── State ──────────────────────────────────────────────────────────────────
/** Why a pause happened: absent for a manual pause. */
export type PauseKind = 'focus' | 'idle';

/** A pause inside a session, in epoch milliseconds; `resumedAt` is null while it lasts. */
export interface PauseSegment {
  pausedAt: number;
  resumedAt: number | null;
  kind?: PauseKind;
}

type ActiveStatus = 'running' | 'paused';

/** What the clock derivations read: enough for any client to render the session locally. */
export interface SessionClock {
  status: ActiveStatus;
  startTime: number;
  /** Running time of every closed running segment. */
  accumulatedMs: number;
  /** Start of the current running segment; null while paused. */
  resumedAt: number | null;
  /** Every pause, oldest first; only the last may be open. */
  pauseSegments: PauseSegment[];
  /** When the session stops by itself: its start plus the limit in force when it started. */
  autoStopAt: number;
}

/** What a session is for: all optional. */
export interface SessionMeta {
  label: string | null;
  projectId: string | null;
  taskId: string | null;
  tags: string[];
}

/** The session in progress. */
export interface ActiveSession extends SessionClock, SessionMeta {
  id: string;
  /** The latest activity any device reported (commands count). */
  lastActivityAt: number;
  /** The open "Still working?" prompt: `since` is the last activity when it opened. */
  idle: { since: number; promptedAt: number } | null;
  focus: FocusState | null;
}

export type StopReason = 'user' | 'limit' | 'idle';
/** Who stopped a session: a user's device (its name when known) or the object itself. */
export interface StoppedBy {
  device: string | null;
  role: 'user' | 'system';
}

/** A stopped session: what history keeps. `elapsedMs + pausedMs === durationMs`. */
export interface CompletedSession extends SessionMeta {
  id: string;
  startTime: number;
  endTime: number;
  /** Wall-clock length, end minus start. */
  durationMs: number;
  /** Time spent running. */
  elapsedMs: number;
  pausedMs: number;
  pauseSegments: PauseSegment[];
  /** True when the session stopped itself (the hard cut-off or idleness) rather than the user. */
  autoStopped: boolean;
  stopReason: StopReason;
  stoppedBy: StoppedBy;
  /** The user's session version when it stopped. */
  version: number;
}

export interface SessionState {
  userId: string;
  /** Rises by one for every event; never otherwise. */
  version: number;
  active: ActiveSession | null;
  /** The latest stopped session. */
  last: CompletedSession | null;
  /** Server time of the last change. A command's clock never reads earlier than this. */
  changedAt: number;
  settings: SessionSettings;
}

/** 12 hours of wall time since the start. */
export const DEFAULT_SESSION_MAX_MS = 12 * 3_600_000;
/** Pauses one session may hold; every one is kept, so the record stays bounded. */
export const MAX_PAUSES = 1_000;
/** At most this many boundaries are applied in one call (a focus cycle over 12 h has fewer than 800). */
const MAX_SETTLE_STEPS = 2_000;

export function makeSessionState(userId: string, now: number): SessionState {
  return { userId, version: 0, active: null, last: null, changedAt: now, settings: { ...DEFAULT_SETTINGS } };
}

/** Fills fields that states stored before idleness, focus and projects lack. */
export function upgradeState(s: SessionState): SessionState {
  const a = s.active as (Partial<ActiveSession> & SessionClock & { id: string; label: string | null }) | null;
  const l = s.last as (Partial<CompletedSession> & { autoStopped: boolean }) | null;
  return {
    ...s,
    settings: s.settings ?? { ...DEFAULT_SETTINGS },
    active: a && {
      ...a,
      projectId: a.projectId ?? null,
      taskId: a.taskId ?? null,
      tags: a.tags ?? [],
      lastActivityAt: a.lastActivityAt ?? Math.max(a.startTime, a.resumedAt ?? 0, s.changedAt),
      idle: a.idle ?? null,
      focus: a.focus ?? null,
    },
    last: l && {
      ...(l as CompletedSession),
      projectId: l.projectId ?? null,
      taskId: l.taskId ?? null,
      tags: l.tags ?? [],
      stopReason: l.stopReason ?? (l.autoStopped ? 'limit' : 'user'),
      stoppedBy: l.stoppedBy ?? { device: null, role: l.autoStopped ? 'system' : 'user' },
    },
  };
}

// ── Commands ───────────────────────────────────────────────────────────────
/** What a command queued on a device was made against: the session it names and the version it saw. */
interface Guard {
  sessionId?: string;
  baseVersion?: number;
}
/** The device a command came from, when known (recorded on a stop). */
interface From {
  device?: string | null;
}
export type IdleChoice = 'keep' | 'discard' | 'stop';

export type SessionCommand =
  /** `id` is chosen by the caller; `maxMs` is the hard cut-off for this session. */
  | ({
      type: 'start';
      id: string;
      label: string | null;
      maxMs: number;
      projectId?: string | null;
      taskId?: string | null;
      tags?: string[];
      focus?: FocusConfig | null;
    } & From)
  | ({ type: 'pause' | 'resume' | 'stop' } & Guard & From)
  /** Changes what the session is for; a field left out stays. */
  | ({
      type: 'update';
      label?: string | null;
      projectId?: string | null;
      taskId?: string | null;
      tags?: string[];
    } & Guard &
      From)
  /** A device saw the user active at `at` (default now). Never an event. */
  | { type: 'activity'; at?: number }
  | ({ type: 'idle-answer'; choice: IdleChoice; sessionId?: string } & From)
  /** The user's idle settings (validated by the caller). Never an event. */
  | { type: 'configure'; settings: SessionSettings }
  /** Internal: apply every boundary due by `now`. */
  | { type: 'tick' };

// ── Events ─────────────────────────────────────────────────────────────────
/** What caused an event: a user command, a focus phase change, idleness, or the hard cut-off. */
export type EventCause = 'user' | 'focus' | 'idle' | 'limit';
type ActiveEventType = 'started' | 'paused' | 'resumed' | 'updated' | 'idle' | 'idle-cleared';

/** Each event carries the version it produced and the instant it took effect. */
export type SessionEvent =
  | {
      type: ActiveEventType;
      session: ActiveSession;
      version: number;
      at: number;
      cause: EventCause;
      choice?: 'keep' | 'discard';
    }
  | { type: 'stopped'; session: CompletedSession; version: number; at: number; cause: EventCause };

export type SessionRejectCode =
  | 'session_exists'
  | 'no_active_session'
  | 'not_running'
  | 'not_paused'
  | 'too_many_pauses'
  | 'stale_session'
  | 'stale_version'
  | 'not_idle';

type Changed = { state: SessionState; events: SessionEvent[] };
export type SessionResult = Changed | { rejected: SessionRejectCode; message: string };

const reject = (rejected: SessionRejectCode, message: string): SessionResult => ({ rejected, message });

// ── Derivations ──────────────────────────────────────────────────────────
/** The instant readings are taken at: never before the last change inside the session, never after its auto-stop. */
function readingAt(s: SessionClock, now: number): number {
  const lastPause = s.pauseSegments.at(-1);
  const floor = Math.max(s.startTime, s.resumedAt ?? 0, lastPause?.resumedAt ?? lastPause?.pausedAt ?? 0);
  return Math.min(Math.max(now, floor), Math.max(floor, s.autoStopAt));
}

/** Time the session has run, at `now`. */
export function elapsedMs(s: SessionClock, now: number): number {
  const t = readingAt(s, now);
  return s.accumulatedMs + (s.status === 'running' && s.resumedAt !== null ? t - s.resumedAt : 0);
}

/** Time the session has spent paused, at `now`. */
export function pausedMs(s: SessionClock, now: number): number {
  const t = readingAt(s, now);
  return s.pauseSegments.reduce((sum, p) => sum + ((p.resumedAt ?? t) - p.pausedAt), 0);
}

type BoundaryKind = 'limit' | 'idle-stop' | 'focus' | 'idle-prompt';
/** Ties go in this order: a stop first, then a phase change, then the prompt. */
const ORDER: BoundaryKind[] = ['limit', 'idle-stop', 'focus', 'idle-prompt'];

/** The earliest boundary of the session in progress. */
function nextDue(a: ActiveSession, settings: SessionSettings): { kind: BoundaryKind; at: number } | null {
  const dues: Record<BoundaryKind, number | null> = {
    limit: a.autoStopAt,
    'idle-stop': idleStopDue(a, settings),
    focus: a.focus?.phaseEndsAt ?? null,
    'idle-prompt': idlePromptDue(a, settings),
  };
  let best: { kind: BoundaryKind; at: number } | null = null;
  for (const kind of ORDER) {
    const at = dues[kind];
    if (at !== null && (best === null || at < best.at)) best = { kind, at };
  }
  return best;
}

/** The next instant the session changes by itself (the object's alarm), or null. */
export function nextBoundary(state: SessionState): number | null {
  return state.active ? (nextDue(state.active, state.settings)?.at ?? null) : null;
}

// ── Transition ─────────────────────────────────────────────────────────────
/**
 * Applies `cmd` at `now`. Every boundary due by then is applied first, each at
 * its own instant, so a command always acts on up-to-date state. `now` is
 * clamped to the last change, so a clock that steps back cannot make time negative.
 */
export function transition(state: SessionState, cmd: SessionCommand, now: number): SessionResult {
  const t = Math.max(now, state.changedAt);
  const settled = settle(state, t);
  if (cmd.type === 'tick') return settled;
  const applied = apply(settled.state, cmd, t);
  if ('rejected' in applied) return applied;
  // New settings may make a boundary due at once (a shorter idle limit).
  const after = settle(applied.state, t);
  return { state: after.state, events: [...settled.events, ...applied.events, ...after.events] };
}

/** Applies every boundary due by `t`, oldest first, each at its exact instant. */
function settle(state: SessionState, t: number): Changed {
  let s = state;
  const events: SessionEvent[] = [];
  for (let i = 0; i < MAX_SETTLE_STEPS && s.active; i++) {
    const due = nextDue(s.active, s.settings);
    if (!due || due.at > t) break;
    const step = boundary(s, s.active, due.kind, due.at);
    s = step.state;
    events.push(...step.events);
  }
  return { state: s, events };
}

const SYSTEM: StoppedBy = { device: null, role: 'system' };

function boundary(s: SessionState, a: ActiveSession, kind: BoundaryKind, at: number): Changed {
  switch (kind) {
    case 'limit':
      // An unanswered prompt stops at the last activity, not at the cut-off.
      if (a.idle && a.lastActivityAt <= a.idle.since) return complete(s, a, a.idle.since, at, 'idle', SYSTEM);
      return complete(s, a, a.autoStopAt, at, 'limit', SYSTEM);
    case 'idle-stop':
      return complete(s, a, Math.max(a.startTime, idleStopAt(a)), at, 'idle', SYSTEM);
    case 'idle-prompt':
      return changed(s, { ...a, idle: { since: a.lastActivityAt, promptedAt: at } }, 'idle', at, 'idle');
    case 'focus': {
      const f = a.focus as FocusState;
      if (a.status === 'running') {
        // No room for another pause: the cycle ends and the session keeps running.
        if (a.pauseSegments.length >= MAX_PAUSES) return changed(s, { ...a, focus: null }, 'updated', at, 'focus');
        return changed(s, pauseAt(a, at, 'focus', nextPhase(f, at)), 'paused', at, 'focus');
      }
      return changed(s, resumeAt(a, at, nextPhase(f, at)), 'resumed', at, 'focus');
    }
  }
}

function pauseAt(a: ActiveSession, t: number, kind: PauseKind | undefined, focus: FocusState | null): ActiveSession {
  return {
    ...a,
    status: 'paused',
    accumulatedMs: elapsedMs(a, t),
    resumedAt: null,
    pauseSegments: [
      ...a.pauseSegments,
      kind ? { pausedAt: t, resumedAt: null, kind } : { pausedAt: t, resumedAt: null },
    ],
    idle: null,
    focus,
  };
}

function resumeAt(a: ActiveSession, t: number, focus: FocusState | null): ActiveSession {
  return { ...a, status: 'running', resumedAt: t, pauseSegments: closePauses(a.pauseSegments, t), focus };
}

/** Refuses a command queued against another session, or (`baseVersion`) against an older state. */
function stale(state: SessionState, cmd: Guard & { type: string }): SessionResult | null {
  const a = state.active;
  if (cmd.sessionId !== undefined && cmd.sessionId !== a?.id)
    return reject('stale_session', 'That session is no longer the one in progress');
  if (cmd.baseVersion !== undefined && cmd.type !== 'stop' && cmd.baseVersion !== state.version)
    return reject('stale_version', `The session changed since version ${cmd.baseVersion}; it is at ${state.version}`);
  return null;
}

function apply(state: SessionState, cmd: Exclude<SessionCommand, { type: 'tick' }>, t: number): SessionResult {
  const a = state.active;
  switch (cmd.type) {
    case 'configure':
      return { state: { ...state, settings: cmd.settings }, events: [] };
    case 'activity': {
      if (!a) return { state, events: [] };
      const at = Math.min(Math.max(cmd.at ?? t, a.lastActivityAt), t);
      if (at === a.lastActivityAt) return { state, events: [] };
      return { state: { ...state, active: { ...a, lastActivityAt: at } }, events: [] };
    }
    case 'start': {
      if (a) return reject('session_exists', 'A session is already in progress');
      // (user_id, start_time) identifies a session in history: starts strictly increase.
      const startTime = Math.max(t, (state.last?.startTime ?? -Infinity) + 1);
      const session: ActiveSession = {
        id: cmd.id,
        label: cmd.label,
        projectId: cmd.projectId ?? null,
        taskId: cmd.taskId ?? null,
        tags: cmd.tags ?? [],
        status: 'running',
        startTime,
        accumulatedMs: 0,
        resumedAt: startTime,
        pauseSegments: [],
        autoStopAt: startTime + Math.max(1, cmd.maxMs),
        lastActivityAt: startTime,
        idle: null,
        focus: cmd.focus ? startFocus(cmd.focus, startTime) : null,
      };
      return changed(state, session, 'started', startTime, 'user');
    }
    case 'pause': {
      const refused = stale(state, cmd);
      if (refused) return refused;
      if (!a) return reject('no_active_session', 'There is no session in progress');
      if (a.status !== 'running') return reject('not_running', 'The session is not running');
      if (a.pauseSegments.length >= MAX_PAUSES)
        return reject('too_many_pauses', `A session holds at most ${MAX_PAUSES} pauses`);
      // A manual pause answers an open prompt with "keep" and suspends a focus phase.
      const focus = a.focus && suspend(a.focus, t);
      return changed(state, { ...pauseAt(a, t, undefined, focus), lastActivityAt: t }, 'paused', t, 'user');
    }
    case 'resume': {
      const refused = stale(state, cmd);
      if (refused) return refused;
      if (!a) return reject('no_active_session', 'There is no session in progress');
      if (a.status !== 'paused') return reject('not_paused', 'The session is not paused');
      // Resuming in a focus break skips the rest of it; after a manual pause the phase continues.
      const focus = a.focus && (isBreak(a.focus) ? freshFocus(a.focus, t) : continueAt(a.focus, t));
      return changed(state, { ...resumeAt(a, t, focus), lastActivityAt: t }, 'resumed', t, 'user');
    }
    case 'stop': {
      const refused = stale(state, cmd);
      if (refused) return refused;
      if (!a) return reject('no_active_session', 'There is no session in progress');
      return complete(state, a, t, t, 'user', { device: cmd.device ?? null, role: 'user' });
    }
    case 'update': {
      const refused = stale(state, cmd);
      if (refused) return refused;
      if (!a) return reject('no_active_session', 'There is no session in progress');
      const session: ActiveSession = {
        ...a,
        ...(cmd.label !== undefined ? { label: cmd.label } : {}),
        ...(cmd.projectId !== undefined ? { projectId: cmd.projectId } : {}),
        ...(cmd.taskId !== undefined ? { taskId: cmd.taskId } : {}),
        ...(cmd.tags !== undefined ? { tags: cmd.tags } : {}),
        lastActivityAt: Math.max(a.lastActivityAt, t),
      };
      return changed(state, session, 'updated', t, 'user');
    }
    case 'idle-answer': {
      const refused = stale(state, cmd);
      if (refused) return refused;
      if (!a) return reject('no_active_session', 'There is no session in progress');
      if (!a.idle) return reject('not_idle', 'There is no "Still working?" prompt to answer');
      if (cmd.choice === 'stop') return complete(state, a, t, t, 'user', { device: cmd.device ?? null, role: 'user' });
      if (cmd.choice === 'keep') {
        const session = { ...a, idle: null, lastActivityAt: t };
        return changed(state, session, 'idle-cleared', t, 'user', 'keep');
      }
      const session = discardIdle(a, a.idle.since, t);
      if (!session) return reject('too_many_pauses', `A session holds at most ${MAX_PAUSES} pauses`);
      return changed(state, session, 'idle-cleared', t, 'user', 'discard');
    }
  }
}

/**
 * "Discard idle time": the span from the last activity `from` to `t` becomes a
 * pause (kind 'idle'), and the session runs again from `t`; a focus cycle
 * restarts with a fresh focus phase. Null when no pause fits.
 */
function discardIdle(a: ActiveSession, from: number, t: number): ActiveSession | null {
  const L = Math.max(a.startTime, Math.min(from, t));
  const clipped = clipPauses(a.pauseSegments, L);
  const pausedBefore = sumPauses(clipped);
  // A pause that was still going at L simply lasts until t.
  const orig = a.pauseSegments[clipped.length - 1];
  const spansL = orig !== undefined && (orig.resumedAt === null || orig.resumedAt > L);
  if (!spansL && clipped.length >= MAX_PAUSES) return null;
  const pauseSegments: PauseSegment[] = spansL
    ? [...clipped.slice(0, -1), { ...(orig as PauseSegment), resumedAt: t }]
    : [...clipped, { pausedAt: L, resumedAt: t, kind: 'idle' }];
  return {
    ...a,
    status: 'running',
    accumulatedMs: L - a.startTime - pausedBefore,
    resumedAt: t,
    pauseSegments,
    idle: null,
    lastActivityAt: t,
    focus: a.focus && freshFocus(a.focus, t),
  };
}

function changed(
  state: SessionState,
  session: ActiveSession,
  type: ActiveEventType,
  at: number,
  cause: EventCause,
  choice?: 'keep' | 'discard',
): Changed {
  const version = state.version + 1;
  return {
    state: { ...state, version, active: session, changedAt: Math.max(state.changedAt, at) },
    events: [{ type, session, version, at, cause, ...(choice ? { choice } : {}) }],
  };
}

/**
 * Ends `a` at `end` (now, its cut-off, or its last activity); `t` is when this is applied.
 * Pauses after `end` are dropped and one spanning it is cut there, so running + paused = end − start.
 */
function complete(
  state: SessionState,
  a: ActiveSession,
  end: number,
  t: number,
  reason: StopReason,
  by: StoppedBy,
): Changed {
  const pauseSegments = clipPauses(a.pauseSegments, end);
  const paused = sumPauses(pauseSegments);
  const version = state.version + 1;
  const session: CompletedSession = {
    id: a.id,
    label: a.label,
    projectId: a.projectId,
    taskId: a.taskId,
    tags: a.tags,
    startTime: a.startTime,
    endTime: end,
    durationMs: end - a.startTime,
    elapsedMs: end - a.startTime - paused,
    pausedMs: paused,
    pauseSegments,
    autoStopped: reason !== 'user',
    stopReason: reason,
    stoppedBy: by,
    version,
  };
  return {
    state: { ...state, version, active: null, last: session, changedAt: Math.max(state.changedAt, t) },
    events: [{ type: 'stopped', session, version, at: end, cause: reason === 'user' ? 'user' : reason }],
  };
}

/** The pauses as they stand at `end`: later ones dropped, any still open at `end` closed there. */
function clipPauses(segments: PauseSegment[], end: number): PauseSegment[] {
  return segments
    .filter((p) => p.pausedAt <= end)
    .map((p) => ({ ...p, resumedAt: p.resumedAt === null ? end : Math.min(p.resumedAt, end) }));
}

const sumPauses = (segments: PauseSegment[]) =>
  segments.reduce((sum, p) => sum + ((p.resumedAt as number) - p.pausedAt), 0);

function closePauses(segments: PauseSegment[], at: number): PauseSegment[] {
  const last = segments.at(-1);
  if (!last || last.resumedAt !== null) return segments;
  return [...segments.slice(0, -1), { ...last, resumedAt: Math.max(at, last.pausedAt) }];
}
