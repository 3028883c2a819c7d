import { describe, expect, it } from 'vitest';
import {
  type Batch,
  type BatchOutcome,
  type BatchStore,
  type CurrentLease,
  type ScanRecordInput,
  SEEN_LIMIT,
  makeBatchStore,
  mergeBatch,
} from './batch.ts';
import { auditStats, auditSummary } from './summary.ts';

const T0 = 1_700_000_000_000;
const lease1: CurrentLease = { sessionId: 's1', holderId: 'u1', fencingToken: 1 };
const lease2: CurrentLease = { sessionId: 's2', holderId: 'u2', fencingToken: 2 };

const rec = (over: Partial<ScanRecordInput> = {}): ScanRecordInput => ({
  client_record_id: 'c1',
  item_code: 'ITEM1',
  verified_qty: 10,
  damage_qty: 0,
  serial_numbers: [],
  status: 'verified',
  created_at: T0,
  updated_at: T0,
  ...over,
});
const batchOf = (l: CurrentLease, records: ScanRecordInput[]): Batch => ({
  sessionId: l.sessionId,
  userId: l.holderId,
  fencingToken: l.fencingToken,
  records,
});

function merged(o: BatchOutcome) {
  if ('rejected' in o) throw new Error(o.rejected);
  return o;
}

describe('mergeBatch', () => {
  it('applies the same batch once when it is sent 5 times', () => {
    const batch = batchOf(lease1, [rec(), rec({ client_record_id: 'c2', item_code: 'ITEM2' })]);
    let store: BatchStore = makeBatchStore();
    const writes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const o = merged(mergeBatch(store, batch, lease1, T0 + i));
      store = o.store;
      writes.push(o.writes.length);
      if (i === 0) expect(o.result.accepted).toEqual(['c1', 'c2']);
      else expect(o.result).toEqual({ accepted: [], duplicates: ['c1', 'c2'], conflicts: [], rejected: [] });
    }
    expect(writes).toEqual([2, 0, 0, 0, 0]);
    expect(store.items.ITEM1?.version).toBe(1);
  });

  it('treats a repeat inside one batch as a duplicate', () => {
    const o = merged(mergeBatch(makeBatchStore(), batchOf(lease1, [rec(), rec()]), lease1, T0));
    expect(o.result.accepted).toEqual(['c1']);
    expect(o.result.duplicates).toEqual(['c1']);
  });

  it('detects a write based on an older record from another lease, stores it and keeps the server record', () => {
    const first = merged(mergeBatch(makeBatchStore(), batchOf(lease1, [rec()]), lease1, T0));
    // u2 takes over and rewrites ITEM1 having seen version 1.
    const second = merged(
      mergeBatch(
        first.store,
        batchOf(lease2, [rec({ client_record_id: 'c9', verified_qty: 8, base_version: 1 })]),
        lease2,
        T0 + 1,
      ),
    );
    expect(second.result.accepted).toEqual(['c9']);
    // u1 reclaims (token 3) and syncs an offline edit still based on version 1.
    const lease3: CurrentLease = { sessionId: 's3', holderId: 'u1', fencingToken: 3 };
    const third = merged(
      mergeBatch(
        second.store,
        batchOf(lease3, [rec({ client_record_id: 'c3', verified_qty: 12, base_version: 1 })]),
        lease3,
        T0 + 2,
      ),
    );
    expect(third.result.conflicts).toEqual([
      { client_record_id: 'c3', reason: 'stale_base_version', server_record: second.store.items.ITEM1 },
    ]);
    expect(third.conflicts).toHaveLength(1);
    expect(third.writes).toEqual([]);
    expect(third.store.items.ITEM1?.verifiedQty).toBe(8);
    // Resent, it is a duplicate, never merged.
    expect(
      merged(
        mergeBatch(third.store, batchOf(lease3, [rec({ client_record_id: 'c3', base_version: 1 })]), lease3, T0 + 3),
      ).result.duplicates,
    ).toEqual(['c3']);
  });

  it('accepts a write based on the current version from another lease', () => {
    const first = merged(mergeBatch(makeBatchStore(), batchOf(lease1, [rec()]), lease1, T0));
    const o = merged(
      mergeBatch(first.store, batchOf(lease2, [rec({ client_record_id: 'c2', base_version: 1 })]), lease2, T0 + 1),
    );
    expect(o.result.accepted).toEqual(['c2']);
    expect(o.store.items.ITEM1?.version).toBe(2);
  });

  it('rejects the whole batch without the current token, holder or session', () => {
    const b = batchOf(lease1, [rec()]);
    expect(mergeBatch(makeBatchStore(), b, null, T0)).toMatchObject({ rejected: 'stale_fencing_token' });
    expect(mergeBatch(makeBatchStore(), b, lease2, T0)).toMatchObject({ rejected: 'stale_fencing_token' });
    expect(mergeBatch(makeBatchStore(), { ...b, fencingToken: 0 }, lease1, T0)).toMatchObject({
      rejected: 'stale_fencing_token',
    });
    expect(mergeBatch(makeBatchStore(), { ...b, userId: 'u9' }, lease1, T0)).toMatchObject({
      rejected: 'stale_fencing_token',
    });
  });

  it('rejects bad records one by one and applies the rest', () => {
    const o = merged(
      mergeBatch(
        makeBatchStore(),
        batchOf(lease1, [
          rec({ client_record_id: 'bad-qty', verified_qty: -1 }),
          rec({ client_record_id: 'bad-time', updated_at: T0 - 1 }),
          rec({ client_record_id: 'bad-serial', serial_numbers: ['A', 'A'] }),
          rec({ client_record_id: 'good', item_code: 'ITEM2' }),
        ]),
        lease1,
        T0,
      ),
    );
    expect(o.result.rejected).toEqual([
      { client_record_id: 'bad-qty', code: 'invalid_quantity' },
      { client_record_id: 'bad-time', code: 'invalid_timestamps' },
      { client_record_id: 'bad-serial', code: 'duplicate_serial_in_record' },
    ]);
    expect(o.result.accepted).toEqual(['good']);
    expect(o.store.seen['bad-qty']).toBeUndefined();
  });

  it('under one lease, the newest edit of an item wins', () => {
    const a = merged(mergeBatch(makeBatchStore(), batchOf(lease1, [rec({ updated_at: T0 + 10 })]), lease1, T0));
    const b = merged(
      mergeBatch(a.store, batchOf(lease1, [rec({ client_record_id: 'old', updated_at: T0 + 5 })]), lease1, T0 + 1),
    );
    expect(b.result.rejected).toEqual([{ client_record_id: 'old', code: 'older_than_server' }]);
    const c = merged(
      mergeBatch(
        a.store,
        batchOf(lease1, [rec({ client_record_id: 'new', verified_qty: 3, updated_at: T0 + 20 })]),
        lease1,
        T0 + 1,
      ),
    );
    expect(c.store.items.ITEM1).toMatchObject({ verifiedQty: 3, version: 2 });
  });
});

describe('audit summary', () => {
  const o = merged(
    mergeBatch(
      makeBatchStore(),
      batchOf(lease1, [
        rec({ client_record_id: 'a', item_code: 'A', verified_qty: 4, serial_numbers: ['S1', 'S2'] }),
        rec({
          client_record_id: 'b',
          item_code: 'B',
          verified_qty: 1,
          damage_qty: 1,
          status: 'damaged',
          serial_numbers: ['S2'],
        }),
        rec({ client_record_id: 'x', item_code: 'X', verified_qty: 0, status: 'pending' }),
      ]),
      lease1,
      T0,
    ),
  );
  const records = Object.values(o.store.items);

  it('compares expected with scanned', () => {
    const s = auditSummary(
      [
        { item_code: 'A', expected_qty: 5 },
        { item_code: 'B', expected_qty: 2 },
        { item_code: 'C', expected_qty: 1 },
      ],
      records,
      { startedAt: T0, endedAt: T0 + 180_000, pausedMs: 60_000 },
    );
    expect(s.missing).toEqual(['C']);
    expect(s.unexpected).toEqual(['X']);
    expect(s.duplicate_serials).toEqual([{ serial: 'S2', item_codes: ['A', 'B'] }]);
    expect(s.variance).toEqual([
      { item_code: 'A', expected_qty: 5, scanned_qty: 4, variance: -1 },
      { item_code: 'B', expected_qty: 2, scanned_qty: 2, variance: 0 },
      { item_code: 'C', expected_qty: 1, scanned_qty: 0, variance: -1 },
      { item_code: 'X', expected_qty: 0, scanned_qty: 0, variance: 0 },
    ]);
    expect(s).toMatchObject({
      expected_total: 8,
      scanned_total: 6,
      total_items: 3,
      verified_items: 1,
      damage_items: 1,
      pending_items: 1,
    });
  });

  it('excludes paused time from duration and rate', () => {
    const s = auditStats(records, { startedAt: T0, endedAt: T0 + 180_000, pausedMs: 60_000 });
    expect(s.duration_seconds).toBe(120);
    expect(s.items_per_minute).toBe(1.5);
    expect(auditStats([], { startedAt: T0, endedAt: T0, pausedMs: 0 }).items_per_minute).toBe(0);
  });
});

describe('the memory of answered record ids', () => {
  it('is bounded: past SEEN_LIMIT the oldest ids are forgotten, the newest still answer as duplicates', () => {
    let store = makeBatchStore();
    const total = SEEN_LIMIT + 150;
    for (let start = 0; start < total; start += 100) {
      const records = Array.from({ length: Math.min(100, total - start) }, (_, i) =>
        rec({ client_record_id: `rec-${start + i}`, item_code: `ITEM-${(start + i) % 40}`, verified_qty: 1 }),
      );
      const out = mergeBatch(store, batchOf(lease1, records), lease1, T0);
      if ('rejected' in out) throw new Error(out.message);
      store = out.store;
    }
    expect(Object.keys(store.seen)).toHaveLength(SEEN_LIMIT);
    expect(store.seen['rec-0']).toBeUndefined();
    expect(store.seen[`rec-${total - 1}`]).toBe('accepted');
    const again = mergeBatch(
      store,
      batchOf(lease1, [rec({ client_record_id: `rec-${total - 1}`, verified_qty: 9 })]),
      lease1,
      T0 + 1000,
    );
    if ('rejected' in again) throw new Error(again.message);
    expect(again.result.duplicates).toEqual([`rec-${total - 1}`]);
  });
});
