import { describe, expect, it } from 'vitest';
import { EPOCH_MS_FLOOR, instantSchema, parseIsoInstant } from './instant.ts';
import { createTimerBody, roomClientMessage, scanRecordSchema } from './protocol.ts';

const parse = (v: unknown) => instantSchema.safeParse(v);
const messages = (v: unknown) => {
  const r = parse(v);
  return r.success ? [] : r.error.issues.map((i) => i.message);
};

describe('instant', () => {
  it('takes epoch milliseconds as they are', () => {
    expect(parse(1_767_225_600_000)).toEqual({ success: true, data: 1_767_225_600_000 });
    expect(parse(EPOCH_MS_FLOOR).success).toBe(true);
  });

  it('takes ISO-8601 strings with a zone, as new Date().toISOString() writes them', () => {
    const now = new Date('2026-03-04T05:06:07.089Z');
    expect(parse(now.toISOString())).toEqual({ success: true, data: now.getTime() });
    expect(parse('2026-01-31T09:00:00+05:30')).toEqual({ success: true, data: Date.UTC(2026, 0, 31, 3, 30) });
    expect(parse('2026-01-31T09:00Z')).toEqual({ success: true, data: Date.UTC(2026, 0, 31, 9) });
    expect(parse('2026-01-31 09:00:00.5-01:00')).toEqual({ success: true, data: Date.UTC(2026, 0, 31, 10, 0, 0, 500) });
  });

  it('refuses epoch seconds with a message that names the unit', () => {
    for (const seconds of [1_700_000_000, 1.7e9, 1, 0, EPOCH_MS_FLOOR - 1])
      expect(messages(seconds).join()).toMatch(/looks like epoch seconds; send milliseconds \(×1000\) or an ISO-8601/);
  });

  it('refuses zoneless, impossible and non-date strings, fractions and out-of-range numbers', () => {
    for (const bad of [
      '2026-01-31T09:00:00',
      '2026-01-31',
      '2026-02-30T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '1767225600000',
      'tomorrow',
      '',
      'x'.repeat(100),
      1.7672256e12 + 0.5,
      -1,
      8.64e15 + 1,
      Number.NaN,
      null,
      true,
    ])
      expect(parse(bad).success).toBe(false);
    expect(parseIsoInstant('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    expect(parseIsoInstant('2025-02-29T00:00:00Z')).toBeNull();
  });

  it('is the instant of every schema that takes one: timer starts, targets, scan records, socket commands', () => {
    const iso = '2026-06-01T18:30:00Z';
    const ms = Date.parse(iso);
    expect(createTimerBody.parse({ label: 'x', durationMs: 1000, trigger: 'scheduled', startAt: iso }).startAt).toBe(
      ms,
    );
    expect(createTimerBody.parse({ label: 'x', durationMs: 0, mode: 'time-of-day', targetTime: iso }).targetTime).toBe(
      ms,
    );
    expect(
      createTimerBody.safeParse({ label: 'x', durationMs: 1000, trigger: 'scheduled', startAt: 1.7e9 }).success,
    ).toBe(false);
    const record = {
      client_record_id: 'r1',
      item_code: 'ITEM1',
      verified_qty: 1,
      damage_qty: 0,
      serial_numbers: [],
      status: 'verified',
      created_at: iso,
      updated_at: ms,
    };
    expect(scanRecordSchema.parse(record)).toMatchObject({ created_at: ms, updated_at: ms });
    expect(scanRecordSchema.safeParse({ ...record, created_at: 1_767_225_600 }).success).toBe(false);
    const frame = {
      type: 'command',
      id: 'c1',
      command: { type: 'update-timer', timerId: 't1', patch: { startAt: iso } },
    };
    expect(roomClientMessage.parse(frame)).toMatchObject({ command: { patch: { startAt: ms } } });
  });
});
