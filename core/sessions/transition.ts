/**
 * One user's live session as a pure transition:
 * `transition(state, command, now) → { state, events } | { rejected }`.
 * The state stores instants only (start, the current running segment's
 * start, pause segments); elapsed and paused time are derived from them and
 * a clock reading. No I/O and no clock: `now` and new ids come with the call.
 */

// ── State ──────────────────────────────────────────────────────────────────
/** A pause inside a session, in epoch milliseconds; `resumedAt` is null while it lasts. */
export interface PauseSegment {
  pausedAt: number;
  resumedAt: number | null;
}

type ActiveStatus = 'running' | 'paused';

/** The session in progress. */
export interface ActiveSession {
  id: string;
  label: string | null;
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

/** A stopped session: what history keeps. `elapsedMs + pausedMs === durationMs`. */
export interface CompletedSession {
  id: string;
  label: string | null;
  startTime: number;
  endTime: number;
  /** Wall-clock length, end minus start. */
  durationMs: number;
  /** Time spent running. */
  elapsedMs: number;
  pausedMs: number;
  pauseSegments: PauseSegment[];
  /** True when the limit stopped it rather than the user. */
  autoStopped: boolean;
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
}

/** 12 hours of wall time since the start. */
export const DEFAULT_SESSION_MAX_MS = 12 * 3_600_000;
/** Pauses one session may hold; every one is kept, so the record stays bounded. */
export const MAX_PAUSES = 1_000;

export function makeSessionState(userId: string, now: number): SessionState {
  return { userId, version: 0, active: null, last: null, changedAt: now };
}

// ── Commands ───────────────────────────────────────────────────────────────
export type SessionCommand =
  /** `id` is chosen by the caller; `maxMs` is the auto-stop limit for this session. */
  | { type: 'start'; id: string; label: string | null; maxMs: number }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  /** Internal: apply the auto-stop if it is due by `now`. */
  | { type: 'tick' };

// ── Events ─────────────────────────────────────────────────────────────────
/** Each event carries the version it produced and the instant it took effect. */
export type SessionEvent =
  | { type: 'started' | 'paused' | 'resumed'; session: ActiveSession; version: number; at: number }
  | { type: 'stopped'; session: CompletedSession; version: number; at: number };

type SessionRejectCode = 'session_exists' | 'no_active_session' | 'not_running' | 'not_paused' | 'too_many_pauses';

type SessionResult = { state: SessionState; events: SessionEvent[] } | { rejected: SessionRejectCode; message: string };

const reject = (rejected: SessionRejectCode, message: string): SessionResult => ({ rejected, message });

// ── Derivations ──────────────────────────────────────────────────────────
/** The instant readings are taken at: never before the last change inside the session, never after its auto-stop. */
function readingAt(s: ActiveSession, now: number): number {
  const lastPause = s.pauseSegments.at(-1);
  const floor = Math.max(s.startTime, s.resumedAt ?? 0, lastPause?.resumedAt ?? lastPause?.pausedAt ?? 0);
  return Math.min(Math.max(now, floor), Math.max(floor, s.autoStopAt));
}

/** Time the session has run, at `now`. */
export function elapsedMs(s: ActiveSession, now: number): number {
  const t = readingAt(s, now);
  return s.accumulatedMs + (s.status === 'running' && s.resumedAt !== null ? t - s.resumedAt : 0);
}

/** Time the session has spent paused, at `now`. */
export function pausedMs(s: ActiveSession, now: number): number {
  const t = readingAt(s, now);
  return s.pauseSegments.reduce((sum, p) => sum + ((p.resumedAt ?? t) - p.pausedAt), 0);
}

/** The auto-stop instant of the active session, or null: the one boundary a session has. */
export function nextBoundary(state: SessionState): number | null {
  return state.active?.autoStopAt ?? null;
}

// ── Transition ─────────────────────────────────────────────────────────────
/**
 * Applies `cmd` at `now`. A due auto-stop is applied first, so a command
 * always acts on up-to-date state. `now` is clamped to the last change, so a
 * clock that steps back cannot make time negative.
 */
export function transition(state: SessionState, cmd: SessionCommand, now: number): SessionResult {
  const t = Math.max(now, state.changedAt);
  const settled = settle(state, t);
  if (cmd.type === 'tick') return settled;
  const applied = apply(settled.state, cmd, t);
  if ('rejected' in applied) return applied;
  return { state: applied.state, events: [...settled.events, ...applied.events] };
}

/** Stops the active session at its auto-stop instant if `t` has reached it. */
function settle(state: SessionState, t: number): { state: SessionState; events: SessionEvent[] } {
  const a = state.active;
  if (!a || t < a.autoStopAt) return { state, events: [] };
  return complete(state, a, a.autoStopAt, t, true);
}

function apply(state: SessionState, cmd: Exclude<SessionCommand, { type: 'tick' }>, t: number): SessionResult {
  const a = state.active;
  switch (cmd.type) {
    case 'start': {
      if (a) return reject('session_exists', 'A session is already in progress');
      // (user_id, start_time) identifies a session in history: starts strictly increase.
      const startTime = Math.max(t, (state.last?.startTime ?? -Infinity) + 1);
      const session: ActiveSession = {
        id: cmd.id,
        label: cmd.label,
        status: 'running',
        startTime,
        accumulatedMs: 0,
        resumedAt: startTime,
        pauseSegments: [],
        autoStopAt: startTime + Math.max(1, cmd.maxMs),
      };
      return changed(state, session, 'started', startTime);
    }
    case 'pause': {
      if (!a) return reject('no_active_session', 'There is no session in progress');
      if (a.status !== 'running') return reject('not_running', 'The session is not running');
      if (a.pauseSegments.length >= MAX_PAUSES)
        return reject('too_many_pauses', `A session holds at most ${MAX_PAUSES} pauses`);
      const session: ActiveSession = {
        ...a,
        status: 'paused',
        accumulatedMs: elapsedMs(a, t),
        resumedAt: null,
        pauseSegments: [...a.pauseSegments, { pausedAt: t, resumedAt: null }],
      };
      return changed(state, session, 'paused', t);
    }
    case 'resume': {
      if (!a) return reject('no_active_session', 'There is no session in progress');
      if (a.status !== 'paused') return reject('not_paused', 'The session is not paused');
      const session: ActiveSession = {
        ...a,
        status: 'running',
        resumedAt: t,
        pauseSegments: closePauses(a.pauseSegments, t),
      };
      return changed(state, session, 'resumed', t);
    }
    case 'stop': {
      if (!a) return reject('no_active_session', 'There is no session in progress');
      return complete(state, a, t, t, false);
    }
  }
}

function changed(
  state: SessionState,
  session: ActiveSession,
  type: 'started' | 'paused' | 'resumed',
  t: number,
): SessionResult {
  const version = state.version + 1;
  return { state: { ...state, version, active: session, changedAt: t }, events: [{ type, session, version, at: t }] };
}

/** Ends `a` at `end` (its auto-stop instant, or now); `t` is when this is applied. */
function complete(
  state: SessionState,
  a: ActiveSession,
  end: number,
  t: number,
  auto: boolean,
): { state: SessionState; events: SessionEvent[] } {
  const elapsed = elapsedMs(a, end);
  const pauseSegments = closePauses(a.pauseSegments, end);
  const paused = pauseSegments.reduce((sum, p) => sum + ((p.resumedAt as number) - p.pausedAt), 0);
  const version = state.version + 1;
  const session: CompletedSession = {
    id: a.id,
    label: a.label,
    startTime: a.startTime,
    endTime: end,
    durationMs: end - a.startTime,
    elapsedMs: elapsed,
    pausedMs: paused,
    pauseSegments,
    autoStopped: auto,
    version,
  };
  return {
    state: { ...state, version, active: null, last: session, changedAt: Math.max(state.changedAt, t) },
    events: [{ type: 'stopped', session, version, at: end }],
  };
}

function closePauses(segments: PauseSegment[], at: number): PauseSegment[] {
  const last = segments.at(-1);
  if (!last || last.resumedAt !== null) return segments;
  return [...segments.slice(0, -1), { pausedAt: last.pausedAt, resumedAt: Math.max(at, last.pausedAt) }];
}
