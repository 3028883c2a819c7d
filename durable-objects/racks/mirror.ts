/**
 * What a rack change sends to the mirrors: the outbox payload, the cache tags
 * it invalidates, and how it lands in Postgres (rack_sessions and
 * scan_records, idempotent upserts guarded by version).
 */
import { sql } from 'drizzle-orm';
import { rackSessionsTable, racksTable, scanConflictsTable, scanRecordsTable } from '../../drizzle/schema.ts';
import type { ItemRecord, StoredConflict } from '../../core/racks/batch.ts';
import type { ConflictEntry } from '../../core/racks/conflict.ts';
import type { OutboxRow } from '../platform/outbox.ts';
import { type Tx, checked, dateOrNull as d } from '../platform/mirrors/rows.ts';
import type { RackSessionRecord } from './view.ts';
import { isWarehousePayload, writeWarehouse } from './warehouse-mirror.ts';
import { isReviewPayload, writeReview } from './review-mirror.ts';

/** The payload of a rack outbox event ('rack.claimed', 'rack.paused', …, 'rack.batch', 'rack.completed'). */
export interface RackMirrorPayload {
  rackId: string;
  floorId: string;
  version: number;
  at: number;
  actor: { id: string | null; role: 'user' | 'admin' | 'system' };
  event: string;
  session: RackSessionRecord;
  records: ItemRecord[];
  conflicts: StoredConflict[];
  /** Why an admin force-released the lease (journaled). */
  reason?: string;
  /** With 'conflict-resolved': the conflict and its resolution (the written item is in `records`). */
  resolved?: ConflictEntry;
}

/** About this many characters of records and conflicts go in one `rack.batch` outbox row. */
export const BATCH_SLICE_CHARS = 256 * 1024;

/**
 * A batch's writes and conflicts cut into slices of about `budget` characters of JSON each (one row can be ~130 KB:
 * a conflict carries the refused record and the server's), in order; at least one slice. Each slice is mirrored on
 * its own: the rows it lands are keyed, so the order between slices does not matter.
 */
export function sliceBatch(
  records: ItemRecord[],
  conflicts: StoredConflict[],
  budget = BATCH_SLICE_CHARS,
): Array<{ records: ItemRecord[]; conflicts: StoredConflict[] }> {
  const slices: Array<{ records: ItemRecord[]; conflicts: StoredConflict[] }> = [];
  let current = { records: [] as ItemRecord[], conflicts: [] as StoredConflict[] };
  let size = 0;
  const add = (kind: 'records' | 'conflicts', v: ItemRecord | StoredConflict) => {
    const n = JSON.stringify(v).length;
    if (size > 0 && size + n > budget) {
      slices.push(current);
      current = { records: [], conflicts: [] };
      size = 0;
    }
    (current[kind] as Array<typeof v>).push(v);
    size += n;
  };
  for (const r of records) add('records', r);
  for (const c of conflicts) add('conflicts', c);
  slices.push(current);
  return slices;
}

/** Events that say nothing about the session's own row. */
const ITEM_EVENTS = new Set(['batch', 'conflict-resolved']);

/** Who holds a rack changes what the floor's available list shows. */
export function rackCacheTags(row: OutboxRow): string[] {
  if (
    !row.kind.startsWith('rack.') ||
    row.kind === 'rack.batch' ||
    row.kind === 'rack.conflict-resolved' ||
    row.kind === 'rack.warehouse' ||
    row.kind === 'rack.review'
  )
    return [];
  const p = row.payload as RackMirrorPayload;
  return [`racks:floor:${p.floorId}`, `rack-sessions:user:${p.session.user_id}`];
}

/** Upserts the session row (never rolled back by a late retry) and the batch's scan records, each row checked against its table. */
export async function writeRack(tx: Tx, p: RackMirrorPayload): Promise<void> {
  // The layout's rows ride the rack outbox kind (rack.warehouse), and so do reviews (rack.review).
  if (isWarehousePayload(p)) return writeWarehouse(tx, p);
  if (isReviewPayload(p)) return writeReview(tx, p);
  const s = p.session;
  const statusOfRack =
    p.event === 'claimed' || p.event === 'resumed' ? 'claimed' : p.event === 'paused' ? 'paused' : 'available';
  if (!ITEM_EVENTS.has(p.event)) {
    const values = {
      id: s.session_id,
      rackId: s.rack_id,
      floorId: s.floor,
      userId: s.user_id,
      fencingToken: s.fencing_token,
      // The table's status has no 'force-released': it is a release whose end reason says so.
      status: s.status === 'force-released' || s.status === 'handed-off' ? ('released' as const) : s.status,
      startedAt: new Date(s.started_at),
      // Heartbeats are not journaled one by one: the next journaled event carries the last one.
      lastHeartbeatAt: d(s.last_heartbeat_at ?? null),
      endedAt: d(s.ended_at),
      endReason: s.ended_at === null ? null : s.status,
      pausedMs: s.paused_ms,
      totalItems: s.summary?.total_items ?? 0,
      verifiedItems: s.summary?.verified_items ?? 0,
      damageItems: s.summary?.damage_items ?? 0,
      summary: (s.summary ?? null) as Record<string, unknown> | null,
      version: p.version,
      createdAt: new Date(s.started_at),
      updatedAt: new Date(p.at),
    };
    const { id: _i, createdAt: _c, ...set } = values;
    await tx
      .insert(rackSessionsTable)
      .values(checked('rackSessions', values))
      .onConflictDoUpdate({
        target: rackSessionsTable.id,
        set,
        setWhere: sql`${rackSessionsTable.version} <= excluded.version`,
      });
    const rack = {
      id: p.rackId,
      floorId: p.floorId,
      name: p.rackId,
      status: statusOfRack as 'available' | 'claimed' | 'paused',
      holderId: statusOfRack === 'available' ? null : s.user_id,
      version: p.version,
      updatedAt: new Date(p.at),
    };
    const { id: _r, ...rackSet } = rack;
    await tx
      .insert(racksTable)
      .values(checked('racks', rack))
      .onConflictDoUpdate({
        target: racksTable.id,
        set: rackSet,
        setWhere: sql`${racksTable.version} <= excluded.version`,
      });
  }
  for (const r of p.records) {
    const values = {
      rackSessionId: r.sessionId,
      clientRecordId: r.clientRecordId,
      rackId: p.rackId,
      userId: r.userId,
      itemCode: r.itemCode,
      verifiedQty: r.verifiedQty,
      damageQty: r.damageQty,
      serialNumbers: r.serialNumbers,
      status: r.status,
      version: r.version,
      clientCreatedAt: new Date(r.createdAt),
      clientUpdatedAt: new Date(r.updatedAt),
      syncedAt: new Date(r.syncedAt),
    };
    await tx
      .insert(scanRecordsTable)
      .values(checked('scanRecords', values))
      .onConflictDoNothing({ target: [scanRecordsTable.rackSessionId, scanRecordsTable.clientRecordId] });
  }
  for (const c of p.conflicts ?? [])
    await tx
      .insert(scanConflictsTable)
      .values(checked('scanConflicts', conflictRow(p.rackId, { ...c, resolution: null })))
      .onConflictDoNothing();
  if (p.resolved) {
    const row = checked('scanConflicts', conflictRow(p.rackId, p.resolved));
    const { rackId: _r, conflictId: _c, ...set } = row;
    // A resolution lands even if the row of the conflict itself is still queued behind it or was lost.
    await tx
      .insert(scanConflictsTable)
      .values(row)
      .onConflictDoUpdate({ target: [scanConflictsTable.rackId, scanConflictsTable.conflictId], set });
  }
}

function conflictRow(rackId: string, c: ConflictEntry): typeof scanConflictsTable.$inferInsert {
  const r = c.resolution;
  return {
    rackId,
    conflictId: c.clientRecordId,
    itemCode: c.itemCode,
    rackSessionId: c.sessionId,
    userId: c.userId,
    reason: c.reason,
    mine: c.record as unknown as Record<string, unknown>,
    theirs: c.serverRecord as unknown as Record<string, unknown>,
    status: r ? 'resolved' : 'open',
    choice: r?.choice ?? null,
    resolvedBy: r?.by ?? null,
    resolvedAt: r ? new Date(r.at) : null,
    resolved: r ? (r.record as unknown as Record<string, unknown>) : null,
    detectedAt: new Date(c.at),
  };
}
