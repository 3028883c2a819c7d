/**
 * A rack's audit in its own SQLite tables, one row per thing, so no stored value grows with the audit:
 * - `rack_items`: the latest record per item code (the audit in progress), with the columns the counts need;
 * - `rack_answered`: every client_record_id answered (accepted or conflict), tagged with the audit it came in;
 * - `rack_conflicts`: conflicts, open or resolved, indexed for keyset pages (oldest first);
 * - `rack_sessions`: the recent ended sessions (their summaries can be large).
 * Reads and writes are synchronous, so the caller runs them inside the same `commit()` transaction as the lease
 * state and the outbox row. The tables are created on the first write (a read of a rack that never wrote stores
 * nothing). Objects stored before these tables kept each as one JSON value in `kv`; `migrate` moves them in once.
 */
import type { ItemRecord } from '../../core/racks/batch.ts';
import type { ConflictEntry } from '../../core/racks/conflict.ts';
import type { JsonStore } from '../platform/kv.ts';
import { LazyTables } from '../platform/lazy-tables.ts';
import type { RackSessionRecord } from './view.ts';

/** A page position in the (detected_at, id) order; `id: null` means "everything after `at`". */
export interface ConflictCursor {
  at: number;
  id: string | null;
}

type Answer = 'accepted' | 'conflict';

const DDL = [
  `CREATE TABLE IF NOT EXISTS rack_items (
    item_code TEXT PRIMARY KEY, status TEXT NOT NULL, damage_qty INTEGER NOT NULL, record TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS rack_answered (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, outcome TEXT NOT NULL, audit INTEGER NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS rack_answered_audit ON rack_answered (audit, seq)`,
  `CREATE TABLE IF NOT EXISTS rack_conflicts (
    id TEXT PRIMARY KEY, at INTEGER NOT NULL, open INTEGER NOT NULL, entry TEXT NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS rack_conflicts_page ON rack_conflicts (open, at, id)`,
  `CREATE INDEX IF NOT EXISTS rack_conflicts_all ON rack_conflicts (at, id)`,
  `CREATE TABLE IF NOT EXISTS rack_sessions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL UNIQUE, user_id TEXT NOT NULL, record TEXT NOT NULL)`,
  // Created last: its presence means every table above exists.
  `CREATE TABLE IF NOT EXISTS rack_audit_ready (one INTEGER PRIMARY KEY)`,
];

export class AuditStore {
  private readonly tables: LazyTables;

  constructor(private readonly sql: SqlStorage) {
    this.tables = new LazyTables(sql, 'rack_audit_ready', DDL);
  }

  /**
   * Moves the old one-value-each state (`batch`, `conflicts`, `sessions` in kv) into the tables and deletes it.
   * Call it inside a transaction; a no-op once done.
   */
  migrate(kv: JsonStore, audit: number): boolean {
    const batch = kv.get<{ items: Record<string, ItemRecord>; seen: Record<string, Answer> }>('batch');
    const book = kv.get<Record<string, ConflictEntry>>('conflicts');
    const sessions = kv.get<RackSessionRecord[]>('sessions');
    if (!batch && !book && !sessions) return false;
    for (const r of Object.values(batch?.items ?? {})) this.putItem(r);
    // Their audit is not known: they count as this audit's, so none is forgotten before the next completion.
    for (const [id, outcome] of Object.entries(batch?.seen ?? {})) this.answer(id, outcome, audit);
    for (const c of Object.values(book ?? {})) this.putConflict(c);
    for (const s of sessions ?? []) this.putSession(s, Number.POSITIVE_INFINITY);
    kv.delete('batch');
    kv.delete('conflicts');
    kv.delete('sessions');
    return true;
  }

  // ── Items ──────────────────────────────────────────────────────────────
  itemCount(): number {
    if (!this.tables.exists()) return 0;
    return this.one<{ n: number }>(`SELECT count(*) AS n FROM rack_items`)?.n ?? 0;
  }

  /** The stored records of `codes` (those that exist). */
  itemsFor(codes: Iterable<string>): Record<string, ItemRecord> {
    const out: Record<string, ItemRecord> = {};
    if (!this.tables.exists()) return out;
    for (const code of new Set(codes)) {
      const row = this.one<{ record: string }>(`SELECT record FROM rack_items WHERE item_code = ?`, code);
      if (row) out[code] = JSON.parse(row.record) as ItemRecord;
    }
    return out;
  }

  /** Every record of the audit (at most the item cap), for a summary or a session's stats. */
  allItems(): ItemRecord[] {
    if (!this.tables.exists()) return [];
    return this.sql
      .exec<{ record: string }>(`SELECT record FROM rack_items ORDER BY item_code`)
      .toArray()
      .map((r) => JSON.parse(r.record) as ItemRecord);
  }

  /** The board's counts, by SQL (no record is parsed). */
  counts(): { total: number; verified: number; damage: number; pending: number } {
    if (!this.tables.exists()) return { total: 0, verified: 0, damage: 0, pending: 0 };
    const row = this.one<{ total: number; verified: number | null; damage: number | null; pending: number | null }>(
      `SELECT count(*) AS total,
        sum(status IN ('verified', 'finalized')) AS verified,
        sum(damage_qty > 0 OR status = 'damaged') AS damage,
        sum(status = 'pending') AS pending
      FROM rack_items`,
    );
    return {
      total: row?.total ?? 0,
      verified: row?.verified ?? 0,
      damage: row?.damage ?? 0,
      pending: row?.pending ?? 0,
    };
  }

  putItem(r: ItemRecord): void {
    this.tables.ensure();
    this.sql.exec(
      `INSERT INTO rack_items (item_code, status, damage_qty, record) VALUES (?, ?, ?, ?)
       ON CONFLICT (item_code) DO UPDATE SET status = excluded.status, damage_qty = excluded.damage_qty, record = excluded.record`,
      r.itemCode,
      r.status,
      r.damageQty,
      JSON.stringify(r),
    );
  }

  clearItems(): void {
    if (!this.tables.exists()) return;
    this.sql.exec(`DELETE FROM rack_items`);
  }

  // ── Answered record ids ──────────────────────────────────────────────────
  /** How `ids` were answered, for those that were. */
  answered(ids: Iterable<string>): Record<string, Answer> {
    const out: Record<string, Answer> = {};
    if (!this.tables.exists()) return out;
    for (const id of new Set(ids)) {
      const row = this.one<{ outcome: Answer }>(`SELECT outcome FROM rack_answered WHERE id = ?`, id);
      if (row) out[id] = row.outcome;
    }
    return out;
  }

  answer(id: string, outcome: Answer, audit: number): void {
    this.tables.ensure();
    this.sql.exec(
      `INSERT INTO rack_answered (id, outcome, audit) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      id,
      outcome,
      audit,
    );
  }

  /** Forgets the oldest ids of earlier audits beyond `keep`; the ids of audit `current` are all kept. */
  pruneAnswered(current: number, keep: number): void {
    if (!this.tables.exists()) return;
    this.sql.exec(
      `DELETE FROM rack_answered WHERE audit < ? AND seq <= (
        SELECT seq FROM rack_answered WHERE audit < ? ORDER BY seq DESC LIMIT 1 OFFSET ?)`,
      current,
      current,
      keep,
    );
  }

  /** Distinct record ids answered (accepted or conflict) in audit `audit`: what a completion's declared count is checked against. */
  answeredIn(audit: number): number {
    if (!this.tables.exists()) return 0;
    return this.one<{ n: number }>(`SELECT count(*) AS n FROM rack_answered WHERE audit = ?`, audit)?.n ?? 0;
  }

  answeredCount(): number {
    if (!this.tables.exists()) return 0;
    return this.one<{ n: number }>(`SELECT count(*) AS n FROM rack_answered`)?.n ?? 0;
  }

  // ── Conflicts ──────────────────────────────────────────────────────────
  conflict(id: string): ConflictEntry | undefined {
    if (!this.tables.exists()) return undefined;
    const row = this.one<{ entry: string }>(`SELECT entry FROM rack_conflicts WHERE id = ?`, id);
    return row ? (JSON.parse(row.entry) as ConflictEntry) : undefined;
  }

  openCount(): number {
    if (!this.tables.exists()) return 0;
    return this.one<{ n: number }>(`SELECT count(*) AS n FROM rack_conflicts WHERE open = 1`)?.n ?? 0;
  }

  /** Adds a new conflict (an id already stored is left as it is) or saves a resolution. */
  putConflict(c: ConflictEntry): void {
    this.tables.ensure();
    const open = c.resolution === null ? 1 : 0;
    this.sql.exec(
      `INSERT INTO rack_conflicts (id, at, open, entry) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET open = excluded.open, entry = excluded.entry WHERE excluded.open = 0`,
      c.clientRecordId,
      c.at,
      open,
      JSON.stringify(c),
    );
  }

  /** Up to `limit` conflicts after `after` in (detected_at, id) order: the open ones, or all with `all`. */
  conflicts(opts: { all: boolean; after: ConflictCursor | null; limit: number }): ConflictEntry[] {
    if (!this.tables.exists()) return [];
    const where: string[] = [];
    const args: Array<string | number> = [];
    if (!opts.all) where.push('open = 1');
    if (opts.after && opts.after.id === null) {
      where.push('at > ?');
      args.push(opts.after.at);
    } else if (opts.after) {
      where.push('(at > ? OR (at = ? AND id > ?))');
      args.push(opts.after.at, opts.after.at, opts.after.id as string);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    return this.sql
      .exec<{ entry: string }>(
        `SELECT entry FROM rack_conflicts ${clause} ORDER BY at, id LIMIT ?`,
        ...args,
        Math.max(0, opts.limit),
      )
      .toArray()
      .map((r) => JSON.parse(r.entry) as ConflictEntry);
  }

  /** Deletes resolved conflicts whose resolution reached the mirrors (an open one is never deleted). */
  pruneResolved(ids: string[]): number {
    if (!this.tables.exists()) return 0;
    let n = 0;
    for (const id of ids) n += this.sql.exec(`DELETE FROM rack_conflicts WHERE id = ? AND open = 0`, id).rowsWritten;
    return n;
  }

  // ── Sessions ───────────────────────────────────────────────────────────
  /** Saves an ended session's record, keeping the newest `keep`. */
  putSession(s: RackSessionRecord, keep: number): void {
    this.tables.ensure();
    this.sql.exec(`DELETE FROM rack_sessions WHERE session_id = ?`, s.session_id);
    this.sql.exec(
      `INSERT INTO rack_sessions (session_id, user_id, record) VALUES (?, ?, ?)`,
      s.session_id,
      s.user_id,
      JSON.stringify(s),
    );
    if (Number.isFinite(keep))
      this.sql.exec(
        `DELETE FROM rack_sessions WHERE seq <= (SELECT seq FROM rack_sessions ORDER BY seq DESC LIMIT 1 OFFSET ?)`,
        keep,
      );
  }

  session(sessionId: string): RackSessionRecord | undefined {
    if (!this.tables.exists()) return undefined;
    const row = this.one<{ record: string }>(`SELECT record FROM rack_sessions WHERE session_id = ?`, sessionId);
    return row ? (JSON.parse(row.record) as RackSessionRecord) : undefined;
  }

  /** One user's recent sessions, newest first. */
  userSessions(userId: string): RackSessionRecord[] {
    if (!this.tables.exists()) return [];
    return this.sql
      .exec<{ record: string }>(`SELECT record FROM rack_sessions WHERE user_id = ? ORDER BY seq DESC`, userId)
      .toArray()
      .map((r) => JSON.parse(r.record) as RackSessionRecord);
  }

  sessionCount(): number {
    if (!this.tables.exists()) return 0;
    return this.one<{ n: number }>(`SELECT count(*) AS n FROM rack_sessions`)?.n ?? 0;
  }

  private one<T extends Record<string, SqlStorageValue>>(query: string, ...args: SqlStorageValue[]): T | undefined {
    return this.sql.exec<T>(query, ...args).toArray()[0];
  }
}
