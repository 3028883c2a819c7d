import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, parsePlannedStart } from './duration-text.ts';

const ms = (text: string, unit?: Parameters<typeof parseDuration>[1]) => {
  const r = parseDuration(text, unit);
  if (!r.ok) throw new Error(`${text}: ${r.message}`);
  return r.value;
};
const refusal = (text: string) => {
  const r = parseDuration(text);
  if (r.ok) throw new Error(`${text} was accepted as ${r.value}`);
  return r.message;
};

describe('parseDuration', () => {
  it('reads clock forms: M:SS, H:MM:SS, with fractions', () => {
    expect(ms('5:00')).toBe(300_000);
    expect(ms('0:45')).toBe(45_000);
    expect(ms('90:00')).toBe(5_400_000);
    expect(ms('1:05:00')).toBe(3_900_000);
    expect(ms('00:05:00')).toBe(300_000);
    expect(ms('0:00:01.5')).toBe(1_500);
    expect(ms('0:00:01.250')).toBe(1_250);
    expect(ms(' 5:00 ')).toBe(300_000);
  });

  it('reads units, alone or combined, in any case and spacing', () => {
    expect(ms('1h 30m')).toBe(5_400_000);
    expect(ms('1h30m')).toBe(5_400_000);
    expect(ms('90s')).toBe(90_000);
    expect(ms('45m')).toBe(2_700_000);
    expect(ms('2 min')).toBe(120_000);
    expect(ms('2 Minutes')).toBe(120_000);
    expect(ms('1.5h')).toBe(5_400_000);
    expect(ms('1 hr 2 mins 3 secs')).toBe(3_723_000);
    expect(ms('250ms')).toBe(250);
  });

  it('reads a bare number in the header’s unit, minutes by default', () => {
    expect(ms('5')).toBe(300_000);
    expect(ms('2.5')).toBe(150_000);
    expect(ms('90', 's')).toBe(90_000);
    expect(ms('1500', 'ms')).toBe(1_500);
    expect(ms('2', 'h')).toBe(7_200_000);
  });

  it('refuses ambiguous and malformed values with a reason', () => {
    expect(refusal('')).toMatch(/required/);
    expect(refusal('1,5')).toMatch(/decimal comma/);
    expect(refusal('-5:00')).toMatch(/negative/);
    expect(refusal('9:30 AM')).toMatch(/clock time/);
    expect(refusal('5:75')).toMatch(/below 60/);
    expect(refusal('1:75:00')).toMatch(/below 60/);
    expect(refusal('1:2:3:4')).toMatch(/not a duration/);
    expect(refusal('5 parsecs')).toMatch(/unknown unit/);
    expect(refusal('1m 2m')).toMatch(/twice/);
    expect(refusal('soon')).toMatch(/not a duration/);
    expect(refusal('2401h')).toMatch(/100-day/);
  });

  it('formats as H:MM:SS[.mmm], which it reads back', () => {
    expect(formatDuration(0)).toBe('0:00:00');
    expect(formatDuration(300_000)).toBe('0:05:00');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatDuration(1_005)).toBe('0:00:01.005');
    expect(formatDuration(100 * 3_600_000)).toBe('100:00:00');
    for (const v of [0, 1, 999, 1_000, 59_999, 3_600_000, 86_399_999, 8_640_000_000])
      expect(ms(formatDuration(v))).toBe(v);
  });
});

describe('parsePlannedStart', () => {
  const march = Date.UTC(2026, 2, 14, 12, 0, 0);
  const ctx = { timeZone: 'Europe/Paris', day: march };
  const at = (text: string, c = ctx) => {
    const r = parsePlannedStart(text, c);
    if (!r.ok) throw new Error(`${text}: ${r.message}`);
    return r.value;
  };

  it('reads ISO 8601 with a zone, and epoch milliseconds', () => {
    expect(at('2026-03-14T09:30:00Z')).toBe(Date.UTC(2026, 2, 14, 9, 30));
    expect(at('2026-03-14T09:30:00.250Z')).toBe(Date.UTC(2026, 2, 14, 9, 30, 0, 250));
    expect(at('2026-03-14T09:30:00+01:00')).toBe(Date.UTC(2026, 2, 14, 8, 30));
    expect(at('2026-03-14T09:30-0500')).toBe(Date.UTC(2026, 2, 14, 14, 30));
    expect(at('1773480600000')).toBe(1_773_480_600_000);
  });

  it('reads zoneless date-times and times of day in the room’s zone, on the context’s day', () => {
    // Paris is UTC+1 in March before the DST change.
    expect(at('2026-03-14 09:30')).toBe(Date.UTC(2026, 2, 14, 8, 30));
    expect(at('09:30')).toBe(Date.UTC(2026, 2, 14, 8, 30));
    expect(at('9:30:15')).toBe(Date.UTC(2026, 2, 14, 8, 30, 15));
    expect(at('9:30 PM')).toBe(Date.UTC(2026, 2, 14, 20, 30));
    expect(at('12:00 am')).toBe(Date.UTC(2026, 2, 13, 23, 0));
    // Summer time: UTC+2.
    expect(at('09:30', { timeZone: 'Europe/Paris', day: Date.UTC(2026, 6, 1, 12) })).toBe(Date.UTC(2026, 6, 1, 7, 30));
    // The day is the zone's day: 23:30 UTC on 14 March is already 15 March in Tokyo.
    expect(at('08:00', { timeZone: 'Asia/Tokyo', day: Date.UTC(2026, 2, 14, 23, 30) })).toBe(
      Date.UTC(2026, 2, 14, 23, 0),
    );
  });

  it('refuses epoch seconds, impossible dates and words', () => {
    for (const bad of ['1773480600', '2026-02-30T09:00Z', '25:00', '13:00 pm', 'tomorrow', '2026-03-14T09:30+24:00']) {
      const r = parsePlannedStart(bad, ctx);
      expect(r.ok, bad).toBe(false);
    }
    const r = parsePlannedStart('1773480600', ctx);
    expect(!r.ok && r.message).toMatch(/epoch seconds/);
  });
});
