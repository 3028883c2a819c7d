import { describe, expect, it } from 'vitest';
import { fitsFrame } from './large-commands.ts';

const ids = (n: number) => Array.from({ length: n }, () => crypto.randomUUID());

describe('fitsFrame', () => {
  it('a reorder of a big rundown does not fit one socket frame; a small one does', () => {
    expect(fitsFrame({ type: 'reorder', timerIds: ids(100) })).toBe(true);
    expect(fitsFrame({ type: 'reorder', timerIds: ids(500) })).toBe(false);
    expect(fitsFrame({ type: 'next' })).toBe(true);
  });
});
