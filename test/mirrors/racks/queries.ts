/** What the mirrors wrote for a rack, read straight from Postgres (bigints as numbers). */
import { sql } from 'drizzle-orm';
import type { Db } from '../../../drizzle/db.ts';

export type RackSessionRow = {
  id: string;
  rack_id: string;
  floor_id: string;
  user_id: string;
  fencing_token: number;
  status: string;
  end_reason: string | null;
  started_at: Date;
  ended_at: Date | null;
  paused_ms: number;
  total_items: number;
  verified_items: number;
  damage_items: number;
  summary: Record<string, unknown> | null;
};

/** The rack's sessions, by fencing token. */
export async function rackSessionRows(db: Db, rackId: string): Promise<RackSessionRow[]> {
  const { rows } = await db.execute<RackSessionRow>(
    sql`select id, rack_id, floor_id, user_id, fencing_token, status, end_reason, started_at, ended_at, paused_ms, total_items, verified_items, damage_items, summary
        from rack_sessions where rack_id = ${rackId} order by fencing_token`,
  );
  return rows.map((r) => ({
    ...r,
    fencing_token: Number(r.fencing_token),
    paused_ms: Number(r.paused_ms),
    started_at: new Date(r.started_at),
    ended_at: r.ended_at === null ? null : new Date(r.ended_at),
  }));
}

export type ScanRecordRow = {
  rack_session_id: string;
  client_record_id: string;
  rack_id: string;
  user_id: string;
  item_code: string;
  verified_qty: number;
  damage_qty: number;
  serial_numbers: string[];
  status: string;
  version: number;
};

/** The rack's scan records, by client_record_id (code point order). */
export async function scanRecordRows(db: Db, rackId: string): Promise<ScanRecordRow[]> {
  const { rows } = await db.execute<ScanRecordRow>(
    sql`select rack_session_id, client_record_id, rack_id, user_id, item_code, verified_qty, damage_qty, serial_numbers, status, version
        from scan_records where rack_id = ${rackId}`,
  );
  // Sorted here, by code point: a database collation may order ids differently.
  return rows.sort((x, y) =>
    x.client_record_id < y.client_record_id ? -1 : x.client_record_id > y.client_record_id ? 1 : 0,
  );
}

/** The rack's mirrored events: how many, how many distinct event ids, and how many of each type. */
export async function rackEvents(
  db: Db,
  rackId: string,
): Promise<{ count: number; distinct: number; byType: Record<string, number> }> {
  const { rows } = await db.execute<{ event_id: string; type: string }>(
    sql`select event_id, type from events where aggregate_type = 'rack' and aggregate_id = ${rackId}`,
  );
  const byType: Record<string, number> = {};
  for (const r of rows) byType[r.type] = (byType[r.type] ?? 0) + 1;
  return { count: rows.length, distinct: new Set(rows.map((r) => r.event_id)).size, byType };
}
