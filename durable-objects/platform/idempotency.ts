/**
 * Remembers the answer to each client-chosen command id, so a retry gets the
 * first answer and the command is applied once.
 */
const RETAIN_MS = 24 * 3_600_000;

export class IdempotencyLog {
  private writes = 0;
  constructor(private readonly storage: DurableObjectStorage) {
    storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS idempotency (key TEXT PRIMARY KEY, answer TEXT NOT NULL, at INTEGER NOT NULL)`,
    );
  }

  get<T>(key: string): T | null {
    const row = this.storage.sql
      .exec<{ answer: string }>(`SELECT answer FROM idempotency WHERE key = ?`, key)
      .toArray()[0];
    return row ? (JSON.parse(row.answer) as T) : null;
  }

  /** Call inside the same transaction as the state change it answers for. */
  put(key: string, answer: unknown, now: number): void {
    this.storage.sql.exec(
      `INSERT OR REPLACE INTO idempotency (key, answer, at) VALUES (?, ?, ?)`,
      key,
      JSON.stringify(answer),
      now,
    );
    if (++this.writes % 100 === 0) this.storage.sql.exec(`DELETE FROM idempotency WHERE at < ?`, now - RETAIN_MS);
  }
}
