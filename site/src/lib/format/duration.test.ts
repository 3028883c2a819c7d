import { describe, expect, it } from 'vitest';
import { humanDuration as english } from '../../../../core/sessions/stats.ts';
import { humanDuration } from './duration.ts';

const H = 3_600_000;
const MIN = 60_000;

describe('humanDuration in the reader’s language', () => {
  it('keeps the compact English form for English readers', () => {
    for (const ms of [0, 400, 12_000, 4 * MIN, 2 * H, 2 * H + 5 * MIN])
      expect(humanDuration(ms, 'en-GB')).toBe(english(ms));
  });

  it('speaks German to a German reader, with the same rounding', () => {
    const hasDurationFormat = 'DurationFormat' in Intl;
    const de = humanDuration(2 * H + 5 * MIN, 'de-DE');
    if (hasDurationFormat) {
      expect(de).toMatch(/2\s*Std\.?.*5\s*Min\.?/);
      expect(humanDuration(12_000, 'de-DE')).toMatch(/12\s*Sek\.?/);
      expect(humanDuration(2 * H, 'de-DE')).toMatch(/^2\s*Std\.?$/);
    } else {
      // Without Intl.DurationFormat (older runtimes) the English form is the fallback, never a blank.
      expect(de).toBe(english(2 * H + 5 * MIN));
    }
  });
});
