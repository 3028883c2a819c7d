// The baseline's room timer: the state kept in Redis and its transitions (a benchmark fixture only).

/**
 * @typedef {'idle' | 'running' | 'paused'} TimerStatus
 * @typedef {{ status: TimerStatus, durationMs: number, remainingMs: number, startedAt: number | null }} StoredTimer
 *   While running, `remainingMs` is the remaining time at `startedAt`; otherwise it is the remaining time.
 * @typedef {{ roomId: string, version: number, timer: StoredTimer }} RoomState
 * @typedef {'start' | 'pause' | 'resume' | 'reset' | 'adjust'} Action
 */

export const ACTIONS = /** @type {const} */ (['start', 'pause', 'resume', 'reset', 'adjust']);
export const MAX_DURATION_MS = 7 * 24 * 3_600_000;

/** @param {string} roomId @param {number} durationMs @returns {RoomState} */
export function newRoom(roomId, durationMs) {
  return { roomId, version: 0, timer: { status: 'idle', durationMs, remainingMs: durationMs, startedAt: null } };
}

/** Remaining time at `now`, never negative. @param {StoredTimer} t @param {number} now */
export function remainingAt(t, now) {
  return t.status === 'running' && t.startedAt !== null
    ? Math.max(0, t.remainingMs - (now - t.startedAt))
    : t.remainingMs;
}

/** What clients see: the remaining time computed at `now`. @param {RoomState} s @param {number} now */
export function view(s, now) {
  const t = s.timer;
  return {
    roomId: s.roomId,
    version: s.version,
    serverTime: now,
    timer: { status: t.status, durationMs: t.durationMs, remainingMs: remainingAt(t, now), startedAt: t.startedAt },
  };
}

/**
 * Applies one command. Returns the new state, or a rejection code.
 * @param {RoomState} s @param {Action} action @param {number} now @param {number} [deltaMs]
 * @returns {{ state: RoomState } | { rejected: string }}
 */
export function apply(s, action, now, deltaMs = 0) {
  const t = s.timer;
  /** @type {StoredTimer} */
  let next;
  switch (action) {
    case 'start':
      if (t.status === 'running') return { rejected: 'already_running' };
      next = {
        ...t,
        status: 'running',
        remainingMs: t.status === 'idle' ? t.durationMs : t.remainingMs,
        startedAt: now,
      };
      break;
    case 'resume':
      if (t.status !== 'paused') return { rejected: 'not_paused' };
      next = { ...t, status: 'running', startedAt: now };
      break;
    case 'pause':
      if (t.status !== 'running') return { rejected: 'not_running' };
      next = { ...t, status: 'paused', remainingMs: remainingAt(t, now), startedAt: null };
      break;
    case 'reset':
      next = { ...t, status: 'idle', remainingMs: t.durationMs, startedAt: null };
      break;
    case 'adjust': {
      // Running: shift the remaining time at startedAt, so the displayed remaining moves by deltaMs.
      const remaining = Math.min(MAX_DURATION_MS, Math.max(0, remainingAt(t, now) + deltaMs));
      next =
        t.status === 'running' ? { ...t, remainingMs: remaining, startedAt: now } : { ...t, remainingMs: remaining };
      break;
    }
    default:
      return { rejected: 'unknown_action' };
  }
  return { state: { ...s, version: s.version + 1, timer: next } };
}

/** A running timer that reached zero becomes idle at zero. @param {RoomState} s */
export function finish(s) {
  return {
    ...s,
    version: s.version + 1,
    timer: { ...s.timer, status: /** @type {TimerStatus} */ ('idle'), remainingMs: 0, startedAt: null },
  };
}
