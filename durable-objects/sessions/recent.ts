/**
 * The user's recent stopped sessions, kept in the object's own SQLite so
 * history, statistics and export still answer while Postgres is down.
 */
import type { CompletedSession } from '../../core/sessions/transition.ts';
import { LazyTables } from '../platform/lazy-tables.ts';

/** How many stopped sessions the object keeps. */
export const RECENT_SESSIONS = 200;

export class RecentSessions {
  /** Created on the first stop: an object that was only read stores nothing. */
  private readonly table: LazyTables;
  constructor(private readonly storage: DurableObjectStorage) {
    this.table = new LazyTables(storage.sql, 'recent_sessions', [
      `CREATE TABLE IF NOT EXISTS recent_sessions (id TEXT PRIMARY KEY, start_time INTEGER NOT NULL, record TEXT NOT NULL)`,
      `CREATE INDEX IF NOT EXISTS recent_sessions_start ON recent_sessions (start_time)`,
    ]);
  }

  /** Call inside the transaction that stops the session. Keeps the newest RECENT_SESSIONS. */
  add(s: CompletedSession): void {
    this.table.ensure();
    this.storage.sql.exec(
      `INSERT OR REPLACE INTO recent_sessions (id, start_time, record) VALUES (?, ?, ?)`,
      s.id,
      s.startTime,
      JSON.stringify(s),
    );
    this.storage.sql.exec(
      `DELETE FROM recent_sessions WHERE start_time < (SELECT MIN(start_time) FROM (SELECT start_time FROM recent_sessions ORDER BY start_time DESC LIMIT ?))`,
      RECENT_SESSIONS,
    );
  }

  /** Newest first: those that started before `before` (if given) and at or after `since` (if given), at most `limit`. */
  list(opts: { before?: number | null; since?: number | null; limit: number }): CompletedSession[] {
    if (!this.table.exists()) return [];
    return this.storage.sql
      .exec<{ record: string }>(
        `SELECT record FROM recent_sessions WHERE start_time < ? AND start_time >= ? ORDER BY start_time DESC LIMIT ?`,
        opts.before ?? Number.MAX_SAFE_INTEGER,
        opts.since ?? 0,
        Math.max(0, Math.min(opts.limit, RECENT_SESSIONS)),
      )
      .toArray()
      .map((r) => JSON.parse(r.record) as CompletedSession);
  }

  count(): number {
    if (!this.table.exists()) return 0;
    return this.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM recent_sessions`).one().n;
  }
}
