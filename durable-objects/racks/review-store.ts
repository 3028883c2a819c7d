/**
 * A rack's audits in its own SQLite table, one row per completed audit (its review: items, decisions, history).
 * Open reviews (needs_review, recount) are always kept; of the posted ones the newest RECENT_AUDITS stay (the export
 * reads them; Postgres has every one). Synchronous, so the caller writes inside its `commit()` transaction.
 */
import type { AuditStatus, Review } from '../../core/racks/review.ts';
import { LazyTables } from '../platform/lazy-tables.ts';

/** Posted audits kept per rack. */
export const RECENT_AUDITS = 50;

const DDL = [
  `CREATE TABLE IF NOT EXISTS rack_reviews (
    audit_id TEXT PRIMARY KEY, completed_at INTEGER NOT NULL, open INTEGER NOT NULL, record TEXT NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS rack_reviews_open ON rack_reviews (open, completed_at)`,
  `CREATE TABLE IF NOT EXISTS rack_reviews_ready (one INTEGER PRIMARY KEY)`,
];

export class ReviewStore {
  private readonly tables: LazyTables;

  constructor(private readonly sql: SqlStorage) {
    this.tables = new LazyTables(sql, 'rack_reviews_ready', DDL);
  }

  get(auditId: string): Review | null {
    if (!this.tables.exists()) return null;
    const row = this.sql
      .exec<{ record: string }>(`SELECT record FROM rack_reviews WHERE audit_id = ?`, auditId)
      .toArray()[0];
    return row ? (JSON.parse(row.record) as Review) : null;
  }

  put(r: Review): void {
    this.tables.ensure();
    this.sql.exec(
      `INSERT INTO rack_reviews (audit_id, completed_at, open, record) VALUES (?, ?, ?, ?)
       ON CONFLICT (audit_id) DO UPDATE SET open = excluded.open, record = excluded.record`,
      r.audit_id,
      r.completed_at,
      r.status === 'posted' ? 0 : 1,
      JSON.stringify(r),
    );
    this.sql.exec(
      `DELETE FROM rack_reviews WHERE open = 0 AND completed_at <= (
        SELECT completed_at FROM rack_reviews WHERE open = 0 ORDER BY completed_at DESC LIMIT 1 OFFSET ?)`,
      RECENT_AUDITS,
    );
  }

  /** The open reviews, oldest first. */
  open(): Review[] {
    if (!this.tables.exists()) return [];
    return this.sql
      .exec<{ record: string }>(`SELECT record FROM rack_reviews WHERE open = 1 ORDER BY completed_at`)
      .toArray()
      .map((r) => JSON.parse(r.record) as Review);
  }

  /** Every stored review completed in [from, to], oldest first. */
  between(from: number, to: number): Review[] {
    if (!this.tables.exists()) return [];
    return this.sql
      .exec<{ record: string }>(
        `SELECT record FROM rack_reviews WHERE completed_at >= ? AND completed_at <= ? ORDER BY completed_at`,
        from,
        to,
      )
      .toArray()
      .map((r) => JSON.parse(r.record) as Review);
  }

  /** The review whose recount waits for (or runs under) a lease; at most one per rack. */
  recounting(): Review | null {
    return this.open().find((r) => r.recount !== null) ?? null;
  }

  /** The board's word: the most urgent open status (recount, then needs_review), else the last audit's; and how many are open. */
  boardStatus(): { audit_status: AuditStatus | null; open_reviews: number } {
    const open = this.open();
    if (open.some((r) => r.status === 'recount')) return { audit_status: 'recount', open_reviews: open.length };
    if (open.length > 0) return { audit_status: 'needs_review', open_reviews: open.length };
    if (!this.tables.exists()) return { audit_status: null, open_reviews: 0 };
    const last = this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM rack_reviews`).toArray()[0]?.n ?? 0;
    return { audit_status: last > 0 ? 'posted' : null, open_reviews: 0 };
  }
}
