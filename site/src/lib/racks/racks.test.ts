import { describe, expect, it } from 'vitest';
import { applyFloorMessage, parseFloorMessage } from './floor-board.ts';
import { parseRackMessage } from './socket.ts';
import { RETRY_CAP_MS, retryDelay } from './sync.ts';
import type { RackStatus } from './api.ts';

const rack = (version: number, total = 0): RackStatus => ({
  rack_id: 'G01',
  floor: 'ground',
  status: 'claimed',
  holder: 'u1',
  session_id: 'G01:1',
  fencing_token: 1,
  expires_at: 1000,
  counts: { total, verified: total, damage: 0, pending: 0 },
  version,
});

describe('rack sync backoff', () => {
  it('starts at 1–2 s, doubles, and never passes 5 minutes', () => {
    expect(retryDelay(0, () => 0)).toBe(1000);
    expect(retryDelay(0, () => 1)).toBe(2000);
    expect(retryDelay(3, () => 1)).toBe(16_000);
    expect(retryDelay(30, () => 1)).toBe(RETRY_CAP_MS);
  });
});

describe('floor board messages', () => {
  it('parses floor-state and rack-status, and drops anything else', () => {
    expect(parseFloorMessage(JSON.stringify({ type: 'floor-state', racks: [rack(1)], serverTime: 5 }))?.type).toBe(
      'floor-state',
    );
    const m = parseFloorMessage(JSON.stringify({ type: 'rack-status', ...rack(2), serverTime: 5 }));
    expect(m?.type === 'rack-status' && m.rack).toEqual(rack(2));
    expect(parseFloorMessage(JSON.stringify({ type: 'rack-status', rack_id: 'G01', serverTime: 5 }))).toBeNull();
    expect(parseFloorMessage('not json')).toBeNull();
  });

  it('keeps the newest version of each rack', () => {
    let board = applyFloorMessage({}, { type: 'floor-state', racks: [rack(3, 5)], serverTime: 0 });
    board = applyFloorMessage(board, { type: 'rack-status', rack: rack(2, 1), serverTime: 0 });
    expect(board.G01?.counts.total).toBe(5);
    board = applyFloorMessage(board, { type: 'rack-status', rack: rack(4, 9), serverTime: 0 });
    expect(board.G01?.counts.total).toBe(9);
  });
});

describe('rack socket messages', () => {
  it('reads lease-lost and rack-status', () => {
    expect(
      parseRackMessage(
        JSON.stringify({ type: 'lease-lost', session_id: 'G01:1', fencing_token: 1, reason: 'expired' }),
      ),
    ).toEqual({ type: 'lease-lost', session_id: 'G01:1', fencing_token: 1, reason: 'expired' });
    expect(parseRackMessage(JSON.stringify({ type: 'rack-status', ...rack(1) }))?.type).toBe('rack-status');
    expect(parseRackMessage(JSON.stringify({ type: 'lease-lost' }))).toBeNull();
  });
});
