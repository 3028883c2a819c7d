/**
 * Durations and wall-clock times as people type them in a spreadsheet, and back.
 * Pure: no clock (the import's day comes in as `now`), time zones through Intl.
 */
import { LIMITS } from '../errors.ts';

// ── Durations ──────────────────────────────────────────────────────────────
/** How a bare number is read: the column header may say (`Duration (s)`); else minutes. */
export type NumberUnit = 'h' | 'min' | 's' | 'ms';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const UNIT_MS: Record<NumberUnit, number> = { h: 3_600_000, min: 60_000, s: 1000, ms: 1 };
const UNIT_WORDS: Array<[RegExp, NumberUnit]> = [
  [/^(h|hr|hrs|hour|hours)$/, 'h'],
  [/^(m|min|mins|minute|minutes)$/, 'min'],
  [/^(s|sec|secs|second|seconds)$/, 's'],
  [/^(ms|msec|millisecond|milliseconds)$/, 'ms'],
];
const CLOCK = /^(\d+):(\d{2})(?::(\d{2}))?(?:\.(\d{1,3}))?$/;
const NUMBER = /^\d+(?:\.\d+)?$/;
const UNIT_PART = /(\d+(?:\.\d+)?)\s*([a-z]+)/g;
const HELP = 'write 5:00, 1:05:00, 1h 30m, 90s or 45m';

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const no = <T>(message: string): Parsed<T> => ({ ok: false, message });

function inRange(ms: number): Parsed<number> {
  if (!Number.isFinite(ms)) return no(`not a duration: ${HELP}`);
  if (ms > LIMITS.maxDurationMs) return no('longer than the 100-day maximum');
  return ok(Math.round(ms));
}

/**
 * A duration in milliseconds. Accepted: `M:SS` (5:00 is five minutes), `H:MM:SS` (1:05:00, 00:05:00), either with
 * `.mmm`; units (`1h 30m`, `90s`, `45m`, `2 min`, `1.5h`, `250ms`); a bare number in `unit` (minutes unless the
 * header said otherwise). Refused with a reason: negative or signed values, decimal commas (`1,5`: is it 1.5 or
 * 15?), AM/PM clock times, M:SS with 60 seconds or more, and anything else.
 */
export function parseDuration(text: string, unit: NumberUnit = 'min'): Parsed<number> {
  const s = text.trim().toLowerCase();
  if (s === '') return no('required');
  if (/^[-+−]/.test(s)) return no('a duration cannot be signed or negative');
  if (/\b(am|pm)\b/.test(s)) return no('looks like a clock time (AM/PM), not a duration: write 5:00 or 1h 30m');
  if (/\d,\d/.test(s)) return no('ambiguous decimal comma: write 1.5 (or 1:30) instead of 1,5');
  const clock = CLOCK.exec(s);
  if (clock) {
    const [, a, b, c, frac] = clock;
    const ms = frac ? Number(frac.padEnd(3, '0')) : 0;
    if (c === undefined) {
      if (Number(b) > 59) return no(`${text.trim()}: seconds must be below 60 in M:SS`);
      return inRange(Number(a) * 60_000 + Number(b) * 1000 + ms);
    }
    if (Number(b) > 59 || Number(c) > 59) return no(`${text.trim()}: minutes and seconds must be below 60 in H:MM:SS`);
    return inRange(Number(a) * 3_600_000 + Number(b) * 60_000 + Number(c) * 1000 + ms);
  }
  if (s.includes(':')) return no(`${text.trim()} is not a duration: ${HELP}`);
  if (NUMBER.test(s)) return inRange(Number(s) * UNIT_MS[unit]);
  let total = 0;
  let rest = s;
  const seen = new Set<NumberUnit>();
  for (const m of s.matchAll(UNIT_PART)) {
    const u = UNIT_WORDS.find(([re]) => re.test(m[2] as string))?.[1];
    if (!u) return no(`unknown unit “${m[2]}”: ${HELP}`);
    if (seen.has(u)) return no(`${text.trim()} names a unit twice`);
    seen.add(u);
    total += Number(m[1]) * UNIT_MS[u];
    rest = rest.replace(m[0], '');
  }
  if (seen.size === 0 || rest.replace(/[\s,]+/g, '') !== '') return no(`${text.trim()} is not a duration: ${HELP}`);
  return inRange(total);
}

/** `H:MM:SS`, with `.mmm` when the duration is not whole seconds: what the export writes (parseDuration reads it back). */
export function formatDuration(ms: number): string {
  const whole = Math.floor(ms / 1000);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const sec = whole % 60;
  const frac = ms % 1000;
  const base = `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
  return frac === 0 ? base : `${base}.${String(frac).padStart(3, '0')}`;
}

// ── Wall-clock times ─────────────────────────────────────────────────────────
const ISO_ZONED =
  /^(\d{4})-(\d{2})-(\d{2})[t ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?\s*(z|[+-]\d{2}:?\d{2})?$/;
const TIME_OF_DAY = /^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?$/;
/** Epoch milliseconds of 2001-09-09: smaller numbers are taken for epoch seconds and refused (core/instant.ts). */
const EPOCH_MS_FLOOR = 1e12;
const EPOCH_MS_MAX = 8.64e15;
const DATE_HELP = 'write an ISO date-time (2026-03-14T09:30:00Z), a time of day (09:30) or epoch milliseconds';

const formatters = new Map<string, Intl.DateTimeFormat>();
/** One formatter per zone (building one costs far more than using it; the set of zones is finite). */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows `timeZone`. */
export function knownZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC (ms) at `at`. */
function zoneOffset(at: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(at);
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const whole = at - (((at % 1000) + 1000) % 1000);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - whole;
}

/** The instant a wall-clock reading in `timeZone` names (the earlier one in a DST overlap). */
export function zonedInstant(
  wall: { y: number; mo: number; d: number; h: number; mi: number; s: number; ms: number },
  timeZone: string,
): number {
  const asUtc = Date.UTC(wall.y, wall.mo - 1, wall.d, wall.h, wall.mi, wall.s, wall.ms);
  const first = asUtc - zoneOffset(asUtc, timeZone);
  return asUtc - zoneOffset(first, timeZone);
}

/** The calendar day (in `timeZone`) of instant `at`. */
export function zonedDay(at: number, timeZone: string): { y: number; mo: number; d: number } {
  const wall = at + zoneOffset(at, timeZone);
  const dt = new Date(wall);
  return { y: dt.getUTCFullYear(), mo: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
}

export interface TimeContext {
  /** IANA zone that zoneless times are read in (the room's). */
  timeZone: string;
  /** Any instant on the day that bare times of day fall on (the room's planned start, else the import's `now`). */
  day: number;
}

/**
 * A planned start as epoch milliseconds. Accepted: ISO 8601 with a zone (`2026-03-14T09:30:00Z`, `…+01:00`);
 * a date-time without a zone (`2026-03-14 09:30`, read in the room's zone); a time of day (`09:30`, `9:30:15`,
 * `9:30 PM`) on the context's day in the room's zone; epoch milliseconds. Epoch seconds are refused by name.
 */
export function parsePlannedStart(text: string, ctx: TimeContext): Parsed<number> {
  const s = text.trim().toLowerCase();
  if (/^\d+$/.test(s)) {
    const v = Number(s);
    if (v < EPOCH_MS_FLOOR) return no(`${s} looks like epoch seconds; ${DATE_HELP}`);
    return v > EPOCH_MS_MAX ? no('the date is out of range') : ok(v);
  }
  const iso = ISO_ZONED.exec(s);
  if (iso) {
    const [y, mo, d, h, mi, sec] = iso.slice(1, 7).map((v) => (v === undefined ? 0 : Number(v))) as number[];
    const zone = iso[8];
    const ms = iso[7] ? Number((iso[7] as string).padEnd(3, '0')) : 0;
    const days = new Date(Date.UTC(y as number, mo as number, 0)).getUTCDate();
    if ((mo as number) < 1 || (mo as number) > 12 || (d as number) < 1 || (d as number) > days)
      return no(`${text.trim()}: no such date`);
    if ((h as number) > 23 || (mi as number) > 59 || (sec as number) > 59) return no(`${text.trim()}: no such time`);
    const wall = {
      y: y as number,
      mo: mo as number,
      d: d as number,
      h: h as number,
      mi: mi as number,
      s: sec as number,
      ms,
    };
    if (!zone) return ok(zonedInstant(wall, ctx.timeZone));
    const asUtc = Date.UTC(wall.y, wall.mo - 1, wall.d, wall.h, wall.mi, wall.s, wall.ms);
    if (zone === 'z') return ok(asUtc);
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone) as RegExpExecArray;
    if (Number(z[2]) > 23 || Number(z[3]) > 59) return no(`${text.trim()}: no such zone offset`);
    const offset = (Number(z[2]) * 60 + Number(z[3])) * 60_000 * (z[1] === '-' ? -1 : 1);
    return ok(asUtc - offset);
  }
  const tod = TIME_OF_DAY.exec(s);
  if (tod) {
    let h = Number(tod[1]);
    const mi = Number(tod[2]);
    const sec = tod[3] ? Number(tod[3]) : 0;
    if (tod[4]) {
      if (h < 1 || h > 12) return no(`${text.trim()}: AM/PM hours run 1–12`);
      h = (h % 12) + (tod[4] === 'pm' ? 12 : 0);
    }
    if (h > 23 || mi > 59 || sec > 59) return no(`${text.trim()}: no such time of day`);
    const day = zonedDay(ctx.day, ctx.timeZone);
    return ok(zonedInstant({ ...day, h, mi, s: sec, ms: 0 }, ctx.timeZone));
  }
  return no(`${text.trim()} is not a time: ${DATE_HELP}`);
}
