/**
 * How each outbox event kind lands in Postgres. Every write is idempotent: the
 * event row is keyed on event_id (on conflict do nothing), and domain rows are
 * upserts that only move forward in version.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../../drizzle/db.ts';
import {
  eventsTable,
  roomActionsTable,
  roomsTable,
  sessionsTable,
  timerRunsTable,
  timersTable,
  usersTable,
  type AggregateType,
  type PauseSegment,
} from '../../../drizzle/schema.ts';
import type { RoomInfo } from '../../../core/rooms/transition.ts';
import type { RunRecord } from '../../../core/rooms/runs.ts';
import type { Timer } from '../../../core/rooms/timer.ts';
import type { OutboxRow } from '../outbox.ts';
import { insertIssues, insertSchemas } from '../../../drizzle/validators.ts';
import { type RackMirrorPayload, writeRack } from '../../racks/mirror.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** The payload of a room outbox event. */
export interface RoomMirrorPayload {
  roomId: string;
  version: number;
  at: number;
  actor: { id: string | null; role: 'owner' | 'controller' | 'system' };
  /** The command (or 'alarm' / 'created' / 'deleted'), for the action journal and the event log. */
  command: { type: string; timerId?: string; [k: string]: unknown };
  room: RoomInfo | null;
  timers: Timer[];
  deletedTimerIds: string[];
  runs: RunRecord[];
}

export interface AccountMirrorPayload {
  user: { id: string; email: string; name: string; role: 'admin' | 'member'; createdAt: number };
  at: number;
}

/** The payload of a live-session outbox event ('session.started' | 'session.paused' | 'session.resumed' | 'session.stopped'). */
export interface SessionMirrorPayload {
  userId: string;
  version: number;
  at: number;
  actor: { id: string | null; role: 'user' | 'system' };
  session: {
    id: string;
    label: string | null;
    status: 'running' | 'paused' | 'completed';
    startTime: number;
    endTime: number | null;
    durationMs: number | null;
    elapsedMs: number;
    pausedMs: number;
    pauseSegments: PauseSegment[];
    autoStopped: boolean;
  };
}

const d = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms));

function eventRow(row: OutboxRow): typeof eventsTable.$inferInsert {
  const p = row.payload as Partial<RoomMirrorPayload> & Partial<AccountMirrorPayload> & Partial<SessionMirrorPayload>;
  const [aggregateType, aggregateId] = aggregateOf(row);
  return {
    eventId: row.eventId,
    aggregateType,
    aggregateId,
    type: row.kind,
    version: p.version ?? null,
    actorId: p.actor?.id ?? null,
    actorRole: p.actor?.role ?? null,
    payload: (row.payload ?? {}) as Record<string, unknown>,
    occurredAt: new Date(p.at ?? row.createdAt),
  };
}

function aggregateOf(row: OutboxRow): [AggregateType, string] {
  const p = row.payload as Partial<RoomMirrorPayload> & Partial<AccountMirrorPayload> & Partial<SessionMirrorPayload>;
  if (row.kind.startsWith('room.')) return ['room', p.roomId ?? 'unknown'];
  if (row.kind.startsWith('session.')) return ['user-session', p.userId ?? 'unknown'];
  if (row.kind.startsWith('account.')) return ['account', p.user?.id ?? 'unknown'];
  if (row.kind.startsWith('rack.')) return ['rack', (row.payload as Partial<RackMirrorPayload>).rackId ?? 'unknown'];
  return ['room', 'unknown'];
}

/** Writes a batch of outbox rows in one transaction. Throws on any failure (the caller retries or isolates). */
export async function writeBatch(db: Db, rows: OutboxRow[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .insert(eventsTable)
      .values(rows.map((r) => checked('events', eventRow(r))))
      .onConflictDoNothing({ target: eventsTable.eventId });
    for (const row of rows) await writeDomain(tx, row);
  });
}

async function writeDomain(tx: Tx, row: OutboxRow): Promise<void> {
  if (row.kind.startsWith('room.')) return writeRoom(tx, row.eventId, row.kind, row.payload as RoomMirrorPayload);
  if (row.kind === 'account.upsert') return writeAccount(tx, row.payload as AccountMirrorPayload);
  if (row.kind.startsWith('session.')) return writeSession(tx, row.payload as SessionMirrorPayload);
  if (row.kind.startsWith('rack.')) return writeRack(tx, row.payload as RackMirrorPayload);
  throw new PermanentMirrorError(`unknown outbox kind ${row.kind}`);
}

async function writeAccount(tx: Tx, p: AccountMirrorPayload) {
  const values = {
    id: p.user.id,
    email: p.user.email,
    name: p.user.name,
    role: p.user.role,
    createdAt: new Date(p.user.createdAt),
    updatedAt: new Date(p.at),
  };
  await tx
    .insert(usersTable)
    .values(checked('users', values))
    .onConflictDoUpdate({
      target: usersTable.id,
      set: { name: values.name, role: values.role, updatedAt: values.updatedAt },
      setWhere: sql`${usersTable.updatedAt} <= excluded.updated_at`,
    });
}

/** One row per session, keyed on (user_id, start_time); a late retry never rolls it back (version guard). */
async function writeSession(tx: Tx, p: SessionMirrorPayload) {
  const s = p.session;
  const values = {
    id: s.id,
    userId: p.userId,
    label: s.label,
    status: s.status,
    startTime: new Date(s.startTime),
    endTime: d(s.endTime),
    durationMs: s.durationMs,
    elapsedMs: s.elapsedMs,
    pausedMs: s.pausedMs,
    pauseSegments: s.pauseSegments,
    autoStopped: s.autoStopped,
    version: p.version,
    createdAt: new Date(s.startTime),
    updatedAt: new Date(p.at),
  };
  const { id: _i, userId: _u, startTime: _s, createdAt: _c, ...set } = values;
  await tx
    .insert(sessionsTable)
    .values(checked('sessions', values))
    .onConflictDoUpdate({
      target: [sessionsTable.userId, sessionsTable.startTime],
      set,
      setWhere: sql`${sessionsTable.version} <= excluded.version`,
    });
}

async function writeRoom(tx: Tx, eventId: string, kind: string, p: RoomMirrorPayload) {
  if (p.room) {
    const r = p.room;
    const values = {
      id: r.id,
      ownerId: r.ownerId,
      name: r.name,
      warnMs: r.warnMs,
      dangerMs: r.dangerMs,
      activeTimerId: r.activeTimerId,
      version: p.version,
      createdAt: new Date(r.createdAt),
      updatedAt: new Date(p.at),
      deletedAt: kind === 'room.deleted' ? new Date(p.at) : null,
    };
    const { id: _id, createdAt: _c, ...set } = values;
    await tx
      .insert(roomsTable)
      .values(checked('rooms', values))
      .onConflictDoUpdate({ target: roomsTable.id, set, setWhere: sql`${roomsTable.version} <= excluded.version` });
  }
  for (const t of p.timers) {
    const values = {
      roomId: p.roomId,
      id: t.id,
      label: t.label,
      mode: t.mode,
      durationMs: t.durationMs,
      targetTime: d(t.targetTime),
      trigger: t.trigger,
      startAt: d(t.startAt),
      warnMs: t.warnMs,
      dangerMs: t.dangerMs,
      position: t.order,
      version: p.version,
      createdAt: new Date(p.at),
      updatedAt: new Date(p.at),
      deletedAt: null,
    };
    const { roomId: _r, id: _i, createdAt: _c, ...set } = values;
    await tx
      .insert(timersTable)
      .values(checked('timers', values))
      .onConflictDoUpdate({
        target: [timersTable.roomId, timersTable.id],
        set,
        setWhere: sql`${timersTable.version} <= excluded.version`,
      });
  }
  for (const id of p.deletedTimerIds) {
    await tx
      .update(timersTable)
      .set({ deletedAt: new Date(p.at), version: p.version })
      .where(
        sql`${timersTable.roomId} = ${p.roomId} and ${timersTable.id} = ${id} and ${timersTable.version} <= ${p.version}`,
      );
  }
  for (const run of p.runs) {
    const values = {
      id: run.id,
      roomId: run.roomId,
      timerId: run.timerId,
      label: run.label,
      mode: run.mode,
      plannedMs: run.plannedMs,
      startedAt: new Date(run.startedAt),
      finishedAt: d(run.finishedAt),
      endedAt: d(run.endedAt),
      status: run.status,
      endReason: run.endReason,
      elapsedMs: run.elapsedMs,
      pausedMs: run.pausedMs,
      overtimeMs: run.overtimeMs,
      startedBy: run.startedBy,
      startedByRole: run.startedByRole,
      endedBy: run.endedBy,
      endedByRole: run.endedByRole,
      version: run.version,
      updatedAt: new Date(run.updatedAt),
    };
    const { id: _i, startedAt: _s, startedBy: _b, startedByRole: _br, roomId: _r, timerId: _t, ...set } = values;
    await tx
      .insert(timerRunsTable)
      .values(checked('timerRuns', values))
      .onConflictDoUpdate({
        target: timerRunsTable.id,
        set,
        setWhere: sql`${timerRunsTable.version} <= excluded.version`,
      });
  }
  if (kind === 'room.command') {
    const { type, timerId, ...rest } = p.command;
    await tx
      .insert(roomActionsTable)
      .values(
        checked('roomActions', {
          id: eventId,
          roomId: p.roomId,
          version: p.version,
          command: type,
          timerId: timerId ?? null,
          payload: rest,
          actorId: p.actor.id,
          actorRole: p.actor.role,
          at: new Date(p.at),
        }),
      )
      .onConflictDoNothing({ target: roomActionsTable.id });
  }
}

/** An error that retrying cannot fix: the row goes straight to the dead letters. */
export class PermanentMirrorError extends Error {}

/** Validates a row against its table's insert schema; a row that can never be written is a permanent error. */
function checked<T>(table: keyof typeof insertSchemas, values: T): T {
  const issues = insertIssues(insertSchemas[table], values);
  if (issues) throw new PermanentMirrorError(`invalid ${table} row: ${issues}`);
  return values;
}

/**
 * Postgres errors whose SQLSTATE says the data or the statement is wrong
 * (classes 22, 23, 42) are permanent; connection trouble is transient.
 */
export function isPermanent(err: unknown): boolean {
  if (err instanceof PermanentMirrorError) return true;
  const code = (err as { code?: unknown } | null)?.code ?? (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === 'string' && /^(22|23|42)/.test(code);
}
