import { describe, expect, it } from 'vitest';
import {
  type BatchOutcome,
  type BatchStore,
  type CurrentLease,
  type ScanRecordInput,
  makeBatchStore,
  mergeBatch,
} from './batch.ts';
import {
  type ConflictBook,
  type ResolveOutcome,
  addConflicts,
  chosenValues,
  openConflicts,
  resolveConflict,
} from './conflict.ts';

const T0 = 1_700_000_000_000;
const leaseA: CurrentLease = { sessionId: 'R:1', holderId: 'ann', fencingToken: 1 };
const leaseB: CurrentLease = { sessionId: 'R:2', holderId: 'bob', fencingToken: 2 };

const rec = (over: Partial<ScanRecordInput> = {}): ScanRecordInput => ({
  client_record_id: 'c1',
  item_code: 'ITEM1',
  verified_qty: 5,
  damage_qty: 0,
  serial_numbers: [],
  status: 'verified',
  created_at: T0,
  updated_at: T0,
  ...over,
});

function ok(o: BatchOutcome) {
  if ('rejected' in o) throw new Error(o.rejected);
  return o;
}
function resolved(o: ResolveOutcome) {
  if ('rejected' in o) throw new Error(o.rejected);
  return o;
}

/** Ann writes ITEM1 under lease 1, Bob then writes it under lease 2 without having seen it: a conflict. */
function withConflict(
  mine: Partial<ScanRecordInput>,
  theirs: Partial<ScanRecordInput>,
): { store: BatchStore; book: ConflictBook } {
  let store = ok(
    mergeBatch(
      makeBatchStore(),
      { sessionId: 'R:1', userId: 'ann', fencingToken: 1, records: [rec({ client_record_id: 'a1', ...theirs })] },
      leaseA,
      T0,
    ),
  ).store;
  const o = ok(
    mergeBatch(
      store,
      { sessionId: 'R:2', userId: 'bob', fencingToken: 2, records: [rec({ client_record_id: 'b1', ...mine })] },
      leaseB,
      T0 + 10,
    ),
  );
  store = o.store;
  expect(o.result.conflicts.map((c) => c.client_record_id)).toEqual(['b1']);
  return { store, book: addConflicts({}, o.conflicts) };
}

const ctx = { userId: 'bob', sessionId: 'R:2', fencingToken: 2, live: true };

describe('conflict book', () => {
  it('lists open conflicts and keeps the first copy of a repeated one', () => {
    const { store, book } = withConflict({}, {});
    expect(openConflicts(book).map((c) => c.clientRecordId)).toEqual(['b1']);
    const again = addConflicts(book, [{ ...book.b1!, at: T0 + 99 }]);
    expect(again.b1?.at).toBe(T0 + 10);
    const r = resolved(resolveConflict(book, store.items, 'b1', 'theirs', ctx, T0 + 20));
    expect(openConflicts(r.book)).toEqual([]);
  });

  it('mine writes the refused values and bumps the item version', () => {
    const { store, book } = withConflict({ verified_qty: 9 }, { verified_qty: 4 });
    const r = resolved(resolveConflict(book, store.items, 'b1', 'mine', ctx, T0 + 20));
    expect(r.write).toMatchObject({
      itemCode: 'ITEM1',
      verifiedQty: 9,
      version: 2,
      userId: 'bob',
      sessionId: 'R:2',
      clientRecordId: 'b1',
    });
    expect(r.items.ITEM1).toEqual(r.write);
    expect(r.entry.resolution).toMatchObject({ choice: 'mine', by: 'bob', at: T0 + 20 });
  });

  it('theirs keeps the server values, still as a new version', () => {
    const { store, book } = withConflict({ verified_qty: 9 }, { verified_qty: 4 });
    const r = resolved(resolveConflict(book, store.items, 'b1', 'theirs', ctx, T0 + 20));
    expect(r.write).toMatchObject({ verifiedQty: 4, version: 2 });
  });

  it('merged takes the union of serials and the larger counts, never fewer units than serials', () => {
    const { store, book } = withConflict(
      { verified_qty: 2, serial_numbers: ['S1', 'S2'] },
      { verified_qty: 2, serial_numbers: ['S2', 'S3'] },
    );
    const r = resolved(resolveConflict(book, store.items, 'b1', 'merged', ctx, T0 + 20));
    expect(r.write).toMatchObject({
      serialNumbers: ['S2', 'S3', 'S1'],
      verifiedQty: 3,
      damageQty: 0,
      status: 'verified',
    });
  });

  it('merged is damaged when either side saw damage', () => {
    expect(
      chosenValues('merged', rec({ damage_qty: 1, status: 'damaged' }), { ...resolvedTheirs(), status: 'finalized' }),
    ).toMatchObject({ damageQty: 1, status: 'damaged' });
    expect(
      chosenValues('merged', rec({ status: 'pending' }), { ...resolvedTheirs(), status: 'finalized' }),
    ).toMatchObject({ status: 'finalized' });
  });

  it('resolving twice is refused; an unknown id is not found', () => {
    const { store, book } = withConflict({}, {});
    const r = resolved(resolveConflict(book, store.items, 'b1', 'mine', ctx, T0 + 20));
    expect(resolveConflict(r.book, r.items, 'b1', 'theirs', ctx, T0 + 30)).toMatchObject({
      rejected: 'conflict_resolved',
    });
    expect(resolveConflict(book, store.items, 'nope', 'mine', ctx, T0)).toMatchObject({
      rejected: 'conflict_not_found',
    });
    expect(resolveConflict(book, store.items, '__proto__', 'mine', ctx, T0)).toMatchObject({
      rejected: 'conflict_not_found',
    });
  });

  it('after the audit was reset, theirs is the record the conflict met and the write stays out of the audit unless one is live', () => {
    const { store, book } = withConflict({ verified_qty: 9 }, { verified_qty: 4 });
    const idle = resolved(resolveConflict(book, {}, 'b1', 'theirs', { ...ctx, live: false }, T0 + 20));
    expect(idle.write).toMatchObject({ verifiedQty: 4, version: 2 });
    expect(idle.items).toEqual({});
    const live = resolved(resolveConflict(book, {}, 'b1', 'mine', ctx, T0 + 20));
    expect(live.items.ITEM1?.verifiedQty).toBe(9);
    expect(store.items.ITEM1?.verifiedQty).toBe(4);
  });

  it('a later write based on the pre-resolution version conflicts again', () => {
    const { store, book } = withConflict({ verified_qty: 9 }, { verified_qty: 4 });
    const r = resolved(
      resolveConflict(
        book,
        store.items,
        'b1',
        'mine',
        { ...ctx, userId: 'admin', sessionId: 'R:2', fencingToken: 2 },
        T0 + 20,
      ),
    );
    // Ann, holding lease 3 now, sends an edit based on version 1.
    const leaseC: CurrentLease = { sessionId: 'R:3', holderId: 'ann', fencingToken: 3 };
    const o = ok(
      mergeBatch(
        { ...store, items: r.items },
        {
          sessionId: 'R:3',
          userId: 'ann',
          fencingToken: 3,
          records: [rec({ client_record_id: 'a2', base_version: 1 })],
        },
        leaseC,
        T0 + 40,
      ),
    );
    expect(o.result.conflicts).toHaveLength(1);
    expect(o.result.conflicts[0]?.server_record.version).toBe(2);
  });
});

function resolvedTheirs() {
  return {
    clientRecordId: 'x',
    itemCode: 'ITEM1',
    verifiedQty: 1,
    damageQty: 0,
    serialNumbers: [],
    status: 'verified' as const,
    version: 1,
    sessionId: 'R:1',
    userId: 'ann',
    fencingToken: 1,
    createdAt: T0,
    updatedAt: T0,
    syncedAt: T0,
  };
}
