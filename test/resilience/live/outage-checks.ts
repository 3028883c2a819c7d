/**
 * What Postgres must hold after the outage test's traffic: one event per
 * acknowledged change in every domain, and the domain rows keyed by their
 * unique keys, each exactly once and nothing more.
 */
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Db } from '../../../drizzle/db.ts';
import { range, roomEvents } from '../../mirrors/queries.ts';
import type { RoomController } from './controller.ts';
import type { RackDriver, SessionDriver } from './traffic.ts';

/** Events the room's setup wrote before its controller started: room.created, create-timer, start. */
const ROOM_SETUP_EVENTS = 3;

interface Aggregate {
  type: 'room' | 'user-session' | 'rack';
  id: string;
  events: number;
}

export function expectedEventCount(
  rooms: Array<{ id: string; controller: RoomController }>,
  sessions: SessionDriver[],
  racks: RackDriver[],
): { total: number; aggregates: Aggregate[] } {
  const aggregates: Aggregate[] = [
    ...rooms.map((r) => ({ type: 'room' as const, id: r.id, events: ROOM_SETUP_EVENTS + r.controller.acked.length })),
    ...sessions.map((s) => ({ type: 'user-session' as const, id: s.userId, events: s.acked })),
    // Each audit: the claim, one event per batch that merged records, the completion.
    ...racks.map((r) => ({
      type: 'rack' as const,
      id: r.rackId,
      events: r.claims + r.completed.reduce((n, c) => n + c.batches + 1, 0),
    })),
  ];
  return { total: aggregates.reduce((n, a) => n + a.events, 0), aggregates };
}

export async function mirroredEventCount(db: Db, expected: { aggregates: Aggregate[] }): Promise<number> {
  let n = 0;
  for (const a of expected.aggregates) {
    const { rows } = await db.execute<{ n: string }>(
      sql`select count(*) as n from events where aggregate_type = ${a.type} and aggregate_id = ${a.id}`,
    );
    n += Number(rows[0]!.n);
  }
  return n;
}

/** The room's commands: one room.command and one room_actions row per version, every acknowledged version among them. */
export async function expectRoomMirrored(db: Db, roomId: string, controller: RoomController): Promise<void> {
  const s = await roomEvents(db, roomId);
  const acked = controller.acked.map((a) => a.version).sort((a, b) => a - b);
  const last = acked.at(-1) as number;
  expect(s.createdCount).toBe(1);
  expect(s.distinct).toBe(s.count);
  // Setup took versions created+1 (create-timer) and created+2 (start); the controller every one after.
  expect(s.commandVersions).toEqual(range((s.createdVersion as number) + 1, last));
  expect(acked).toEqual(range((s.createdVersion as number) + 3, last));
  expect(s.payloadVersions).toEqual(s.commandVersions);
  expect(s.actions).toBe(s.commandVersions.length);
  expect(s.distinctActions).toBe(s.actions);
  const { rows: timers } = await db.execute<{ label: string }>(
    sql`select label from timers where room_id = ${roomId} and deleted_at is null`,
  );
  const created = controller.acked.filter((a) => a.kind === 'create').map((a) => a.label as string);
  expect(timers.map((t) => t.label).sort()).toEqual(['Main', ...created].sort());
  const { rows: room } = await db.execute<{ version: number }>(sql`select version from rooms where id = ${roomId}`);
  expect(room[0]?.version).toBe(last);
}

/** One completed row per acknowledged stop, nothing else; one event per acknowledged command. */
export async function expectSessionsMirrored(db: Db, driver: SessionDriver): Promise<void> {
  const { rows } = await db.execute<{ id: string; status: string; label: string }>(
    sql`select id, status, label from sessions where user_id = ${driver.userId}`,
  );
  const want = driver.completed.map((c) => ({ id: c.id, status: 'completed', label: c.label }));
  expect([...rows].sort((a, b) => a.id.localeCompare(b.id))).toEqual(want.sort((a, b) => a.id.localeCompare(b.id)));
  const { rows: events } = await db.execute<{ version: number }>(
    sql`select version from events where aggregate_type = 'user-session' and aggregate_id = ${driver.userId}`,
  );
  const versions = events.map((e) => Number(e.version)).sort((a, b) => a - b);
  expect(versions).toEqual(driver.completed.flatMap((c) => c.versions).sort((a, b) => a - b));
}

/** One completed rack session per audit, and exactly the acknowledged scan records in each. */
export async function expectRacksMirrored(db: Db, driver: RackDriver): Promise<void> {
  const { rows } = await db.execute<{ id: string; status: string; total_items: number }>(
    sql`select id, status, total_items from rack_sessions where user_id = ${driver.userId}`,
  );
  const byId = (a: string[], b: string[]) => a[0]!.localeCompare(b[0]!);
  expect(rows.map((r) => [r.id, r.status]).sort(byId)).toEqual(
    driver.completed.map((c) => [c.sessionId, 'completed']).sort(byId),
  );
  for (const c of driver.completed) {
    const { rows: scans } = await db.execute<{ client_record_id: string }>(
      sql`select client_record_id from scan_records where rack_session_id = ${c.sessionId}`,
    );
    expect(scans.map((s) => s.client_record_id).sort()).toEqual([...c.records].sort());
  }
}
