import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BatchStore, type CurrentLease, type ScanRecordInput, makeBatchStore, mergeBatch } from './batch.ts';

const PROPERTY_TIMEOUT = 30_000;
const T0 = 1_700_000_000_000;

/** A record from a small pool of ids and items, so repeats and same-item writes are common. */
const rec: fc.Arbitrary<ScanRecordInput> = fc.record({
  client_record_id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'),
  item_code: fc.constantFrom('X', 'Y', 'Z'),
  verified_qty: fc.integer({ min: 0, max: 5 }),
  damage_qty: fc.integer({ min: 0, max: 2 }),
  serial_numbers: fc.constant([]),
  status: fc.constantFrom('pending', 'verified'),
  created_at: fc.constant(T0),
  updated_at: fc.integer({ min: T0, max: T0 + 100 }),
  base_version: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
});
/** Each step: which lease (token 1..3) sends which batch. */
const steps = fc.array(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.array(rec, { maxLength: 6 })), {
  minLength: 1,
  maxLength: 30,
});

describe('batch merge properties', () => {
  it(
    'a client_record_id is applied at most once; a stale cross-lease write never overwrites; versions only rise',
    () => {
      fc.assert(
        fc.property(steps, (list) => {
          let store: BatchStore = makeBatchStore();
          const applied = new Set<string>();
          for (const [token, records] of list) {
            const lease: CurrentLease = { sessionId: `s${token}`, holderId: `u${token}`, fencingToken: token };
            const before = store;
            const out = mergeBatch(
              store,
              { sessionId: lease.sessionId, userId: lease.holderId, fencingToken: token, records },
              lease,
              T0 + 1000,
            );
            if ('rejected' in out) throw new Error('the current lease was refused');
            const { accepted, duplicates, conflicts, rejected } = out.result;
            expect(accepted.length + duplicates.length + conflicts.length + rejected.length).toBe(records.length);
            for (const id of accepted) {
              expect(applied.has(id)).toBe(false);
              applied.add(id);
            }
            // Writes are in batch order: each is checked against the item as it stood just before it.
            const items = { ...before.items };
            for (const w of out.writes) {
              const prev = items[w.itemCode];
              items[w.itemCode] = w;
              expect(w.version).toBeGreaterThan(prev?.version ?? 0);
              // A rejected id may be resent fixed within the batch: the written one is the first with this id and item.
              const r = records.find(
                (x) => x.client_record_id === w.clientRecordId && x.item_code === w.itemCode,
              ) as ScanRecordInput;
              if (prev && prev.fencingToken !== token) expect(r.base_version ?? 0).toBeGreaterThanOrEqual(prev.version);
            }
            store = out.store;
          }
        }),
        { numRuns: 300 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});
