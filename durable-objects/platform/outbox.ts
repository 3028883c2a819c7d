/**
 * The outbox: every state change that history or caches care about is appended
 * here in the same synchronous transaction as the change itself. The alarm
 * drains it in order; failures back off exponentially with jitter; after the
 * retry budget, or on a permanent error, a row moves to the dead-letter table.
 */
import { uuidv7 } from 'uuidv7';
import { LazyTables } from './lazy-tables.ts';

export interface OutboxRow {
  eventId: string;
  seq: number;
  kind: string;
  payload: unknown;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
}

export interface DeadLetter extends OutboxRow {
  deadAt: number;
}

const MAX_ATTEMPTS = 20;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 5 * 60_000;

/** Exponential backoff with jitter: 1 s, 2 s, 4 s … capped at 5 min; the delay is drawn from [½, 1] of that. */
function backoffMs(attempts: number, random = Math.random()): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling * (0.5 + random / 2));
}

type Raw = {
  event_id: string;
  seq: number;
  kind: string;
  payload: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
};
const toRow = (r: Raw): OutboxRow => ({
  eventId: r.event_id,
  seq: r.seq,
  kind: r.kind,
  payload: JSON.parse(r.payload),
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  createdAt: r.created_at,
});

export class Outbox {
  /** The drain in flight, if any (see exclusive). */
  private tail: Promise<unknown> = Promise.resolve();

  /** Both tables are created on the first append (or adopted letter): an object that was only read stores nothing. */
  private readonly tables: LazyTables;

  constructor(private readonly storage: DurableObjectStorage) {
    this.tables = new LazyTables(storage.sql, 'dead_letters', [
      `CREATE TABLE IF NOT EXISTS outbox (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, payload TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, last_error TEXT, created_at INTEGER NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS dead_letters (
      seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, payload TEXT NOT NULL,
      attempts INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL, last_error TEXT, created_at INTEGER NOT NULL, dead_at INTEGER NOT NULL)`,
    ]);
  }

  /** Runs `fn` once every earlier `exclusive` call on this outbox has settled: drains never interleave. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => {});
    return run;
  }

  /** Appends one event. Call it inside the transaction that makes the change. Returns the event id. */
  append(kind: string, payload: unknown, now: number, eventId: string = uuidv7()): string {
    this.tables.ensure();
    this.storage.sql.exec(
      `INSERT INTO outbox (event_id, kind, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`,
      eventId,
      kind,
      JSON.stringify(payload),
      now,
      now,
    );
    return eventId;
  }

  /** The oldest pending rows, in order, up to `limit`. Rows not yet due are included so order is kept; callers stop at the first one not due. */
  head(limit: number): OutboxRow[] {
    if (!this.tables.exists()) return [];
    return this.storage.sql.exec<Raw>(`SELECT * FROM outbox ORDER BY seq LIMIT ?`, limit).toArray().map(toRow);
  }

  done(eventIds: string[]): void {
    if (!this.tables.exists()) return;
    for (const id of eventIds) this.storage.sql.exec(`DELETE FROM outbox WHERE event_id = ?`, id);
  }

  /** Records a failure. Returns 'dead' when the row moved to the dead-letter table. */
  failed(row: OutboxRow, error: string, now: number, permanent: boolean): 'retry' | 'dead' {
    const attempts = row.attempts + 1;
    const message = error.slice(0, 500);
    if (permanent || attempts >= MAX_ATTEMPTS) {
      this.storage.transactionSync(() => {
        this.storage.sql.exec(
          `INSERT OR REPLACE INTO dead_letters (seq, event_id, kind, payload, attempts, next_attempt_at, last_error, created_at, dead_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          row.seq,
          row.eventId,
          row.kind,
          JSON.stringify(row.payload),
          attempts,
          now,
          message,
          row.createdAt,
          now,
        );
        this.storage.sql.exec(`DELETE FROM outbox WHERE event_id = ?`, row.eventId);
      });
      return 'dead';
    }
    this.storage.sql.exec(
      `UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE event_id = ?`,
      attempts,
      now + backoffMs(attempts),
      message,
      row.eventId,
    );
    return 'retry';
  }

  /**
   * Makes every pending row due at `now`, with its attempt count kept: an
   * operator's kick (or the cron's re-kick of a stalled object) overrides the
   * backoff. Returns how many rows were waiting.
   */
  retryNow(now: number): number {
    if (!this.tables.exists()) return 0;
    return this.storage.sql.exec(`UPDATE outbox SET next_attempt_at = ? WHERE next_attempt_at > ?`, now, now)
      .rowsWritten;
  }

  /** Puts a dead letter back in the outbox, due now, with a fresh retry budget. */
  replay(eventId: string, now: number): boolean {
    if (!this.tables.exists()) return false;
    const dead = this.storage.sql
      .exec<Raw & { dead_at: number }>(`SELECT * FROM dead_letters WHERE event_id = ?`, eventId)
      .toArray()[0];
    if (!dead) return false;
    this.storage.transactionSync(() => {
      this.storage.sql.exec(
        `INSERT INTO outbox (event_id, kind, payload, attempts, next_attempt_at, last_error, created_at) VALUES (?, ?, ?, 0, ?, ?, ?)
         ON CONFLICT (event_id) DO NOTHING`,
        dead.event_id,
        dead.kind,
        dead.payload,
        now,
        dead.last_error,
        dead.created_at,
      );
      this.storage.sql.exec(`DELETE FROM dead_letters WHERE event_id = ?`, eventId);
    });
    return true;
  }

  /**
   * Takes over a dead letter from another object (a deleted room hands its letters to Ops), keeping its event id,
   * payload and history, so `replay` can put it back into this outbox. Call it inside a transaction.
   */
  adopt(letter: DeadLetter): void {
    this.tables.ensure();
    this.storage.sql.exec(
      `INSERT OR REPLACE INTO dead_letters (seq, event_id, kind, payload, attempts, next_attempt_at, last_error, created_at, dead_at)
       VALUES ((SELECT seq FROM dead_letters WHERE event_id = ?), ?, ?, ?, ?, ?, ?, ?, ?)`,
      letter.eventId,
      letter.eventId,
      letter.kind,
      JSON.stringify(letter.payload ?? null),
      letter.attempts,
      letter.nextAttemptAt,
      letter.lastError,
      letter.createdAt,
      letter.deadAt,
    );
  }

  deadLetters(limit = 100): DeadLetter[] {
    if (!this.tables.exists()) return [];
    return this.storage.sql
      .exec<Raw & { dead_at: number }>(`SELECT * FROM dead_letters ORDER BY dead_at DESC LIMIT ?`, limit)
      .toArray()
      .map((r) => ({ ...toRow(r), deadAt: r.dead_at }));
  }

  /**
   * When the drain can next make progress: the head row's retry time, or null
   * if the outbox is empty. Rows drain in order, so a row behind a backing-off
   * head is not due before it, even though its own next_attempt_at (its
   * creation time) is earlier: taking MIN(next_attempt_at) instead re-armed the
   * alarm at now+1 over and over for the whole backoff.
   */
  nextDue(): number | null {
    if (!this.tables.exists()) return null;
    return (
      this.storage.sql
        .exec<{ next_attempt_at: number }>(`SELECT next_attempt_at FROM outbox ORDER BY seq LIMIT 1`)
        .toArray()[0]?.next_attempt_at ?? null
    );
  }

  /** Pending count, the oldest pending row's age, when the drain is next due (see nextDue), and the dead-letter count. */
  depth(now: number): { pending: number; oldestAgeMs: number | null; nextAttemptAt: number | null; dead: number } {
    if (!this.tables.exists()) return { pending: 0, oldestAgeMs: null, nextAttemptAt: null, dead: 0 };
    const p = this.storage.sql
      .exec<{ n: number; oldest: number | null }>(`SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox`)
      .one();
    const d = this.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM dead_letters`).one();
    return {
      pending: p.n,
      oldestAgeMs: p.oldest === null ? null : now - p.oldest,
      nextAttemptAt: this.nextDue(),
      dead: d.n,
    };
  }
}
