/** What a timer display shows at an instant: text, colour phase and progress. Pure. */
// Link holders' views carry no owner id (core/rooms/wire.ts).
import type { RoomInfoView as RoomInfo } from '../../../../core/rooms/wire.ts';
import type { RoomMessage } from '../../../../core/rooms/transition.ts';
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

// ── Views (viewer ?view=) ──────────────────────────────────────────────────
/**
 * The message a screen shows: the presenter view shows every message; the countdown, agenda and clock (and the
 * control panel's preview of the countdown) only those for all screens.
 */
export function messageFor(message: RoomMessage | null, screen: 'presenter' | 'audience'): RoomMessage | null {
  if (!message) return null;
  return screen === 'presenter' || (message.target ?? 'all') === 'all' ? message : null;
}

/** Ahead/behind the plan, to the second: `overUnderMs` > 0 is behind. Within half a second is on time. */
export function overUnderText(ms: number): { text: string; amount: string; tone: 'behind' | 'ahead' | 'on-time' } {
  const s = Math.round(Math.abs(ms) / 1000) * 1000;
  const amount = formatDuration(s);
  if (s === 0) return { text: 'On time', amount, tone: 'on-time' };
  return ms > 0
    ? { text: `${amount} behind`, amount, tone: 'behind' }
    : { text: `${amount} ahead`, amount, tone: 'ahead' };
}

const dayTimeFormats = new Map<string, Intl.DateTimeFormat>();
/**
 * A formatter for wall-clock times in the room's zone and the browser's locale (one per zone and style). A zone the
 * browser does not know falls back to UTC rather than throwing.
 */
export function dayTimeFormat(timeZone: string, style: 'seconds' | 'minutes' | 'date'): Intl.DateTimeFormat {
  const key = `${timeZone}|${style}`;
  let f = dayTimeFormats.get(key);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions =
      style === 'date'
        ? { weekday: 'long', day: 'numeric', month: 'long' }
        : { hour: 'numeric', minute: '2-digit', ...(style === 'seconds' ? { second: '2-digit' } : {}) };
    try {
      f = new Intl.DateTimeFormat(undefined, { ...opts, timeZone });
    } catch {
      f = new Intl.DateTimeFormat(undefined, { ...opts, timeZone: 'UTC' });
    }
    dayTimeFormats.set(key, f);
  }
  return f;
}
