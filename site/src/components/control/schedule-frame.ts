/**
 * The control panel's schedule column, as text: planned, projected and actual times in the room's time zone
 * (hh:mm:ss), over/under in words, and the show's projected end. Pure; computed per frame from the room's state.
 */
import { zonedDay, zonedInstant } from '../../../../core/rooms/duration-text.ts';
import { computeSchedule, type Played } from '../../../../core/rooms/schedule.ts';
import type { Timer } from '../../../../core/rooms/timer.ts';
import { formatDuration } from '../../../../core/time.ts';

export type Tone = 'behind' | 'ahead' | 'on-time';

export interface ScheduleRow {
  planned: string | null;
  projected: string;
  /** "start–end" once played ("start–" while in progress), or null. */
  actual: string | null;
  /** How far this cue ends from its planned end, once it has started; null when unplanned or on time. */
  drift: { text: string; tone: Tone } | null;
}

export interface ScheduleFrame {
  badge: { text: string; tone: Tone } | null;
  end: string | null;
  rows: Map<string, ScheduleRow>;
  key: string;
}

const formats = new Map<string, Intl.DateTimeFormat>();
/** hh:mm:ss in `timeZone` (a zone the browser does not know falls back to UTC). */
export function clockTime(timeZone: string, at: number): string {
  let f = formats.get(timeZone);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions = {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    };
    try {
      f = new Intl.DateTimeFormat('en-GB', { ...opts, timeZone });
    } catch {
      f = new Intl.DateTimeFormat('en-GB', { ...opts, timeZone: 'UTC' });
    }
    formats.set(timeZone, f);
  }
  return f.format(at);
}

/** "+2:15 behind", "−0:30 ahead" or "On time" (whole seconds). */
export function overUnderWords(ms: number): { text: string; tone: Tone } {
  const s = Math.round(Math.abs(ms) / 1000) * 1000;
  if (s === 0) return { text: 'On time', tone: 'on-time' };
  return ms > 0
    ? { text: `+${formatDuration(s)} behind`, tone: 'behind' }
    : { text: `\u2212${formatDuration(s)} ahead`, tone: 'ahead' };
}

export function scheduleFrame(
  room: { plannedStart: number | null; activeTimerId: string | null; timeZone: string },
  timers: Timer[],
  played: Played,
  now: number,
): ScheduleFrame {
  const sched = computeSchedule({ room, timers, played }, now);
  const at = (ms: number) => clockTime(room.timeZone, ms);
  const rows = new Map<string, ScheduleRow>();
  for (const c of sched.cues) {
    const started = c.actualStart !== null;
    const drift = started && c.overUnderMs !== null ? overUnderWords(c.overUnderMs) : null;
    rows.set(c.timerId, {
      planned: c.plannedStart === null ? null : at(c.plannedStart),
      projected: at(c.projectedStart),
      actual: c.actualStart === null ? null : `${at(c.actualStart)}–${c.actualEnd === null ? '' : at(c.actualEnd)}`,
      drift: drift && drift.tone !== 'on-time' ? drift : null,
    });
  }
  const badge = sched.plannedStart === null ? null : overUnderWords(sched.overUnderMs);
  const end = sched.projectedEnd === null ? null : at(sched.projectedEnd);
  return { badge, end, rows, key: JSON.stringify({ badge, end, rows: [...rows] }) };
}

export const sameSchedule = (a: ScheduleFrame, b: ScheduleFrame): boolean => a.key === b.key;

/**
 * `scheduleFrame` for a per-frame caller: the schedule is recomputed every frame (cheap), but the text (Intl
 * formatting, the bulk of the cost on a long rundown) only when a shown second changed.
 */
export function scheduleFramer(): typeof scheduleFrame {
  let last: { timers: Timer[]; played: Played; zone: string; secs: number[]; frame: ScheduleFrame } | null = null;
  return (room, timers, played, now) => {
    const sched = computeSchedule({ room, timers, played }, now);
    const sec = (ms: number | null) => (ms === null ? Number.NaN : Math.floor(ms / 1000));
    const secs = [sec(sched.plannedStart), sec(sched.projectedEnd), Math.round(sched.overUnderMs / 1000)];
    for (const c of sched.cues)
      secs.push(
        sec(c.plannedStart),
        sec(c.projectedStart),
        sec(c.actualStart),
        sec(c.actualEnd),
        c.overUnderMs === null ? Number.NaN : Math.round(c.overUnderMs / 1000),
      );
    const same =
      last !== null &&
      last.timers === timers &&
      last.played === played &&
      last.zone === room.timeZone &&
      last.secs.length === secs.length &&
      last.secs.every((v, i) => Object.is(v, secs[i]));
    if (same && last) return last.frame;
    const frame = scheduleFrame(room, timers, played, now);
    last = { timers, played, zone: room.timeZone, secs, frame };
    return frame;
  };
}

// ── Inputs in the room's zone ─────────────────────────────────────────────
const WALL = /^(?:(\d{4})-(\d{2})-(\d{2})T)?(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** A `<input type="time" step="1">` value (HH:MM:SS) for `at` in `timeZone`. */
export function timeInputValue(at: number | null, timeZone: string): string {
  return at === null ? '' : clockTime(timeZone, at);
}

/** A `<input type="datetime-local" step="1">` value for `at` in `timeZone`. */
export function dateTimeInputValue(at: number | null, timeZone: string): string {
  if (at === null) return '';
  const d = zonedDay(at, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.y}-${pad(d.mo)}-${pad(d.d)}T${clockTime(timeZone, at)}`;
}

/**
 * The instant a time (HH:MM[:SS], on the day of `day` in the zone) or a date-time input value names in
 * `timeZone`; null for an empty value, undefined when it cannot be read.
 */
export function fromZonedInput(value: string, timeZone: string, day: number): number | null | undefined {
  const v = value.trim();
  if (v === '') return null;
  const m = WALL.exec(v);
  if (!m) return undefined;
  const [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (h > 23 || mi > 59 || s > 59) return undefined;
  const date = m[1] ? { y: Number(m[1]), mo: Number(m[2]), d: Number(m[3]) } : zonedDay(day, timeZone);
  return zonedInstant({ ...date, h, mi, s, ms: 0 }, timeZone);
}
