/**
 * Idleness, the pure part: the user's idle settings, and when a running
 * session's "Still working?" prompt and its idle auto-stop are due. The
 * session records the last activity any device reported; nothing ticks.
 */

// ── Settings ─────────────────────────────────────────────────────────────
/** The user's idle settings; null turns one off. */
export interface SessionSettings {
  /** No activity this long while a session runs → every device asks "Still working?". */
  idleLimitMs: number | null;
  /** No answer and no activity this long after the last activity → the session stops at the last activity. */
  autoStopIdleMs: number | null;
}

export const DEFAULT_SETTINGS: SessionSettings = { idleLimitMs: 30 * 60_000, autoStopIdleMs: 2 * 3_600_000 };

/** Inclusive bounds of both settings: a second to 12 hours (the hard cut-off). */
export const SETTINGS_BOUNDS = { minMs: 1_000, maxMs: 12 * 3_600_000 } as const;

/** Why `s` is not acceptable, or null when it is. */
export function settingsProblem(s: SessionSettings): string | null {
  for (const [name, v] of Object.entries(s) as Array<[keyof SessionSettings, number | null]>) {
    if (v !== null && (!Number.isInteger(v) || v < SETTINGS_BOUNDS.minMs || v > SETTINGS_BOUNDS.maxMs))
      return `${name} must be null (off) or whole milliseconds from ${SETTINGS_BOUNDS.minMs} to ${SETTINGS_BOUNDS.maxMs}`;
  }
  if (s.idleLimitMs !== null && s.autoStopIdleMs !== null && s.autoStopIdleMs <= s.idleLimitMs)
    return 'autoStopIdleMs must be longer than idleLimitMs (the prompt comes before the auto-stop)';
  return null;
}

// ── Due instants ─────────────────────────────────────────────────────────
/** What idleness reads from a session in progress. */
export interface IdleFacts {
  status: 'running' | 'paused';
  /** Start of the current running segment; null while paused. */
  resumedAt: number | null;
  lastActivityAt: number;
  /** The open prompt: `since` is the last activity when it opened. */
  idle: { since: number; promptedAt: number } | null;
}

/** When the prompt opens: the idle limit after the last activity, and never while paused. */
export function idlePromptDue(a: IdleFacts, s: SessionSettings): number | null {
  if (a.status !== 'running' || a.idle || s.idleLimitMs === null) return null;
  return Math.max(a.lastActivityAt + s.idleLimitMs, a.resumedAt ?? 0);
}

/**
 * When the session stops itself for idleness (it stops at `idleStopAt`). With the prompt
 * open: the auto-stop after its `since`, unless a device was active after it opened. With
 * no idle limit: the auto-stop after the last activity, while running.
 */
export function idleStopDue(a: IdleFacts, s: SessionSettings): number | null {
  if (s.autoStopIdleMs === null) return null;
  if (a.idle) return a.lastActivityAt <= a.idle.since ? a.idle.since + s.autoStopIdleMs : null;
  if (s.idleLimitMs !== null || a.status !== 'running') return null;
  return Math.max(a.lastActivityAt + s.autoStopIdleMs, a.resumedAt ?? 0);
}

/** The instant an idle auto-stop ends the session at: the last activity. */
export const idleStopAt = (a: IdleFacts): number => a.idle?.since ?? a.lastActivityAt;
