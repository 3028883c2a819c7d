import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type HistoryItem, decodeCursor, encodeCursor, historyItem, mergePage } from './history.ts';

const T0 = 1_700_000_000_000;
const item = (n: number, id = `s${n}`): HistoryItem =>
  historyItem('u1', {
    id,
    label: null,
    startTime: T0 + n * 1_000,
    endTime: T0 + n * 1_000 + 500,
    durationMs: 500,
    elapsedMs: 400,
    pausedMs: 100,
    pauseSegments: [],
    autoStopped: false,
  });

describe('cursors', () => {
  it('round-trip and are opaque URL-safe text', () => {
    const c = { startTime: T0, id: '0192f0c8-0000-7000-8000-000000000001' };
    const raw = encodeCursor(c);
    expect(raw).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(raw)).toEqual(c);
  });

  it.each([
    '',
    'not base64!',
    btoa('abc'),
    btoa('12:'),
    btoa('-1:x'),
    btoa('1e3:x'),
    btoa(`1:${'x'.repeat(65)}`),
    'x'.repeat(201),
  ])('refuses %j', (raw) => {
    expect(decodeCursor(raw)).toBeNull();
  });

  it('never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (raw) => void decodeCursor(raw)));
  });
});

describe('mergePage', () => {
  it('merges sources without duplicates, newest first, and pages through everything once', () => {
    const pg = [item(1), item(2), item(3), item(5)];
    const recent = [item(5), item(6), item(4)];
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const after = cursor ? decodeCursor(cursor) : null;
      const page = mergePage([pg, recent], 2, after);
      seen.push(...page.sessions.map((s) => s.id));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(['s6', 's5', 's4', 's3', 's2', 's1']);
  });

  it('gives no next cursor when the page holds the rest', () => {
    expect(mergePage([[item(1), item(2)]], 2, null)).toMatchObject({
      nextCursor: null,
      sessions: [{ id: 's2' }, { id: 's1' }],
    });
    expect(mergePage([], 5, null)).toEqual({ sessions: [], nextCursor: null });
  });

  it('items carry the contract’s fields', () => {
    expect(item(1)).toEqual({
      id: 's1',
      userId: 'u1',
      startTime: T0 + 1_000,
      endTime: T0 + 1_500,
      duration: 500,
      elapsedTime: 400,
      pausedTime: 100,
      label: null,
      createdAt: T0 + 1_000,
      pauseSegments: [],
      autoStopped: false,
      stopReason: null,
      projectId: null,
      taskId: null,
      tags: [],
      version: 0,
      source: 'live',
      editedAt: null,
      overlaps: [],
    });
  });

  it('of two copies of an entry, the higher version wins', () => {
    const old = { ...item(1), label: 'old', version: 3 };
    const edited = { ...item(1), label: 'edited', version: 4 };
    expect(mergePage([[old], [edited]], 5, null).sessions.map((s) => s.label)).toEqual(['edited']);
    expect(mergePage([[edited], [old]], 5, null).sessions.map((s) => s.label)).toEqual(['edited']);
  });

  it('entries with the same start are paged by id without loss', () => {
    const a = { ...item(1), id: 'a' };
    const b = { ...item(1), id: 'b' };
    const first = mergePage([[a, b]], 1, null);
    expect(first.sessions.map((s) => s.id)).toEqual(['b']);
    const cursor = decodeCursor(first.nextCursor as string);
    expect(mergePage([[a, b]], 1, cursor).sessions.map((s) => s.id)).toEqual(['a']);
  });
});
