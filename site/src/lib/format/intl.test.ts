import { describe, expect, it } from 'vitest';
import { axisSpan, dateTime, dayLabel, dayMonth, span, timeOfDay, weekdayShort } from './intl.ts';

describe('local formats', () => {
  it('writes calendar days in the locale, never shifting the day', () => {
    expect(weekdayShort('2026-12-04', 'en-GB')).toBe('Fri');
    expect(weekdayShort('2026-12-04', 'de-DE')).toMatch(/^Fr\.?$/);
    expect(dayMonth('2026-12-04', 'en-US')).toBe('Dec 4');
    expect(dayMonth('2026-12-04', 'de-DE')).toBe('4. Dez.');
    expect(dayLabel('2026-12-04', 'de-DE')).toBe('Fr., 4. Dez.');
    expect(dayLabel('2026-12-04', 'en-GB')).toBe('Fri 4 Dec');
  });

  it('writes times of day in the given zone and locale', () => {
    const at = Date.UTC(2026, 11, 4, 20, 23, 49);
    expect(timeOfDay(at, { timeZone: 'UTC', locale: 'de-DE' })).toBe('20:23:49');
    expect(timeOfDay(at, { timeZone: 'Asia/Kathmandu', locale: 'de-DE', seconds: false })).toBe('2:08');
    expect(timeOfDay(at, { timeZone: 'UTC', locale: 'en-US' })).toMatch(/^8:23:49\s?PM$/);
    expect(timeOfDay(at, { timeZone: 'Not/AZone', locale: 'de-DE' })).toBe('20:23:49');
    expect(dateTime(at, { timeZone: 'UTC', locale: 'de-DE' })).toBe('04.12.2026, 20:23');
  });

  it('writes spans with the locale’s unit words', () => {
    expect(span(12_000, 'en')).toBe('12 sec');
    expect(span(4 * 60_000, 'en')).toBe('4 min');
    expect(span(90 * 60_000, 'en')).toBe('1.5 hr');
    expect(span(12_000, 'de-DE')).toBe('12 Sek.');
    expect(span(4 * 60_000, 'de-DE')).toBe('4 Min.');
    expect(span(90 * 60_000, 'de-DE')).toBe('1,5 Std.');
    expect(span(-5, 'en')).toBe('0 sec');
    expect(axisSpan(30 * 60_000, 'de-DE')).toBe('30 Min.');
    expect(axisSpan(10_000, 'en')).toBe('10 sec');
  });
});
