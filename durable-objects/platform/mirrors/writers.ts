/**
 * How an outbox batch lands in Postgres: the event log row here, then each
 * capability's own writer (rooms, sessions, accounts, racks mirror.ts). Every
 * write is idempotent: the event row is keyed on event_id (on conflict do
 * nothing), and domain rows are upserts that only move forward in version.
 */
import type { Db } from '../../../drizzle/db.ts';
import { eventsTable, type AggregateType } from '../../../drizzle/schema.ts';
import type { OutboxRow } from '../outbox.ts';
import { type AccountMirrorPayload, writeAccount } from '../../accounts/mirror.ts';
import { type RackMirrorPayload, writeRack } from '../../racks/mirror.ts';
import { type RoomMirrorPayload, writeRoom } from '../../rooms/mirror.ts';
import { type SessionMirrorPayload, writeSessionKind } from '../../sessions/mirror.ts';
import { PermanentMirrorError, type Tx, checked } from './rows.ts';

export { PermanentMirrorError };

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
  if (row.kind.startsWith('session.')) return writeSessionKind(tx, row.kind, row.payload);
  if (row.kind.startsWith('rack.')) return writeRack(tx, row.payload as RackMirrorPayload);
  throw new PermanentMirrorError(`unknown outbox kind ${row.kind}`);
}

/**
 * SQLSTATEs that say the database is behind the code: undefined_table (42P01) and undefined_column (42703). A
 * deploy that runs ahead of its migration hits them; the migration fixes them, so the row must wait, not die.
 */
const SCHEMA_BEHIND_STATES: ReadonlySet<string> = new Set(['42P01', '42703']);

/** The SQLSTATE of a Postgres error (drizzle wraps it in `cause`), or null. */
export function sqlState(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code ?? (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === 'string' ? code : null;
}

/** True when the failure means the schema is behind the code (transient, but an operator must hear of it). */
export const isSchemaBehind = (err: unknown): boolean => SCHEMA_BEHIND_STATES.has(sqlState(err) ?? '');

/**
 * Postgres errors whose SQLSTATE says the data or the statement is wrong
 * (classes 22, 23, 42) are permanent, except a missing table or column
 * (SCHEMA_BEHIND_STATES), which a pending migration fixes; connection trouble is transient.
 */
export function isPermanent(err: unknown): boolean {
  if (err instanceof PermanentMirrorError) return true;
  const code = sqlState(err);
  if (code === null || SCHEMA_BEHIND_STATES.has(code)) return false;
  return /^(22|23|42)/.test(code);
}
