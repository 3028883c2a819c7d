import { describe, expect, it } from 'vitest';
import { expectedText, parseExpected, slugOf } from './warehouse.ts';

describe('expected items text', () => {
  it('reads code and quantity per line, defaulting the quantity to 1, and round-trips', () => {
    expect(parseExpected('BOLT 4\n\n  NUT\nWASHER-10   12  ')).toEqual({
      items: [
        { item_code: 'BOLT', expected_qty: 4 },
        { item_code: 'NUT', expected_qty: 1 },
        { item_code: 'WASHER-10', expected_qty: 12 },
      ],
    });
    const items = [{ item_code: 'A', expected_qty: 2 }];
    expect(parseExpected(expectedText(items))).toEqual({ items });
  });

  it('names the first bad line', () => {
    expect(parseExpected('BOLT 4\nNUT four')).toEqual({ error: 'Line 2: write the item code, then the quantity' });
    expect(parseExpected('BOLT 4\nBOLT 1')).toEqual({ error: 'Line 2: BOLT is listed twice' });
    expect(parseExpected('BOLT -1')).toMatchObject({ error: expect.stringContaining('Line 1') });
  });

  it('makes floor ids from names', () => {
    expect(slugOf('  Upper Mezzanine #2 ')).toBe('upper-mezzanine-2');
  });
});
