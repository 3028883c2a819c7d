/**
 * Audio cues (issue 12): the instants at which a viewer that enabled sound chimes for a timer. Pure: the site
 * schedules these server instants on its audio clock (site/src/lib/rooms/chimes.ts).
 */
import { type Chimes, type Thresholds, type Timer, finishAt, thresholdsFor } from './timer.ts';

// ── State ──────────────────────────────────────────────────────────────────
export type ChimeKind = 'warning' | 'danger' | 'zero';

export interface ChimeAt {
  kind: ChimeKind;
  /** Server instant (epoch ms) the chime should be heard. */
  at: number;
}

/** The room settings chimes depend on: default thresholds and which moments chime. */
export type ChimeRoom = Thresholds & { chimes: Chimes };

export interface UpcomingOptions {
  /** A chime this late (ms past its instant) still plays: a frame or a late state message must not lose it. */
  lateMs?: number;
  /** Only chimes within this far ahead (ms); later ones are picked up by a later call. */
  horizonMs?: number;
}

/** Late tolerance: a viewer joining (or a message arriving) later than this after the instant stays silent. */
export const CHIME_LATE_MS = 250;

const SEVERITY: Record<ChimeKind, number> = { warning: 0, danger: 1, zero: 2 };

// ── Derivations ──────────────────────────────────────────────────────────
/** Which moments chime for `t`: its own override, else the room's setting. */
export function chimesFor(t: Timer, room: ChimeRoom): Chimes {
  return t.chimes ?? room.chimes;
}

/**
 * Every chime instant of the timer's current running segment, in time order: none unless it is running toward
 * zero (count-ups without a duration never chime). A threshold crossed before the segment started (a timer started
 * or resumed inside its warning) does not chime; crossings at the same instant chime once, as the more severe.
 */
export function chimeInstants(t: Timer, room: ChimeRoom): ChimeAt[] {
  const end = finishAt(t);
  if (end === null || t.startedAt === null) return [];
  const on = chimesFor(t, room);
  const { warnMs, dangerMs } = thresholdsFor(t, room);
  const all: ChimeAt[] = [];
  if (on.warning && warnMs > 0) all.push({ kind: 'warning', at: end - warnMs });
  if (on.danger && dangerMs > 0) all.push({ kind: 'danger', at: end - dangerMs });
  if (on.zero) all.push({ kind: 'zero', at: end });
  const start = t.startedAt;
  const byAt = new Map<number, ChimeAt>();
  for (const c of all) {
    if (c.kind !== 'zero' && c.at <= start) continue;
    const prev = byAt.get(c.at);
    if (!prev || SEVERITY[c.kind] > SEVERITY[prev.kind]) byAt.set(c.at, c);
  }
  return [...byAt.values()].sort((a, b) => a.at - b.at);
}

/** The chimes still to come at `now` (server time): not past by more than `lateMs`, not beyond `horizonMs`. */
export function upcomingChimes(t: Timer, room: ChimeRoom, now: number, opts: UpcomingOptions = {}): ChimeAt[] {
  const late = opts.lateMs ?? CHIME_LATE_MS;
  const horizon = opts.horizonMs ?? Number.POSITIVE_INFINITY;
  return chimeInstants(t, room).filter((c) => c.at >= now - late && c.at <= now + horizon);
}
