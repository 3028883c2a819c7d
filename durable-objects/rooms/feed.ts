/**
 * The room's recent broadcasts, kept so a reconnecting event-feed client (SSE `Last-Event-ID`, or a socket opened
 * with `since`) gets exactly the messages it missed. Bounded: the newest FEED_KEPT messages; a client further
 * behind than that gets a fresh `room-state` instead, which is complete, so it never sees a gap either way.
 */
import { LazyTables } from '../platform/lazy-tables.ts';

/** Messages kept for resumption (a few minutes of a busy show; each is a small JSON object). */
export const FEED_KEPT = 500;
/** Pruning runs once this many messages past the cap have piled up, so most appends write one row only. */
const PRUNE_SLACK = 100;

export class FeedLog {
  private readonly table: LazyTables;
  private appended = 0;

  constructor(private readonly sql: SqlStorage) {
    this.table = new LazyTables(sql, 'room_feed', [
      `CREATE TABLE IF NOT EXISTS room_feed (seq INTEGER PRIMARY KEY AUTOINCREMENT, version INTEGER NOT NULL, body TEXT NOT NULL)`,
    ]);
  }

  /** Records the messages one change broadcast (each already stamped with its version). */
  append(messages: ReadonlyArray<{ version: number }>): void {
    if (messages.length === 0) return;
    this.table.ensure();
    for (const m of messages)
      this.sql.exec(`INSERT INTO room_feed (version, body) VALUES (?, ?)`, m.version, JSON.stringify(m));
    this.appended += messages.length;
    if (this.appended >= PRUNE_SLACK) {
      this.appended = 0;
      this.sql.exec(`DELETE FROM room_feed WHERE seq <= (SELECT MAX(seq) FROM room_feed) - ?`, FEED_KEPT);
    }
  }

  /** Forgets every message (a relay that had to resync from a snapshot: its log would otherwise have a hole). */
  clear(): void {
    if (this.table.exists()) this.sql.exec(`DELETE FROM room_feed`);
  }

  /**
   * The messages after `version`, oldest first, when the log still reaches back that far (it holds a message of
   * version `version + 1`, or nothing newer than `version` happened); null when the client is too far behind, or
   * claims a version this room never reached (another room's id): both get a full room-state.
   */
  since(version: number, current: number): unknown[] | null {
    if (version === current) return [];
    if (version > current) return null;
    if (!this.table.exists()) return null;
    const rows = this.sql
      .exec<{ version: number; body: string }>(
        `SELECT version, body FROM room_feed WHERE version > ? ORDER BY seq LIMIT ?`,
        version,
        FEED_KEPT,
      )
      .toArray();
    if (rows.length === 0 || (rows[0] as { version: number }).version !== version + 1) return null;
    return rows.map((r) => JSON.parse(r.body) as unknown);
  }
}
