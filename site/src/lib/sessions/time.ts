/**
 * What a session reads at an instant, computed locally from its stored
 * instants and the server clock (core's own derivations): elapsed and paused
 * time, the clock text, and the running/paused stretches for the bar. Pure.
 */
import { type ActiveSession, elapsedMs, pausedMs } from '../../../../core/sessions/transition.ts';
import type { SessionView } from './messages.ts';

const asActive = (v: SessionView): ActiveSession => ({
  id: v.id ?? '',
  label: v.label,
  status: v.status === 'running' ? 'running' : 'paused',
  startTime: v.startTime ?? v.serverTime,
  accumulatedMs: v.accumulatedMs,
  resumedAt: v.resumedAt,
  pauseSegments: v.pauseSegments,
  autoStopAt: v.autoStopAt ?? Number.MAX_SAFE_INTEGER,
  // Not read by the time derivations.
  lastActivityAt: v.lastActivityAt ?? v.serverTime,
  idle: null,
  focus: null,
  projectId: v.projectId,
  taskId: v.taskId,
  tags: v.tags,
});

export const isActive = (v: SessionView | null): boolean =>
  v !== null && (v.status === 'running' || v.status === 'paused');

/** Running time at `now`. */
export function elapsedAt(v: SessionView, now: number): number {
  return isActive(v) ? elapsedMs(asActive(v), now) : v.elapsedTime;
}

/** Paused time at `now`. */
export function pausedAt(v: SessionView, now: number): number {
  return isActive(v) ? pausedMs(asActive(v), now) : v.pausedTime;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A count-up as a clock: whole seconds elapsed (floor), "M:SS" or "H:MM:SS". */
export function clockText(ms: number): string {
  const s = Math.floor(Math.max(0, ms) / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

// ── The bar ────────────────────────────────────────────────────────────────
interface TimelinePart {
  kind: 'run' | 'pause';
  /** Percent of the session's wall time so far. */
  start: number;
  width: number;
  /** Length in ms (for titles). */
  ms: number;
}

/** Pauses stay visible however short: at least this wide (percent). */
const MIN_PAUSE_PCT = 0.6;

/** The session's wall time so far as alternating running and paused stretches. */
export function timeline(v: SessionView, now: number): TimelinePart[] {
  if (v.startTime === null) return [];
  const start = v.startTime;
  const end = isActive(v) ? Math.min(Math.max(now, start), v.autoStopAt ?? Infinity) : (v.endTime ?? start);
  const total = end - start;
  if (total <= 0) return v.status === 'running' ? [{ kind: 'run', start: 0, width: 100, ms: 0 }] : [];
  const pct = (t: number) => ((Math.min(Math.max(t, start), end) - start) / total) * 100;
  const parts: TimelinePart[] = [];
  let cursor = start;
  for (const p of v.pauseSegments) {
    const to = p.resumedAt ?? end;
    if (p.pausedAt > cursor)
      parts.push({ kind: 'run', start: pct(cursor), width: pct(p.pausedAt) - pct(cursor), ms: p.pausedAt - cursor });
    const w = Math.max(MIN_PAUSE_PCT, pct(to) - pct(p.pausedAt));
    parts.push({ kind: 'pause', start: Math.min(pct(p.pausedAt), 100 - w), width: w, ms: to - p.pausedAt });
    cursor = Math.max(cursor, to);
  }
  if (cursor < end) parts.push({ kind: 'run', start: pct(cursor), width: 100 - pct(cursor), ms: end - cursor });
  return parts;
}

/** Two bars look the same (to within a few pixels on a wide screen): no re-render needed. */
export const sameTimeline = (a: TimelinePart[], b: TimelinePart[]): boolean =>
  a.length === b.length &&
  a.every(
    (p, i) =>
      p.kind === b[i]?.kind &&
      Math.abs(p.width - (b[i]?.width ?? 0)) < 0.2 &&
      Math.abs(p.start - (b[i]?.start ?? 0)) < 0.2,
  );
