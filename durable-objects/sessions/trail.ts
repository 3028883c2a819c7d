/**
 * The audit trail of entry edits: who, when, before and after, one row per
 * versioned edit. Written in the edit's transaction; mirrored to Postgres
 * (`session_edits`) through the outbox, which keeps every row. The object
 * keeps the newest TRAIL_ROWS.
 */
import type { SessionEntry } from '../../core/sessions/entries.ts';
import { LazyTables } from '../platform/lazy-tables.ts';

export const TRAIL_ROWS = 50_000;
/** The most rows one answer lists (an entry's newest). */
export const TRAIL_PAGE = 500;

export type TrailOp = 'create' | 'update' | 'delete' | 'restore';

export interface TrailRow {
  id: string;
  entryId: string;
  /** The entry's version after this edit. */
  version: number;
  op: TrailOp;
  actor: { id: string | null; role: 'user' | 'system' | 'admin' };
  at: number;
  before: SessionEntry | null;
  after: SessionEntry | null;
}

export class EntryTrail {
  private readonly table: LazyTables;
  constructor(private readonly storage: DurableObjectStorage) {
    this.table = new LazyTables(storage.sql, 'entry_trail', [
      `CREATE TABLE IF NOT EXISTS entry_trail (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
        entry_id TEXT NOT NULL, record TEXT NOT NULL)`,
      `CREATE INDEX IF NOT EXISTS entry_trail_entry ON entry_trail (entry_id, seq)`,
    ]);
  }

  /** Call inside the edit's transaction. */
  add(row: TrailRow): void {
    this.table.ensure();
    const sql = this.storage.sql;
    sql.exec(
      `INSERT INTO entry_trail (id, entry_id, record) VALUES (?, ?, ?)`,
      row.id,
      row.entryId,
      JSON.stringify(row),
    );
    sql.exec(`DELETE FROM entry_trail WHERE seq <= (SELECT MAX(seq) FROM entry_trail) - ?`, TRAIL_ROWS);
  }

  /** The entry's edits, oldest first (its newest TRAIL_PAGE). */
  list(entryId: string): TrailRow[] {
    if (!this.table.exists()) return [];
    return this.storage.sql
      .exec<{ record: string }>(
        `SELECT record FROM (SELECT seq, record FROM entry_trail WHERE entry_id = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq ASC`,
        entryId,
        TRAIL_PAGE,
      )
      .toArray()
      .map((r) => JSON.parse(r.record) as TrailRow);
  }
}
