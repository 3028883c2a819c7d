/**
 * Floor notes: the rack's webhook events on their way to its Floor, which owns the floor's endpoints. A note is
 * appended in the same transaction as the change (beside the mirror outbox row) and flushed by the rack's alarm to
 * `Floor.rackWebhookEvents`, so delivery never waits on Postgres. Each note keeps one id for life (the rack id and
 * the note's sequence number), and the Floor queues an event id only once per endpoint, so a retried flush is safe.
 */
import type { RackMirrorPayload } from './mirror.ts';
import { LazyTables } from '../platform/lazy-tables.ts';

/** One event for the floor's endpoints. */
export interface FloorNote {
  id: string;
  type: string;
  data: Record<string, unknown>;
  at: number;
}

/** Notes sent in one RPC. */
export const NOTES_PER_FLUSH = 50;
/** Notes kept while the Floor cannot be reached; past it the oldest are dropped. */
export const NOTES_KEPT = 2_000;
/** Conflicts named in one conflict.opened event (the count is always whole). */
const CONFLICTS_NAMED = 50;

/** Waits after the 1st, 2nd, … failed flush, capped at the last. */
const FLUSH_BACKOFF_MS = [1_000, 5_000, 30_000, 120_000, 600_000];

export function flushDelay(failures: number): number {
  return FLUSH_BACKOFF_MS[Math.min(FLUSH_BACKOFF_MS.length, Math.max(1, failures)) - 1] as number;
}

/**
 * The webhook events one rack outbox row stands for (pure): a claim, a lost lease (expired or force-released), a
 * completed audit, the conflicts a batch opened, a resolved conflict. Other rows stand for none.
 */
export function notesFor(kind: string, p: RackMirrorPayload): Array<{ type: string; data: Record<string, unknown> }> {
  const base = {
    rackId: p.rackId,
    floor: p.floorId,
    sessionId: p.session.session_id,
    holderId: p.session.user_id,
    holderName: p.session.user_name ?? null,
    fencingToken: p.session.fencing_token,
    at: p.at,
  };
  switch (kind) {
    case 'rack.claimed':
      return [{ type: 'rack.claimed', data: { ...base, expiresAt: p.session.expires_at } }];
    case 'rack.expired':
      return [{ type: 'rack.lease_lost', data: { ...base, reason: 'expired' } }];
    case 'rack.force-released':
      return [
        {
          type: 'rack.lease_lost',
          data: { ...base, reason: 'force-released', note: p.reason ?? null, by: p.actor.id },
        },
      ];
    case 'rack.completed': {
      const s = p.session.summary;
      return [
        {
          type: 'audit.completed',
          data: {
            ...base,
            summary: s
              ? {
                  expected: s.expected_total,
                  scanned: s.scanned_total,
                  verified: s.verified_items,
                  damaged: s.damage_items,
                  missing: s.missing.length,
                  unexpected: s.unexpected.length,
                  duplicateSerials: s.duplicate_serials.length,
                  durationSeconds: s.duration_seconds,
                }
              : null,
          },
        },
      ];
    }
    case 'rack.batch':
      if (p.conflicts.length === 0) return [];
      return [
        {
          type: 'conflict.opened',
          data: {
            ...base,
            count: p.conflicts.length,
            conflicts: p.conflicts
              .slice(0, CONFLICTS_NAMED)
              .map((c) => ({ id: c.clientRecordId, itemCode: c.itemCode, reason: c.reason, userId: c.userId })),
          },
        },
      ];
    case 'rack.conflict-resolved': {
      const r = p.resolved;
      if (!r) return [];
      return [
        {
          type: 'conflict.resolved',
          data: {
            ...base,
            conflict: { id: r.clientRecordId, itemCode: r.itemCode },
            choice: r.resolution?.choice ?? null,
            resolvedBy: r.resolution?.by ?? p.actor.id,
          },
        },
      ];
    }
    default:
      return [];
  }
}

type NoteRow = { n: number; type: string; data: string; at: number };

/** The rack's queue of notes, in its own SQLite. */
export class FloorNotes {
  private readonly table: LazyTables;

  constructor(private readonly sql: SqlStorage) {
    this.table = new LazyTables(sql, 'floor_notes', [
      `CREATE TABLE IF NOT EXISTS floor_notes (n INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL,
        data TEXT NOT NULL, at INTEGER NOT NULL)`,
    ]);
  }

  /** Appends the notes an outbox row stands for (call inside its transaction); how many were appended. */
  record(kind: string, payload: RackMirrorPayload): number {
    const notes = notesFor(kind, payload);
    if (notes.length === 0) return 0;
    this.table.ensure();
    for (const note of notes)
      this.sql.exec(
        `INSERT INTO floor_notes (type, data, at) VALUES (?, ?, ?)`,
        note.type,
        JSON.stringify(note.data),
        payload.at,
      );
    // A Floor unreachable for long must not grow the rack without bound.
    this.sql.exec(`DELETE FROM floor_notes WHERE n <= (SELECT MAX(n) FROM floor_notes) - ?`, NOTES_KEPT);
    return notes.length;
  }

  /** The oldest notes, in order, with their ids (`<rack>:<n>`: the same on every flush). */
  head(rackId: string, limit = NOTES_PER_FLUSH): Array<FloorNote & { n: number }> {
    if (!this.table.exists()) return [];
    return this.sql
      .exec<NoteRow>(`SELECT * FROM floor_notes ORDER BY n LIMIT ?`, limit)
      .toArray()
      .map((r) => ({
        n: r.n,
        id: `evt_rack_${rackId}_${r.n}`,
        type: r.type,
        data: JSON.parse(r.data) as Record<string, unknown>,
        at: r.at,
      }));
  }

  /** Forgets the notes up to `n` (the Floor has queued them). */
  done(n: number): void {
    if (this.table.exists()) this.sql.exec(`DELETE FROM floor_notes WHERE n <= ?`, n);
  }

  pending(): number {
    if (!this.table.exists()) return 0;
    return (this.sql.exec<{ c: number }>(`SELECT COUNT(*) AS c FROM floor_notes`).one() as { c: number }).c;
  }
}

/**
 * Sends the oldest notes to the Floor and forgets them once it has queued them; repeats while more wait. Returns
 * when to run again: null (nothing left), or after a backoff when the Floor could not be reached.
 */
export async function flushFloorNotes(
  notes: FloorNotes,
  rackId: string,
  send: (events: FloorNote[]) => Promise<unknown>,
  failures: number,
  now: number,
): Promise<{ again: number | null; failures: number }> {
  for (let round = 0; round < 10; round++) {
    const batch = notes.head(rackId);
    const last = batch.at(-1);
    if (!last) return { again: null, failures: 0 };
    try {
      await send(batch.map(({ id, type, data, at }) => ({ id, type, data, at })));
    } catch (err) {
      console.warn(JSON.stringify({ level: 'warn', msg: 'floor notes flush failed', rackId, error: String(err) }));
      return { again: now + flushDelay(failures + 1), failures: failures + 1 };
    }
    notes.done(last.n);
  }
  return { again: now, failures: 0 };
}
