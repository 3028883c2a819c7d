import { describe, expect, it } from 'vitest';
import { bodyOf, draftOf, draftProblems, readNumber, thresholdWords } from './warehouse-review.ts';

const stored = { qty: 2, pct: 12.5, items: { 'NUT-5': { qty: null, pct: 50 }, 'BOLT-1': { qty: 0, pct: null } } };

describe('review thresholds draft', () => {
  it('reads numbers the locale way, whole groups only', () => {
    expect(readNumber('', 'en')).toBeNull();
    expect(readNumber(' 12.5 ', 'en')).toBe(12.5);
    expect(readNumber('1,000', 'en')).toBe(1000);
    expect(readNumber('12,5', 'de')).toBe(12.5);
    expect(readNumber('12.5', 'de')).toBe(12.5);
    expect(readNumber('1.000', 'de')).toBe(1000);
    expect(readNumber('-1', 'en')).toBeNaN();
    expect(readNumber('ten', 'en')).toBeNaN();
  });

  it('shows stored numbers in the locale and round-trips them to the same body', () => {
    const d = draftOf(stored, 'de');
    expect(d).toMatchObject({ qty: '2', pct: '12,5' });
    expect(d.items.map((i) => [i.code, i.qty, i.pct])).toEqual([
      ['BOLT-1', '0', ''],
      ['NUT-5', '', '50'],
    ]);
    expect(draftProblems(d, 'de')).toEqual([]);
    expect(bodyOf(d, stored, 'de')).toEqual({
      qty: 2,
      pct: 12.5,
      items: { 'BOLT-1': { qty: 0, pct: null }, 'NUT-5': { qty: null, pct: 50 } },
    });
  });

  it('sends a removed override as null and empty numbers as none', () => {
    const d = { qty: '', pct: '', items: [] };
    expect(bodyOf(d, stored, 'en')).toEqual({ qty: null, pct: null, items: { 'NUT-5': null, 'BOLT-1': null } });
  });

  it('names each problem where it is', () => {
    const d = {
      qty: '1.5',
      pct: '20000',
      items: [
        { key: 1, code: '', qty: '1', pct: '' },
        { key: 2, code: 'A', qty: '', pct: '' },
        { key: 3, code: 'A', qty: 'x', pct: '3' },
      ],
    };
    const p = draftProblems(d, 'en');
    expect(p.map((x) => [x.at, x.field])).toEqual([
      ['floor', 'qty'],
      ['floor', 'pct'],
      [1, 'code'],
      [2, 'row'],
      [3, 'code'],
      [3, 'qty'],
    ]);
    expect(p[0]?.message).toBe('Write a whole number of units from 0 to 1,000,000, or leave it empty');
    expect(p[4]?.message).toBe('A has an override already');
  });

  it('puts thresholds in words with locale numbers', () => {
    expect(thresholdWords({ qty: 1000, pct: 12.5 }, 'en')).toBe('over 1,000 units or over 12.5%');
    expect(thresholdWords({ qty: 1, pct: null }, 'de')).toBe('over 1 unit');
    expect(thresholdWords({ qty: null, pct: null }, 'en')).toBe('none');
  });
});
