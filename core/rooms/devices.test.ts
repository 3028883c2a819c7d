import { describe, expect, it } from 'vitest';
import { DEVICES, type KnownDevice, cleanName, evicted, isPoorSync, isQuiet, offlineDevices } from './devices.ts';

const NOW = 1_800_000_000_000;
const known = (deviceId: string, lastSeenAt: number, extra: Partial<KnownDevice> = {}): KnownDevice => ({
  deviceId,
  name: null,
  label: null,
  role: 'viewer',
  firstSeenAt: lastSeenAt - 1_000,
  lastSeenAt,
  ...extra,
});

describe('isPoorSync', () => {
  it('is poor above 250 ms of round trip or 50 ms of spread, not at them', () => {
    expect(isPoorSync({ rttMs: 250, spread: 50 })).toBe(false);
    expect(isPoorSync({ rttMs: 250.1, spread: 0 })).toBe(true);
    expect(isPoorSync({ rttMs: 12, spread: 50.1 })).toBe(true);
    expect(isPoorSync({ rttMs: 400, spread: 80 })).toBe(true);
  });

  it('is not poor when nothing was reported yet', () => {
    expect(isPoorSync({ rttMs: null, spread: null })).toBe(false);
    expect(isPoorSync({ rttMs: null, spread: 51 })).toBe(true);
    expect(isPoorSync({ rttMs: 251, spread: null })).toBe(true);
  });
});

describe('isQuiet', () => {
  it('is quiet only after more than 45 s without a ping', () => {
    expect(isQuiet(NOW - DEVICES.quietMs, NOW)).toBe(false);
    expect(isQuiet(NOW - DEVICES.quietMs - 1, NOW)).toBe(true);
    expect(isQuiet(NOW - 30_000, NOW)).toBe(false);
  });
});

describe('offlineDevices', () => {
  it('lists known devices not connected now, seen within 24 h, most recent first', () => {
    const list = offlineDevices(
      [
        known('aaaaaaaa', NOW - 60_000),
        known('bbbbbbbb', NOW - 1_000),
        known('cccccccc', NOW - DEVICES.offlineWindowMs - 1),
        known('dddddddd', NOW - 5_000),
      ],
      new Set(['dddddddd']),
      NOW,
    );
    expect(list.map((d) => d.deviceId)).toEqual(['bbbbbbbb', 'aaaaaaaa']);
  });

  it('lists at most DEVICES.offlineListed', () => {
    const many = Array.from({ length: DEVICES.offlineListed + 20 }, (_, i) =>
      known(`dev-${String(i).padStart(5, '0')}`, NOW - i * 1_000),
    );
    const list = offlineDevices(many, new Set(), NOW);
    expect(list).toHaveLength(DEVICES.offlineListed);
    expect(list[0]?.deviceId).toBe('dev-00000');
  });
});

describe('evicted', () => {
  it('drops nothing at or under the cap', () => {
    expect(evicted([known('aaaaaaaa', NOW), known('bbbbbbbb', NOW)], new Set(), 2)).toEqual([]);
  });

  it('drops the devices seen longest ago, never a connected one', () => {
    const all = [
      known('oldest00', NOW - 90_000),
      known('older000', NOW - 80_000),
      known('recent00', NOW - 1_000),
      known('newest00', NOW),
    ];
    expect(evicted(all, new Set(), 2)).toEqual(['oldest00', 'older000']);
    expect(evicted(all, new Set(['oldest00']), 2)).toEqual(['older000', 'recent00']);
  });
});

describe('cleanName', () => {
  it('trims and folds whitespace; empty means no name', () => {
    expect(cleanName('  Stage   left \n screen ')).toBe('Stage left screen');
    expect(cleanName('   ')).toBeNull();
    expect(cleanName('')).toBeNull();
  });
});
