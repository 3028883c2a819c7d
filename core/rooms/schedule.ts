/**
 * The live schedule of a room: planned, projected and actual times per cue, and how far ahead or behind the plan
 * the show is. Pure: computed from what every client holds (`room`, `timers`, `played`) and a clock reading, so the
 * server's snapshot and each client's frame agree.
 *
 * Plan.
 * - The anchor is `room.plannedStart`; else the first cue's fixed `plannedStart`; else the earliest actual start
 *   in `played`. Before any of these exists the plan is unanchored: planned times are null and over/under is 0.
 * - A cue's planned start is its fixed `plannedStart`, else the previous cue's planned end (the first cue: the
 *   anchor). Its planned length is `durationMs` (time-of-day cues: until `targetTime`).
 *
 * Projection (cues in rundown order, `cursor` = where the previous cue is projected to end):
 * - A cue that has played or is playing (it has a `played` record) starts at its actual start.
 *   Ended (`actualEnd` set): it ends at `actualEnd`. Running: at max(now, its finish instant), so in overtime the
 *   end grows with `now`. Paused: at now + its remaining time.
 * - An upcoming cue starts at max(cursor, now, its fixed plannedStart), so a fixed cue is never projected before
 *   its plan. Two exceptions follow what the room itself will do: an armed scheduled cue starts at its `startAt`,
 *   and a linked cue starts at the cursor (the room hands over at the finish, even before a fixed plan). The
 *   first upcoming cue with nothing before it starts at max(now, its planned start).
 * - An upcoming buffer lasts max(minDurationMs, total − drift), drift being its projected minus planned start
 *   when positive; a buffer that has started was already shrunk by `transition` (its `absorbedMs` is recorded).
 *   Other upcoming cues last their total (duration plus adjustments).
 *
 * Over/under (> 0: behind the plan).
 * - Per cue: projected end minus planned end.
 * - `overUnderMs` (accumulated) is measured at "now" in the rundown: after the last cue that has a record; if that
 *   cue is still in progress, its projected end minus planned end; else the next cue's projected minus planned
 *   start; else (the show is over) the last cue's end lateness. With no record yet, the first cue's start lateness.
 * - `liveOverUnderMs`: the cue in progress, its projected length minus its planned length (how much it alone is
 *   overrunning), or null when nothing is in progress.
 * - Cues after that point carry the drift on unchanged, except what buffers absorb (and what a later fixed start's
 *   slack absorbs): projectedEnd = plannedEnd + overUnderMs − Σ absorbedMs of the cues still to come.
 */
import { type Timer, isClockRunning, remainingMs, totalMs } from './timer.ts';

// ── State ──────────────────────────────────────────────────────────────────
/** What happened to one cue in this show: kept by `transition`, cleared when the timer is reset or deleted. */
export interface PlayedCue {
  actualStart: number;
  /** When the cue ended (moved on from, or stopped), or null while it is in progress. */
  actualEnd: number | null;
  /** How much a buffer cue shrank when it started (0 for other cues). */
  absorbedMs: number;
}

export type Played = Record<string, PlayedCue>;

/** The input a schedule is computed from: the room's settings, its timers (in order) and what has played. */
export interface ScheduleInput {
  room: { plannedStart: number | null; activeTimerId?: string | null };
  timers: readonly Timer[];
  played: Played;
}

export interface CueSchedule {
  timerId: string;
  plannedStart: number | null;
  plannedEnd: number | null;
  projectedStart: number;
  projectedEnd: number;
  actualStart: number | null;
  actualEnd: number | null;
  /** Projected end minus planned end (> 0: behind), or null when unplanned. */
  overUnderMs: number | null;
  /** What this cue absorbs: a buffer's shrink (actual once started, projected before). */
  absorbedMs: number;
}

export interface RoomSchedule {
  /** The anchor of the plan, or null while unanchored. */
  plannedStart: number | null;
  plannedEnd: number | null;
  projectedEnd: number | null;
  /** How far behind (> 0) or ahead (< 0) of the plan the show is now; 0 when on time or unplanned. */
  overUnderMs: number;
  /** How far the cue in progress overruns its own planned length, or null when none is in progress. */
  liveOverUnderMs: number | null;
  cues: CueSchedule[];
}

// ── Plan ───────────────────────────────────────────────────────────────────
/** The plan's anchor: room planned start, else the first cue's fixed start, else the first actual start. */
export function planAnchor(input: ScheduleInput): number | null {
  if (input.room.plannedStart !== null) return input.room.plannedStart;
  const first = input.timers[0];
  if (first && first.plannedStart !== null) return first.plannedStart;
  let earliest: number | null = null;
  for (const t of input.timers) {
    const p = input.played[t.id];
    if (p && (earliest === null || p.actualStart < earliest)) earliest = p.actualStart;
  }
  return earliest;
}

function plannedLength(t: Timer, start: number): number {
  if (t.mode === 'time-of-day' && t.targetTime !== null) return Math.max(0, t.targetTime - start);
  return t.durationMs;
}

/** Planned start and end of every cue, in rundown order (null where the plan is not anchored yet). */
export function plannedTimes(input: ScheduleInput): Array<{ start: number | null; end: number | null }> {
  let prevEnd = planAnchor(input);
  return input.timers.map((t) => {
    const start = t.plannedStart ?? prevEnd;
    const end = start === null ? null : start + plannedLength(t, start);
    prevEnd = end;
    return { start, end };
  });
}

/** How much a buffer cue starting `drift` ms behind plan gives up, never going below its minimum. */
export function bufferAbsorbs(t: Timer, drift: number): number {
  if (t.buffer === null || drift <= 0) return 0;
  return Math.max(0, Math.min(drift, totalMs(t) - t.buffer.minDurationMs));
}

// ── Projection ─────────────────────────────────────────────────────────────
function inProgressEnd(t: Timer, now: number): number {
  if (t.mode === 'countup' && t.durationMs <= 0) return now;
  return now + Math.max(0, remainingMs(t, now));
}

/** The room's schedule at `now` (see the file comment for the rules). */
export function computeSchedule(input: ScheduleInput, now: number): RoomSchedule {
  const plan = plannedTimes(input);
  const cues: CueSchedule[] = [];
  let cursor: number | null = null;
  let lastPlayed = -1;
  input.timers.forEach((t, i) => {
    const { start: plannedStart, end: plannedEnd } = plan[i] as { start: number | null; end: number | null };
    const rec = input.played[t.id];
    let projectedStart: number;
    let projectedEnd: number;
    let absorbedMs = 0;
    if (rec) {
      lastPlayed = i;
      projectedStart = rec.actualStart;
      projectedEnd =
        rec.actualEnd ?? (isClockRunning(t) || t.state === 'paused' ? inProgressEnd(t, now) : (t.pausedAt ?? now));
      absorbedMs = rec.absorbedMs;
    } else {
      const armed = t.trigger === 'scheduled' && t.startAt !== null && t.startAt > now ? t.startAt : null;
      // A linked cue starts when the one before it finishes (the room hands over then), even before a fixed plan.
      const floor = t.trigger === 'linked' && cursor !== null ? null : t.plannedStart;
      projectedStart = armed ?? Math.max(cursor ?? plannedStart ?? now, now, floor ?? Number.NEGATIVE_INFINITY);
      if (t.mode === 'time-of-day' && t.targetTime !== null) {
        projectedEnd = Math.max(projectedStart, t.targetTime + t.adjustMs);
      } else {
        absorbedMs = plannedStart === null ? 0 : bufferAbsorbs(t, projectedStart - plannedStart);
        projectedEnd = projectedStart + Math.max(0, totalMs(t) - absorbedMs);
      }
    }
    cursor = cursor === null ? projectedEnd : Math.max(cursor, projectedEnd);
    cues.push({
      timerId: t.id,
      plannedStart,
      plannedEnd,
      projectedStart,
      projectedEnd,
      actualStart: rec?.actualStart ?? null,
      actualEnd: rec?.actualEnd ?? null,
      overUnderMs: plannedEnd === null ? null : projectedEnd - plannedEnd,
      absorbedMs,
    });
  });
  const plannedEnd = cues.at(-1)?.plannedEnd ?? null;
  return {
    plannedStart: planAnchor(input),
    plannedEnd,
    projectedEnd: cursor,
    overUnderMs: showOverUnder(cues, lastPlayed),
    liveOverUnderMs: liveOverUnder(input, cues),
    cues,
  };
}

function showOverUnder(cues: CueSchedule[], lastPlayed: number): number {
  const last = cues[lastPlayed];
  if (last && last.actualEnd === null) return last.overUnderMs ?? 0;
  const next = cues[lastPlayed + 1];
  if (next) return next.plannedStart === null ? 0 : next.projectedStart - next.plannedStart;
  return last?.overUnderMs ?? 0;
}

function liveOverUnder(input: ScheduleInput, cues: CueSchedule[]): number | null {
  // The cue in progress: the active one if it has an open record, else the last open record in order.
  const open = cues.filter((c) => c.actualStart !== null && c.actualEnd === null);
  const active = open.find((c) => c.timerId === input.room.activeTimerId) ?? open.at(-1);
  if (!active) return null;
  const t = input.timers.find((x) => x.id === active.timerId) as Timer;
  // A buffer is measured against its length after it absorbed drift.
  const planned = plannedLength(t, active.plannedStart ?? active.projectedStart) - active.absorbedMs;
  return active.projectedEnd - active.projectedStart - planned;
}
