/** What a timer display shows at an instant: text, colour phase and progress. Pure. */
// Link holders' views carry no owner id (core/rooms/wire.ts).
import type { RoomInfoView as RoomInfo } from '../../../../core/rooms/wire.ts';
import { formatDuration } from '../../../../core/time.ts';
import { type Phase, type Timer, displayMs, phaseOf, totalMs } from '../../../../core/rooms/timer.ts';

export interface DisplayFrame {
  text: string;
  phase: Phase;
  /** 0..1 of the timer used up (null when it has no length, e.g. open count-ups). */
  progress: number | null;
}

/** Tenths appear in a countdown's last ten seconds. */
const TENTHS_BELOW_MS = 10_000;

export function displayFrame(t: Timer, room: Pick<RoomInfo, 'warnMs' | 'dangerMs'>, now: number): DisplayFrame {
  const ms = displayMs(t, now);
  const tenths = t.mode !== 'countup' && ms > 0 && ms <= TENTHS_BELOW_MS;
  const phase = phaseOf(t, now, { warnMs: room.warnMs, dangerMs: room.dangerMs });
  const total = totalMs(t);
  let progress: number | null = null;
  if (t.mode === 'countdown' && total > 0) progress = 1 - ms / total;
  else if (t.mode === 'countup' && t.durationMs > 0) progress = ms / total;
  return {
    text: formatDuration(ms, { tenths }),
    phase,
    progress: progress === null ? null : Math.min(1, Math.max(0, progress)),
  };
}

export const sameFrame = (a: DisplayFrame, b: DisplayFrame): boolean =>
  a.text === b.text &&
  a.phase === b.phase &&
  Math.round((a.progress ?? -1) * 400) === Math.round((b.progress ?? -1) * 400);

/** The timer on screen (the active one, else the first) and the one after it. */
export function activeAndNext(room: RoomInfo | null, timers: Timer[]): { active: Timer | null; next: Timer | null } {
  if (!room || timers.length === 0) return { active: null, next: null };
  const idx = Math.max(
    0,
    timers.findIndex((t) => t.id === room.activeTimerId),
  );
  return { active: timers[idx] ?? null, next: timers[idx + 1] ?? null };
}
