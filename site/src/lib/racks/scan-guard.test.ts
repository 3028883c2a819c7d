import { describe, expect, it } from 'vitest';
import { normalize } from './barcode.ts';
import { DEFAULT_QUIET_MS, parseQuiet, scanGuard } from './scan-guard.ts';
import { takesTyping } from './wedge.ts';

describe('the camera repeat guard', () => {
  it('passes a code once while it stays in view, and again after the quiet time out of view', () => {
    const g = scanGuard(1000);
    expect(g.accept('A', 0)).toBe(true);
    // Held in front of the camera: every frame extends the quiet time.
    for (let t = 100; t <= 5000; t += 100) expect(g.accept('A', t)).toBe(false);
    expect(g.accept('A', 6001)).toBe(true);
  });
  it('passes the same code again straight after another code', () => {
    const g = scanGuard(1000);
    expect(g.accept('A', 0)).toBe(true);
    expect(g.accept('B', 10)).toBe(true);
    expect(g.accept('A', 20)).toBe(true);
  });
  it('forgets the last code on reset; a quiet time of 0 passes every read', () => {
    const g = scanGuard(1000);
    g.accept('A', 0);
    g.reset();
    expect(g.accept('A', 1)).toBe(true);
    const none = scanGuard(0);
    expect(none.accept('A', 0)).toBe(true);
    expect(none.accept('A', 0)).toBe(true);
  });
  it('reads a stored quiet time within bounds, else the default', () => {
    expect(parseQuiet(null)).toBe(DEFAULT_QUIET_MS);
    expect(parseQuiet('junk')).toBe(DEFAULT_QUIET_MS);
    expect(parseQuiet('2500')).toBe(2500);
    expect(parseQuiet('-5')).toBe(0);
    expect(parseQuiet('99999999')).toBe(10_000);
  });
});

describe('barcode values', () => {
  it('gives a leading-zero EAN-13 as the UPC-A printed on it; other reads unchanged', () => {
    expect(normalize({ rawValue: '0036000291452', format: 'ean_13' })).toEqual({
      rawValue: '036000291452',
      format: 'upc_a',
    });
    expect(normalize({ rawValue: '4006381333931', format: 'ean_13' }).format).toBe('ean_13');
    expect(normalize({ rawValue: '0ABC', format: 'code_128' }).rawValue).toBe('0ABC');
  });
});

describe('the wedge focus trap', () => {
  it('leaves a missing element alone', () => {
    expect(takesTyping(null)).toBe(false);
  });
});
