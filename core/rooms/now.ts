/**
 * The room "now": one small, flat reading of what the room shows at an instant, for devices that poll
 * (GET /api/rooms/:id/now: Stream Deck buttons, scripts, status lights). Pure: the Worker passes the
 * snapshot and the instant.
 */
import { formatDuration } from '../time.ts';
import { type Phase, type Timer, elapsedMs, phaseOf, remainingMs } from './timer.ts';
import type { RoomInfo, RoomMessage } from './transition.ts';

export interface RoomNow {
  /** The active timer's label ('' when the room has no timers). */
  label: string;
  state: Timer['state'] | 'empty';
  phase: Phase;
  /** Remaining time (negative in overtime); for count-ups, what is left of their length, if any. */
  remainingMs: number | null;
  elapsedMs: number | null;
  /** What the countdown shows: remaining for countdowns, elapsed for count-ups, e.g. `4:59`, `-0:12`, `1:02:03`. */
  text: string;
  nextLabel: string | null;
  /** How far behind (> 0) or ahead (< 0) of the plan the show is; null when the room has no schedule. */
  overUnderMs: number | null;
  message: RoomMessage | null;
  version: number;
  serverTime: number;
}

/** The timer on screen (the active one, else the first) and the one after it. */
export function activeAndNext(
  room: Pick<RoomInfo, 'activeTimerId'> | null,
  timers: readonly Timer[],
): { active: Timer | null; next: Timer | null } {
  if (!room || timers.length === 0) return { active: null, next: null };
  const idx = Math.max(
    0,
    timers.findIndex((t) => t.id === room.activeTimerId),
  );
  return { active: timers[idx] ?? null, next: timers[idx + 1] ?? null };
}

interface NowInput {
  room: Pick<RoomInfo, 'activeTimerId' | 'warnMs' | 'dangerMs'>;
  timers: readonly Timer[];
  message: RoomMessage | null;
  version: number;
  schedule?: { overUnderMs: number } | null;
}

export function roomNow(s: NowInput, now: number): RoomNow {
  const { active, next } = activeAndNext(s.room, s.timers);
  const base = {
    nextLabel: next ? next.label : null,
    overUnderMs: s.schedule ? Math.round(s.schedule.overUnderMs) : null,
    message: s.message,
    version: s.version,
    serverTime: now,
  };
  if (!active)
    return { label: '', state: 'empty', phase: 'idle', remainingMs: null, elapsedMs: null, text: '', ...base };
  const open = active.mode === 'countup' && active.durationMs <= 0;
  const remaining = open ? null : Math.round(remainingMs(active, now));
  const elapsed = Math.round(elapsedMs(active, now));
  const shown = active.mode === 'countup' ? elapsed : (remaining as number);
  return {
    label: active.label,
    state: active.state,
    phase: phaseOf(active, now, { warnMs: s.room.warnMs, dangerMs: s.room.dangerMs }),
    remainingMs: remaining,
    elapsedMs: elapsed,
    text: formatDuration(shown),
    ...base,
  };
}
