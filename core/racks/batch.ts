/**
 * Batch sync for one rack's audit as a pure merge:
 * `mergeBatch(store, batch, now) → { store, result, writes, conflicts } | { rejected }`.
 * The store keeps the latest record per item code (the audit in progress) and
 * every client_record_id it has answered, so a retried batch applies once.
 * A write is fenced: the batch must carry the current lease's token.
 */

// ── State ──────────────────────────────────────────────────────────────────
const SCAN_STATUSES = ['pending', 'verified', 'damaged', 'finalized'] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];

/** A record as the client sends it (wire names, epoch ms). */
export interface ScanRecordInput {
  client_record_id: string;
  item_code: string;
  verified_qty: number;
  damage_qty: number;
  serial_numbers: string[];
  status: ScanStatus;
  created_at: number;
  updated_at: number;
  /** The server version of this item the client last saw; absent for a first scan. */
  base_version?: number | undefined;
}

/** The server's record of one item: the latest accepted write. */
export interface ItemRecord {
  clientRecordId: string;
  itemCode: string;
  verifiedQty: number;
  damageQty: number;
  serialNumbers: string[];
  status: ScanStatus;
  /** Rises by one with every accepted write to this item. */
  version: number;
  sessionId: string;
  userId: string;
  fencingToken: number;
  createdAt: number;
  updatedAt: number;
  syncedAt: number;
}

/** A write refused because it was based on an older record written under another lease. Kept, never merged. */
export interface StoredConflict {
  clientRecordId: string;
  itemCode: string;
  reason: 'stale_base_version';
  record: ScanRecordInput;
  serverRecord: ItemRecord;
  /** Who sent the refused record, under which lease. */
  userId: string;
  sessionId: string;
  fencingToken: number;
  at: number;
}

export interface BatchStore {
  items: Record<string, ItemRecord>;
  /** Every client_record_id answered as accepted or conflict: a repeat is a duplicate. */
  seen: Record<string, 'accepted' | 'conflict'>;
}

export const makeBatchStore = (): BatchStore => ({ items: {}, seen: {} });

/**
 * How many answered client_record_ids of earlier audits a rack remembers (the ids of the audit in progress are all
 * kept): a device retries within minutes, and 10,000 ids is several full audits of a rack. Oldest go first.
 */
export const SEEN_LIMIT = 10_000;

/** At most this many distinct items in one audit: a batch that would add more is refused whole (409 `too_many_items`). */
export const MAX_AUDIT_ITEMS = 5_000;

/** At most this many open conflicts on a rack: a batch that would open more is refused whole (409 `too_many_conflicts`). */
export const MAX_OPEN_CONFLICTS = 500;

function pruneSeen(seen: BatchStore['seen']): BatchStore['seen'] {
  const ids = Object.keys(seen);
  if (ids.length <= SEEN_LIMIT) return seen;
  const kept: BatchStore['seen'] = {};
  for (const id of ids.slice(ids.length - SEEN_LIMIT)) kept[id] = seen[id] as 'accepted' | 'conflict';
  return kept;
}

// ── Batch ──────────────────────────────────────────────────────────────────
export interface Batch {
  sessionId: string;
  userId: string;
  fencingToken: number;
  records: ScanRecordInput[];
}

/** The lease in force when the batch arrives; null when the rack has none. */
export interface CurrentLease {
  sessionId: string;
  holderId: string;
  fencingToken: number;
}

type RecordRejectCode =
  | 'invalid_quantity'
  | 'invalid_timestamps'
  | 'duplicate_serial_in_record'
  | 'older_than_server'
  /** During a recount lease: the item was not sent back for recount (worker side, durable-objects/racks/rack.ts). */
  | 'not_in_recount';

export interface BatchResult {
  accepted: string[];
  duplicates: string[];
  conflicts: Array<{ client_record_id: string; reason: StoredConflict['reason']; server_record: ItemRecord }>;
  rejected: Array<{ client_record_id: string; code: RecordRejectCode }>;
}

export type BatchOutcome =
  | { store: BatchStore; result: BatchResult; writes: ItemRecord[]; conflicts: StoredConflict[] }
  | { rejected: 'stale_fencing_token'; message: string };

// ── Merge ──────────────────────────────────────────────────────────────────
/**
 * Merges `batch` into `store` at `now`. Only the whole-batch fence can fail
 * the batch; every other outcome is per record.
 */
export function mergeBatch(store: BatchStore, batch: Batch, lease: CurrentLease | null, now: number): BatchOutcome {
  if (
    !lease ||
    lease.fencingToken !== batch.fencingToken ||
    lease.sessionId !== batch.sessionId ||
    lease.holderId !== batch.userId
  ) {
    return { rejected: 'stale_fencing_token', message: 'The batch does not carry the current lease' };
  }
  const items = { ...store.items };
  const seen = { ...store.seen };
  const result: BatchResult = { accepted: [], duplicates: [], conflicts: [], rejected: [] };
  const writes: ItemRecord[] = [];
  const conflicts: StoredConflict[] = [];
  for (const r of batch.records) {
    const id = r.client_record_id;
    if (seen[id]) {
      result.duplicates.push(id);
      continue;
    }
    const invalid = validate(r);
    if (invalid) {
      result.rejected.push({ client_record_id: id, code: invalid });
      continue;
    }
    const existing = items[r.item_code];
    if (existing && existing.fencingToken !== batch.fencingToken && (r.base_version ?? 0) < existing.version) {
      const conflict: StoredConflict = {
        clientRecordId: id,
        itemCode: r.item_code,
        reason: 'stale_base_version',
        record: r,
        serverRecord: existing,
        userId: batch.userId,
        sessionId: batch.sessionId,
        fencingToken: batch.fencingToken,
        at: now,
      };
      conflicts.push(conflict);
      seen[id] = 'conflict';
      result.conflicts.push({ client_record_id: id, reason: conflict.reason, server_record: existing });
      continue;
    }
    // Under one lease the client's own edits arrive in any order: the newest edit wins.
    if (existing && existing.fencingToken === batch.fencingToken && r.updated_at < existing.updatedAt) {
      result.rejected.push({ client_record_id: id, code: 'older_than_server' });
      continue;
    }
    const written: ItemRecord = {
      clientRecordId: id,
      itemCode: r.item_code,
      verifiedQty: r.verified_qty,
      damageQty: r.damage_qty,
      serialNumbers: [...r.serial_numbers],
      status: r.status,
      version: (existing?.version ?? 0) + 1,
      sessionId: batch.sessionId,
      userId: batch.userId,
      fencingToken: batch.fencingToken,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      syncedAt: now,
    };
    items[r.item_code] = written;
    seen[id] = 'accepted';
    writes.push(written);
    result.accepted.push(id);
  }
  return { store: { items, seen: pruneSeen(seen) }, result, writes, conflicts };
}

function validate(r: ScanRecordInput): RecordRejectCode | null {
  const qty = (n: number) => Number.isSafeInteger(n) && n >= 0;
  if (!qty(r.verified_qty) || !qty(r.damage_qty)) return 'invalid_quantity';
  if (!(r.updated_at >= r.created_at)) return 'invalid_timestamps';
  if (new Set(r.serial_numbers).size !== r.serial_numbers.length) return 'duplicate_serial_in_record';
  return null;
}
