/**
 * The Postgres schema through the production path: drizzle over the Neon
 * serverless Pool, through the local relay, to a real PostgreSQL
 * (TEST_DATABASE_URL, fresh database per run) or to PGlite.
 */
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import ws from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, createDb } from '../../drizzle/db.ts';
import {
  dailyStatsTable,
  eventsTable,
  roomActionsTable,
  scanRecordsTable,
  sessionsTable,
  timerRunsTable,
  usersTable,
} from '../../drizzle/schema.ts';
import { migrateDatabase } from '../../scripts/local/migrate.mjs';
import { type TestPostgres, startTestPostgres } from './helpers/postgres.ts';

let pg: TestPostgres;
let db: Db;
let firstMigration: { applied: number; total: number };

beforeAll(async () => {
  pg = await startTestPostgres();
  firstMigration = await migrateDatabase({ databaseUrl: pg.databaseUrl, relay: pg.relay });
  db = createDb({ databaseUrl: pg.databaseUrl, localRelay: pg.relay, webSocketConstructor: ws });
});

afterAll(async () => {
  await db?.$client.end();
  await pg?.stop();
});

/** The Postgres error code (SQLSTATE) of a failed query, however drizzle wraps it. */
async function sqlState(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    const e = err as { code?: string; cause?: { code?: string } };
    return e.code ?? e.cause?.code;
  }
  return undefined;
}

const at = (iso: string) => new Date(iso);

describe('migrations', () => {
  it('apply every migration once; a second run applies nothing', async () => {
    expect(firstMigration.applied).toBe(firstMigration.total);
    expect(firstMigration.total).toBeGreaterThanOrEqual(2);
    expect(await migrateDatabase({ databaseUrl: pg.databaseUrl, relay: pg.relay })).toEqual({
      applied: 0,
      total: firstMigration.total,
    });
  });

  it('create every table', async () => {
    const { rows } = await db.execute<{ tablename: string }>(
      sql`select tablename from pg_tables where schemaname = 'public' order by tablename`,
    );
    expect(rows.map((r) => r.tablename)).toEqual([
      'daily_stats',
      'events',
      'floors',
      'projects',
      'rack_audit_history',
      'rack_audits',
      'rack_items',
      'rack_sessions',
      'racks',
      'room_actions',
      'rooms',
      'scan_conflicts',
      'scan_records',
      'session_edits',
      'sessions',
      'tasks',
      'timer_runs',
      'timers',
      'users',
    ]);
  });
});

describe('events: append-only, idempotent on event_id', () => {
  const event = {
    eventId: '0192f0c8-0000-7000-8000-000000000001',
    aggregateType: 'room' as const,
    aggregateId: 'room-1',
    type: 'timer-started',
    version: 7,
    actorRole: 'owner',
    payload: { timerId: 't1' },
    occurredAt: at('2026-11-20T10:00:00.123Z'),
  };

  it('an outbox row drained three times inserts once', async () => {
    const inserted: number[] = [];
    for (let i = 0; i < 3; i++) {
      const rows = await db
        .insert(eventsTable)
        .values(event)
        .onConflictDoNothing({ target: eventsTable.eventId })
        .returning({ id: eventsTable.eventId });
      inserted.push(rows.length);
    }
    expect(inserted).toEqual([1, 0, 0]);
    const [row] = await db.select().from(eventsTable).where(eq(eventsTable.eventId, event.eventId));
    expect(row?.payload).toEqual({ timerId: 't1' });
    expect(row?.occurredAt.toISOString()).toBe('2026-11-20T10:00:00.123Z');
  });

  it('concurrent drains of the same batch still insert each event once', async () => {
    const batch = Array.from({ length: 20 }, (_, i) => ({
      ...event,
      eventId: `batch-${i}`,
      occurredAt: new Date(Date.UTC(2026, 10, 20, 11, 0, i)),
    }));
    await Promise.all(Array.from({ length: 4 }, () => db.insert(eventsTable).values(batch).onConflictDoNothing()));
    const [count] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(eventsTable)
      .where(sql`${eventsTable.eventId} like 'batch-%'`);
    expect(count?.n).toBe(20);
  });

  it('refuses updates and deletes', async () => {
    expect(
      await sqlState(db.update(eventsTable).set({ type: 'rewritten' }).where(eq(eventsTable.eventId, event.eventId))),
    ).toBe('23001');
    expect(await sqlState(db.delete(eventsTable).where(eq(eventsTable.eventId, event.eventId)))).toBe('23001');
  });

  it('reads an aggregate’s events in time order', async () => {
    const rows = await db
      .select({ id: eventsTable.eventId })
      .from(eventsTable)
      .where(and(eq(eventsTable.aggregateType, 'room'), eq(eventsTable.aggregateId, 'room-1')))
      .orderBy(eventsTable.occurredAt)
      .limit(3);
    expect(rows.map((r) => r.id)).toEqual([event.eventId, 'batch-0', 'batch-1']);
  });
});

describe('sessions: one row per entry id (manual entries may share a start; overlaps are flagged, not refused)', () => {
  const base = {
    id: 's-1',
    userId: 'u-1',
    label: 'Morning milking',
    status: 'completed' as const,
    startTime: at('2026-11-20T06:00:00Z'),
    endTime: at('2026-11-20T06:20:00Z'),
    durationMs: 20 * 60_000,
    elapsedMs: 18 * 60_000,
    pausedMs: 2 * 60_000,
    pauseSegments: [{ pausedAt: Date.parse('2026-11-20T06:05:00Z'), resumedAt: Date.parse('2026-11-20T06:07:00Z') }],
    version: 4,
    updatedAt: at('2026-11-20T06:20:00Z'),
  };

  it('two entries of the same user may start at the same instant (an overlap is flagged, not refused)', async () => {
    await db.insert(sessionsTable).values(base);
    await db.insert(sessionsTable).values({ ...base, id: 's-1-manual' });
    const rows = await db.select({ id: sessionsTable.id }).from(sessionsTable).where(eq(sessionsTable.userId, 'u-1'));
    expect(rows.map((r) => r.id).sort()).toEqual(['s-1', 's-1-manual']);
    await db.delete(sessionsTable).where(eq(sessionsTable.id, 's-1-manual'));
  });

  it('the mirror upsert on id is idempotent and never rolls back to an older version', async () => {
    const upsert = (row: typeof base) =>
      db
        .insert(sessionsTable)
        .values(row)
        .onConflictDoUpdate({
          target: sessionsTable.id,
          set: {
            status: sql`excluded.status`,
            endTime: sql`excluded.end_time`,
            elapsedMs: sql`excluded.elapsed_ms`,
            version: sql`excluded.version`,
            updatedAt: sql`excluded.updated_at`,
          },
          setWhere: sql`${sessionsTable.version} <= excluded.version`,
        });
    await upsert({ ...base, version: 4 });
    await upsert({ ...base, version: 4 }); // the same outbox row drained twice
    await upsert({ ...base, version: 3, elapsedMs: 1 }); // a late retry of an older state
    const rows = await db.select().from(sessionsTable).where(eq(sessionsTable.userId, 'u-1'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: 's-1', version: 4, elapsedMs: 18 * 60_000, pauseSegments: base.pauseSegments });
  });

  it('history reads newest first with a cursor', async () => {
    for (let d = 1; d <= 3; d++) {
      await db
        .insert(sessionsTable)
        .values({ ...base, id: `s-h${d}`, userId: 'u-2', startTime: new Date(Date.UTC(2026, 10, d, 6)), version: 1 });
    }
    const page = await db
      .select({ id: sessionsTable.id })
      .from(sessionsTable)
      .where(and(eq(sessionsTable.userId, 'u-2'), lt(sessionsTable.startTime, new Date(Date.UTC(2026, 10, 3, 6)))))
      .orderBy(desc(sessionsTable.startTime))
      .limit(10);
    expect(page.map((r) => r.id)).toEqual(['s-h2', 's-h1']);
  });
});

describe('the other idempotency keys', () => {
  it('timer_runs: one row per (room, timer, start)', async () => {
    const run = {
      id: 'run-1',
      roomId: 'r-1',
      timerId: 't-1',
      label: 'Keynote',
      mode: 'countdown' as const,
      plannedMs: 300_000,
      startedAt: at('2026-11-20T09:00:00Z'),
      status: 'running' as const,
      startedByRole: 'owner' as const,
      startedBy: 'u-1',
      version: 3,
      updatedAt: at('2026-11-20T09:00:00Z'),
    };
    await db.insert(timerRunsTable).values(run);
    expect(await sqlState(db.insert(timerRunsTable).values({ ...run, id: 'run-1b' }))).toBe('23505');
    await db
      .insert(timerRunsTable)
      .values({ ...run, status: 'finished', finishedAt: at('2026-11-20T09:05:00Z'), overtimeMs: 12_000, version: 5 })
      .onConflictDoUpdate({
        target: timerRunsTable.id,
        set: {
          status: sql`excluded.status`,
          finishedAt: sql`excluded.finished_at`,
          overtimeMs: sql`excluded.overtime_ms`,
          version: sql`excluded.version`,
        },
      });
    const [row] = await db
      .select()
      .from(timerRunsTable)
      .where(eq(timerRunsTable.roomId, 'r-1'))
      .orderBy(desc(timerRunsTable.startedAt));
    expect(row).toMatchObject({ id: 'run-1', status: 'finished', overtimeMs: 12_000, plannedMs: 300_000 });
  });

  it('room_actions: a replayed action is a no-op', async () => {
    const action = {
      id: 'act-1',
      roomId: 'r-1',
      version: 3,
      command: 'start',
      timerId: 't-1',
      actorRole: 'controller' as const,
      at: at('2026-11-20T09:00:00Z'),
    };
    await db.insert(roomActionsTable).values(action).onConflictDoNothing();
    await db.insert(roomActionsTable).values(action).onConflictDoNothing();
    const rows = await db
      .select()
      .from(roomActionsTable)
      .where(eq(roomActionsTable.roomId, 'r-1'))
      .orderBy(roomActionsTable.at);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'applied', payload: {}, actorId: null });
  });

  it('scan_records: a batch re-sent with the same client_record_ids inserts nothing new', async () => {
    const rec = (n: number) => ({
      rackSessionId: 'rs-1',
      clientRecordId: `c-${n}`,
      rackId: 'R1',
      userId: 'u-1',
      itemCode: `ITEM${n}`,
      verifiedQty: 10,
      serialNumbers: [`SN${n}`],
      status: 'finalized',
      clientCreatedAt: at('2026-11-20T08:00:00Z'),
      clientUpdatedAt: at('2026-11-20T08:00:00Z'),
    });
    const batch = [rec(1), rec(2), rec(3)];
    const first = await db
      .insert(scanRecordsTable)
      .values(batch)
      .onConflictDoNothing()
      .returning({ id: scanRecordsTable.clientRecordId });
    const again = await db
      .insert(scanRecordsTable)
      .values([...batch, rec(4)])
      .onConflictDoNothing()
      .returning({ id: scanRecordsTable.clientRecordId });
    expect(first.map((r) => r.id)).toEqual(['c-1', 'c-2', 'c-3']);
    expect(again.map((r) => r.id)).toEqual(['c-4']);
  });

  it('users: email is unique', async () => {
    const user = {
      id: 'u-1',
      email: 'admin@keeptime.test',
      name: 'Admin',
      role: 'admin' as const,
      createdAt: at('2026-11-01T00:00:00Z'),
      updatedAt: at('2026-11-01T00:00:00Z'),
    };
    await db
      .insert(usersTable)
      .values(user)
      .onConflictDoUpdate({ target: usersTable.id, set: { name: sql`excluded.name` } });
    await db
      .insert(usersTable)
      .values({ ...user, name: 'Admin Two' })
      .onConflictDoUpdate({ target: usersTable.id, set: { name: sql`excluded.name` } });
    expect(await sqlState(db.insert(usersTable).values({ ...user, id: 'u-other' }))).toBe('23505');
    expect((await db.select().from(usersTable)).map((u) => u.name)).toEqual(['Admin Two']);
  });

  it('daily_stats: one row per (date, scope, subject), rewritten with absolute values', async () => {
    const row = { date: '2026-11-20', scope: 'user' as const, subject: 'u-1', sessions: 1, activeMs: 1_080_000 };
    for (const sessions of [1, 2, 2]) {
      await db
        .insert(dailyStatsTable)
        .values({ ...row, sessions })
        .onConflictDoUpdate({
          target: [dailyStatsTable.date, dailyStatsTable.scope, dailyStatsTable.subject],
          set: { sessions: sql`excluded.sessions`, activeMs: sql`excluded.active_ms` },
        });
    }
    const rows = await db.select().from(dailyStatsTable);
    expect(rows).toEqual([
      expect.objectContaining({ date: '2026-11-20', scope: 'user', subject: 'u-1', sessions: 2, activeMs: 1_080_000 }),
    ]);
  });
});
