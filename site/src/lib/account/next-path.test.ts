import { describe, expect, it } from 'vitest';
import { resolveNext } from './next-path.ts';

const ORIGIN = 'https://app.keeptime.test';
/** What URLSearchParams hands the page for `?next=<raw>`. */
const fromQuery = (raw: string) => new URLSearchParams(`next=${raw}`).get('next');

describe('resolveNext (login ?next=)', () => {
  it('keeps same-origin paths, with query and fragment', () => {
    expect(resolveNext('/control/?room=r1', ORIGIN)).toBe('/control/?room=r1');
    expect(resolveNext('/track/#today', ORIGIN)).toBe('/track/#today');
    expect(resolveNext(fromQuery('%2Fops%2F'), ORIGIN)).toBe('/ops/');
    expect(resolveNext('/a/../rooms/', ORIGIN)).toBe('/rooms/');
  });

  it.each([
    ['/\\attacker.example/x'],
    ['/%09/attacker.example'],
    ['/%0a/attacker.example'],
    ['%2F%2Fattacker.example'],
    ['//attacker.example'],
    ['///attacker.example'],
    ['/%5Cattacker.example'],
    ['javascript:alert(1)'],
    ['JaVaScRiPt:alert(1)'],
    ['https://attacker.example/'],
    ['http:/attacker.example'],
    ['attacker.example'],
    [''],
  ])('refuses %s (falls back)', (raw) => {
    expect(resolveNext(fromQuery(raw), ORIGIN, '/rooms/')).toBe('/rooms/');
  });

  it('falls back when next is absent', () => {
    expect(resolveNext(null, ORIGIN)).toBe('/rooms/');
    expect(resolveNext(null, ORIGIN, '/track/')).toBe('/track/');
  });

  it('every answer stays on the origin', () => {
    for (const raw of ['/\\\\x', '/\t/x', '/ /x', '/.//x', '/%2e%2e//x', '/..//x']) {
      const to = resolveNext(raw, ORIGIN);
      expect(new URL(to, ORIGIN).origin).toBe(ORIGIN);
    }
  });
});
