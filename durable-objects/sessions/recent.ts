/**
 * The user's session entries, kept in the object's own SQLite: every stopped
 * session and manual entry, up to ENTRY_LIMITS.entries. This is the
 * authoritative copy an edit is checked against; Postgres mirrors it. When
 * the cap is passed the oldest entries are dropped here (Postgres keeps them)
 * and the horizon moves past them: history older than the horizon is read
 * from Postgres and cannot be edited.
 */
import { ENTRY_LIMITS, type SessionEntry, entryFromSession } from '../../core/sessions/entries.ts';
import type { CompletedSession } from '../../core/sessions/transition.ts';
import { LazyTables } from '../platform/lazy-tables.ts';

/** How many entries the object keeps. */
export const RECENT_SESSIONS = ENTRY_LIMITS.entries;
/** What the object kept before it kept every entry: an old list this full may be missing older sessions. */
const OLD_RECENT_CAP = 200;

/** Filters of a history page. Times are on the entry's start; `to` is exclusive. */
export interface EntryQuery {
  before?: { startTime: number; id: string } | null;
  since?: number | null;
  from?: number | null;
  to?: number | null;
  projectId?: string | null;
  taskId?: string | null;
  tag?: string | null;
  limit: number;
  /** Whether answers list each entry's overlaps (history does; statistics, CSV and reports need not). */
  overlaps?: boolean;
}

type Row = { record: string };

export class RecentSessions {
  /** Created on the first stop: an object that was only read stores nothing. */
  private readonly table: LazyTables;
  constructor(private readonly storage: DurableObjectStorage) {
    this.table = new LazyTables(storage.sql, 'entries', [
      `CREATE TABLE IF NOT EXISTS entries (id TEXT PRIMARY KEY, start_time INTEGER NOT NULL, end_time INTEGER NOT NULL,
        project_id TEXT, task_id TEXT, tags TEXT NOT NULL, deleted_at INTEGER, version INTEGER NOT NULL, record TEXT NOT NULL)`,
      `CREATE INDEX IF NOT EXISTS entries_start ON entries (start_time, id)`,
      `CREATE INDEX IF NOT EXISTS entries_task ON entries (task_id)`,
      `CREATE TABLE IF NOT EXISTS entries_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)`,
    ]);
  }

  private get sql() {
    return this.storage.sql;
  }

  /** Creates the tables; an object that kept only its recent sessions brings them over once. */
  private ensure(): void {
    if (this.table.exists()) return;
    this.table.ensure();
    const old = this.sql
      .exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'recent_sessions'`)
      .toArray();
    if (old.length === 0) return;
    const rows = this.sql.exec<Row>(`SELECT record FROM recent_sessions`).toArray();
    for (const r of rows) this.write(entryFromSession(JSON.parse(r.record) as CompletedSession));
    if (rows.length >= OLD_RECENT_CAP) {
      const min = this.sql.exec<{ m: number }>(`SELECT MIN(start_time) AS m FROM entries`).one().m;
      this.setMeta('horizon', min);
    }
    this.sql.exec(`DROP TABLE recent_sessions`);
  }

  private meta(key: string): number {
    if (!this.table.exists()) return 0;
    return (
      this.sql.exec<{ value: number }>(`SELECT value FROM entries_meta WHERE key = ?`, key).toArray()[0]?.value ?? 0
    );
  }

  private setMeta(key: string, value: number): void {
    this.sql.exec(`INSERT OR REPLACE INTO entries_meta (key, value) VALUES (?, ?)`, key, value);
  }

  private write(e: SessionEntry): void {
    this.sql.exec(
      `INSERT OR REPLACE INTO entries (id, start_time, end_time, project_id, task_id, tags, deleted_at, version, record)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      e.id,
      e.startTime,
      e.endTime,
      e.projectId,
      e.taskId,
      JSON.stringify(e.tags.map((t) => t.toLowerCase())),
      e.deletedAt,
      e.version,
      JSON.stringify(e),
    );
  }

  /** Call inside the transaction that stops the session. Past the cap, the oldest entries go. */
  add(s: CompletedSession): void {
    this.ensure();
    this.put(entryFromSession(s));
    const over = this.count(true) - RECENT_SESSIONS;
    if (over <= 0) return;
    const dropped = this.sql
      .exec<{ id: string; start_time: number }>(
        `SELECT id, start_time FROM entries ORDER BY start_time ASC, id ASC LIMIT ?`,
        over,
      )
      .toArray();
    for (const d of dropped) this.sql.exec(`DELETE FROM entries WHERE id = ?`, d.id);
    const last = dropped.at(-1);
    if (last) this.setMeta('horizon', Math.max(this.horizon(), last.start_time + 1));
  }

  /** Saves an entry (new or edited) and moves the revision. Call inside a transaction. */
  put(e: SessionEntry): void {
    this.ensure();
    this.write(e);
    this.setMeta('revision', this.revision() + 1);
  }

  get(id: string): SessionEntry | null {
    if (!this.table.exists()) return null;
    const row = this.sql.exec<Row>(`SELECT record FROM entries WHERE id = ?`, id).toArray()[0];
    return row ? (JSON.parse(row.record) as SessionEntry) : null;
  }

  /** Rises with every change to the entries: part of history cache keys. */
  revision(): number {
    return this.meta('revision');
  }

  /** Entries starting before this instant are not all here (they are in Postgres); 0 when every entry is. */
  horizon(): number {
    return this.meta('horizon');
  }

  /** Entries that are not deleted, newest first, matching `q`, at most `q.limit`. */
  list(q: EntryQuery): SessionEntry[] {
    if (!this.table.exists()) return [];
    const where = ['deleted_at IS NULL'];
    const args: Array<string | number> = [];
    if (q.before) {
      where.push('(start_time < ? OR (start_time = ? AND id < ?))');
      args.push(q.before.startTime, q.before.startTime, q.before.id);
    }
    const lower = Math.max(q.since ?? 0, q.from ?? 0);
    if (lower > 0) {
      where.push('start_time >= ?');
      args.push(lower);
    }
    if (q.to != null) {
      where.push('start_time < ?');
      args.push(q.to);
    }
    if (q.projectId) {
      where.push('project_id = ?');
      args.push(q.projectId);
    }
    if (q.taskId) {
      where.push('task_id = ?');
      args.push(q.taskId);
    }
    if (q.tag) {
      where.push('EXISTS (SELECT 1 FROM json_each(entries.tags) WHERE value = ?)');
      args.push(q.tag.toLowerCase());
    }
    return this.sql
      .exec<Row>(
        `SELECT record FROM entries WHERE ${where.join(' AND ')} ORDER BY start_time DESC, id DESC LIMIT ?`,
        ...args,
        Math.max(0, Math.min(q.limit, RECENT_SESSIONS)),
      )
      .toArray()
      .map((r) => JSON.parse(r.record) as SessionEntry);
  }

  /** Ids of other entries (not deleted) that share time with `e`, at most 10. */
  overlaps(e: { id: string; startTime: number; endTime: number }): string[] {
    if (!this.table.exists()) return [];
    return this.sql
      .exec<{ id: string }>(
        `SELECT id FROM entries WHERE deleted_at IS NULL AND id != ? AND start_time < ? AND end_time > ? ORDER BY start_time LIMIT 10`,
        e.id,
        e.endTime,
        e.startTime,
      )
      .toArray()
      .map((r) => r.id);
  }

  /** Kept entries; deleted ones too when `all`. */
  count(all = false): number {
    if (!this.table.exists()) return 0;
    return this.sql
      .exec<{ n: number }>(`SELECT COUNT(*) AS n FROM entries${all ? '' : ' WHERE deleted_at IS NULL'}`)
      .one().n;
  }

  /** Distinct tags (lower-cased) across entries that are not deleted, plus `extra`. */
  distinctTags(extra: string[]): number {
    const rows = this.table.exists()
      ? this.sql
          .exec<{ value: string }>(
            `SELECT DISTINCT j.value AS value FROM entries, json_each(entries.tags) AS j WHERE entries.deleted_at IS NULL`,
          )
          .toArray()
      : [];
    return new Set([...rows.map((r) => r.value), ...extra.map((t) => t.toLowerCase())]).size;
  }

  /** Net time and entry count per task, over entries that are not deleted. */
  taskTotals(): Map<string, { spentMs: number; entries: number }> {
    if (!this.table.exists()) return new Map();
    const rows = this.sql
      .exec<{ task_id: string; n: number; spent: number }>(
        `SELECT task_id, COUNT(*) AS n, SUM(json_extract(record, '$.elapsedMs')) AS spent FROM entries
         WHERE deleted_at IS NULL AND task_id IS NOT NULL GROUP BY task_id`,
      )
      .toArray();
    return new Map(rows.map((r) => [r.task_id, { spentMs: r.spent, entries: r.n }]));
  }
}
