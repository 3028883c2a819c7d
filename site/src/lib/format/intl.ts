/**
 * Dates, weekdays, times and units as the reader's browser locale writes them (Intl), never hard-coded English.
 * `locale` defaults to the browser's (undefined); tests pass one. Calendar days ("2026-12-04") are formatted in
 * UTC so the day never shifts; instants take an optional IANA time zone (a room's own zone).
 */
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function dateFormat(locale: string | undefined, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale ?? ''}|${JSON.stringify(opts)}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, opts);
    } catch {
      // An unknown zone (an old browser's tz data): the same reading in UTC beats a blank page.
      f = new Intl.DateTimeFormat(locale, { ...opts, timeZone: 'UTC' });
    }
    cache.set(key, f);
  }
  return f;
}

function unitFormat(locale: string | undefined, unit: 'second' | 'minute' | 'hour', digits: number): Intl.NumberFormat {
  const key = `u|${locale ?? ''}|${unit}|${digits}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: digits });
    cache.set(key, f);
  }
  return f;
}

const dayDate = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** A calendar day's short weekday: "Fri" (en), "Fr." (de). */
export function weekdayShort(iso: string, locale?: string): string {
  return dateFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(dayDate(iso));
}

/** A calendar day without the weekday: "4 Dec" (en-GB), "Dec 4" (en-US), "4. Dez." (de). */
export function dayMonth(iso: string, locale?: string): string {
  return dateFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(dayDate(iso));
}

/** A calendar day with its weekday: "Fri, 4 Dec" (en-GB), "Fri, Dec 4" (en-US), "Fr., 4. Dez." (de). */
export function dayLabel(iso: string, locale?: string): string {
  return dateFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(dayDate(iso));
}

/** An instant's time of day, in `timeZone` (a room's) or the browser's: "8:23:49 PM" (en-US), "20:23:49" (de). */
export function timeOfDay(ms: number, opts: { timeZone?: string; seconds?: boolean; locale?: string } = {}): string {
  const o: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
  if (opts.seconds !== false) o.second = '2-digit';
  if (opts.timeZone) o.timeZone = opts.timeZone;
  return dateFormat(opts.locale, o).format(ms);
}

/** An instant's date and time, medium date and short time: "4 Dec 2026, 20:23" (en-GB), "04.12.2026, 20:23" (de). */
export function dateTime(ms: number, opts: { timeZone?: string; locale?: string } = {}): string {
  const o: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
  if (opts.timeZone) o.timeZone = opts.timeZone;
  return dateFormat(opts.locale, o).format(ms);
}

/**
 * A span in its largest sensible unit, in the locale's words: "12 sec"/"4 min"/"1.5 hr" (en), "12 Sek."/"4 Min."/
 * "1,5 Std." (de). Under 90 s in seconds, under 90 min in minutes, else hours (one decimal below ten hours).
 */
export function span(ms: number, locale?: string): string {
  const s = Math.max(0, ms) / SECOND;
  if (s < 90) return unitFormat(locale, 'second', 0).format(Math.round(s));
  if (ms < 90 * MINUTE) return unitFormat(locale, 'minute', 0).format(Math.round(ms / MINUTE));
  const h = ms / HOUR;
  return unitFormat(locale, 'hour', h < 10 ? 1 : 0).format(h);
}

/** A chart axis step (always a round number of one unit): "10 sec", "30 min", "1.5 hr" in the locale's words. */
export function axisSpan(ms: number, locale?: string): string {
  if (ms >= HOUR) return unitFormat(locale, 'hour', 1).format(ms / HOUR);
  if (ms >= MINUTE) return unitFormat(locale, 'minute', 0).format(Math.round(ms / MINUTE));
  return unitFormat(locale, 'second', 0).format(Math.round(ms / SECOND));
}
