/**
 * Builders shared by every test kind (workerd, Node, live): no runtime
 * imports, so the mirror and live suites can use them as well.
 */
import type { ScanRecordInput } from '../../core/racks/batch.ts';

let seq = 0;
/** A record id no other test (or earlier run) uses. */
export const recordId = (tag = 'rec'): string =>
  `${tag}-${Date.now().toString(36)}-${(seq++).toString(36)}-${crypto.randomUUID().slice(0, 6)}`;

/**
 * A valid scan record: 3 verified of ITEM1, created and updated now, unless `over` says otherwise (bad-input tests
 * pass invalid values through `over` too).
 */
export function scanRecord(over: Record<string, unknown> = {}): ScanRecordInput {
  const now = Date.now();
  return {
    client_record_id: recordId(),
    item_code: 'ITEM1',
    verified_qty: 3,
    damage_qty: 0,
    serial_numbers: [],
    status: 'verified',
    created_at: now,
    updated_at: now,
    ...over,
  } as ScanRecordInput;
}
