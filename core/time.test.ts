import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE, SECOND, duration, formatDuration, instant } from './time.ts';

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [1, '0:01'],
    [999, '0:01'],
    [1_000, '0:01'],
    [1_001, '0:02'],
    [10_200, '0:11'],
    [59_001, '1:00'],
    [60_000, '1:00'],
    [599_999, '10:00'],
    [3_599_000, '59:59'],
    [3_599_001, '1:00:00'],
    [3_600_000, '1:00:00'],
    [36_000_000 + 62_000, '10:01:02'],
    [100 * 24 * 3_600_000, '2400:00:00'],
  ])('counts down with the ceiling second: %d → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each([
    [-1, '0:00'],
    [-999, '0:00'],
    [-1_000, '-0:01'],
    [-1_999, '-0:01'],
    [-61_000, '-1:01'],
    [-3_600_000, '-1:00:00'],
  ])('overtime uses the floor, so zero shows once and the sign appears with the first second: %d → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each([
    [0, '0:00.0'],
    [10_200, '0:10.2'],
    [10_201, '0:10.3'],
    [59_950, '1:00.0'],
    [3_600_000, '1:00:00.0'],
    [-50, '0:00.0'],
    [-100, '-0:00.1'],
    [-1_250, '-0:01.2'],
  ])('tenths: %d → %s', (ms, text) => {
    expect(formatDuration(ms, { tenths: true })).toBe(text);
  });

  it('non-finite readings show a placeholder', () => {
    expect(formatDuration(Number.NaN)).toBe('--:--');
    expect(formatDuration(Number.POSITIVE_INFINITY, { tenths: true })).toBe('--:--');
  });

  it('round-trips: the text reads back as the ceiling (or overtime floor) second', () => {
    const back = (text: string) => {
      const sign = text.startsWith('-') ? -1 : 1;
      const parts = text.replace('-', '').split(':').map(Number);
      return sign * parts.reduce((acc, p) => acc * 60 + p, 0);
    };
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), (ms) => {
        const text = formatDuration(ms);
        expect(text).toMatch(/^-?(\d+:[0-5]\d:[0-5]\d|[1-5]?\d:[0-5]\d)$/);
        expect(back(text)).toBe(ms >= 0 ? Math.ceil(ms / 1000) : -Math.floor(-ms / 1000) || 0);
      }),
    );
  });

  it('a countdown display never increases as time passes', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000_000, max: 100_000_000 }), fc.nat(10_000), (ms, step) => {
        const value = (text: string) => Number(text.replace(/[-:.]/g, '')) * (text.startsWith('-') ? -1 : 1);
        expect(value(formatDuration(ms - step, { tenths: true }))).toBeLessThanOrEqual(
          value(formatDuration(ms, { tenths: true })),
        );
      }),
    );
  });
});

describe('units', () => {
  it('brands are plain numbers at runtime', () => {
    expect(instant(5) + 0).toBe(5);
    expect(duration(7) + 0).toBe(7);
    expect([SECOND, MINUTE, HOUR]).toEqual([1_000, 60_000, 3_600_000]);
  });
});
