/**
 * The one wire schema for an instant. Clients may send epoch milliseconds or an
 * ISO-8601 date-time with a zone (`new Date().toISOString()`); both parse to
 * epoch milliseconds. Epoch seconds are refused by name rather than stored as 1970.
 */
import { z } from 'zod';

/**
 * A number below this (2001-09-09T01:46:40Z in milliseconds) is taken for epoch
 * seconds and refused: no instant the product deals in is that old, and every
 * seconds value up to the year 33658 is below it.
 */
export const EPOCH_MS_FLOOR = 1e12;
/** The largest instant a JavaScript Date can hold. */
const EPOCH_MS_MAX = 8.64e15;

// Date and time with seconds optional, fractions up to nanoseconds, and a zone (Z or ±hh:mm): a zoneless time is ambiguous.
const ISO = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

const SECONDS_MESSAGE = 'looks like epoch seconds; send milliseconds (×1000) or an ISO-8601 string';
const ISO_MESSAGE = 'expected epoch milliseconds or an ISO-8601 date-time with a zone, such as 2026-01-31T09:00:00Z';

/** Epoch milliseconds for a valid ISO-8601 date-time with a zone, else null (Feb 30 is refused, not rolled over). */
export function parseIsoInstant(s: string): number | null {
  const m = ISO.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, sec, oh, om] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v))) as number[];
  const daysInMonth = new Date(Date.UTC(y as number, mo as number, 0)).getUTCDate();
  if (
    (mo as number) < 1 ||
    (mo as number) > 12 ||
    (d as number) < 1 ||
    (d as number) > daysInMonth ||
    (h as number) > 23 ||
    (mi as number) > 59 ||
    (sec as number) > 59 ||
    (oh as number) > 23 ||
    (om as number) > 59
  )
    return null;
  const ms = Date.parse(s.replace(' ', 'T'));
  return Number.isFinite(ms) ? ms : null;
}

/** Why `v` is not an instant, or null when it is one. */
function instantProblem(v: number | string): string | null {
  if (typeof v === 'string') {
    const ms = parseIsoInstant(v.trim());
    if (ms === null) return ISO_MESSAGE;
    return ms < 0 || ms > EPOCH_MS_MAX ? 'the date is out of range' : null;
  }
  if (!Number.isFinite(v) || !Number.isInteger(v)) return 'expected whole epoch milliseconds';
  if (v < 0 || v > EPOCH_MS_MAX) return 'the instant is out of range';
  if (v < EPOCH_MS_FLOOR) return `${v} ${SECONDS_MESSAGE}`;
  return null;
}

/**
 * An instant on the wire: epoch milliseconds (≥ 1e12) or an ISO-8601 string with
 * a zone, parsed to epoch milliseconds. Described as `instant` so the fuzzer
 * can generate it.
 */
export const instantSchema = z
  .union([z.number(), z.string().max(40)], { error: ISO_MESSAGE })
  .transform((v, ctx): number => {
    const problem = instantProblem(v);
    if (problem) {
      ctx.issues.push({ code: 'custom', message: problem, input: v });
      return z.NEVER;
    }
    return typeof v === 'number' ? v : (parseIsoInstant(v.trim()) as number);
  })
  .describe('instant');
