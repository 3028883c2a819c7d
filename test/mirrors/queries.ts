/** What the mirrors wrote for a room, read straight from Postgres. */
import { sql } from 'drizzle-orm';
import type { Db } from '../../drizzle/db.ts';

export interface RoomEventsSummary {
  count: number;
  distinct: number;
  /** Versions of room.command events, ascending. */
  commandVersions: number[];
  /** payload->>'version' of room.command events, ascending (must match the column). */
  payloadVersions: number[];
  createdCount: number;
  createdVersion: number | null;
  otherTypes: string[];
  actions: number;
  distinctActions: number;
}

export async function roomEvents(db: Db, roomId: string): Promise<RoomEventsSummary> {
  const { rows } = await db.execute<{ event_id: string; type: string; version: number | null; pv: string | null }>(
    sql`select event_id, type, version, payload->>'version' as pv from events where aggregate_type = 'room' and aggregate_id = ${roomId}`,
  );
  const commands = rows.filter((r) => r.type === 'room.command');
  const created = rows.filter((r) => r.type === 'room.created');
  const actions = await db.execute<{ n: string; d: string }>(
    sql`select count(*) as n, count(distinct id) as d from room_actions where room_id = ${roomId}`,
  );
  return {
    count: rows.length,
    distinct: new Set(rows.map((r) => r.event_id)).size,
    commandVersions: commands.map((r) => Number(r.version)).sort((a, b) => a - b),
    payloadVersions: commands.map((r) => Number(r.pv)).sort((a, b) => a - b),
    createdCount: created.length,
    createdVersion: created[0]?.version ?? null,
    otherTypes: rows.filter((r) => r.type !== 'room.command' && r.type !== 'room.created').map((r) => r.type),
    actions: Number(actions.rows[0]!.n),
    distinctActions: Number(actions.rows[0]!.d),
  };
}

export async function countEvents(db: Db, roomId: string): Promise<number> {
  const { rows } = await db.execute<{ n: string }>(
    sql`select count(*) as n from events where aggregate_type = 'room' and aggregate_id = ${roomId}`,
  );
  return Number(rows[0]!.n);
}

/** [from, from+1, …, to]. */
export const range = (from: number, to: number) =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
