/**
 * Remembers the answer to each client-chosen command id, so a retry gets the
 * first answer and the command is applied once. Each answer is stored with a
 * hash of the command it answered: the same id with a different command is
 * refused (`idempotency_key_reused`), never answered with the first command's
 * answer. Answers expire after 24 h, and at most `cap` are kept (oldest evicted).
 * The table is created on the first write, so an object that was only read stores nothing.
 */
import { DEFAULT_LIMITS } from './limits-config.ts';

const RETAIN_MS = 24 * 3_600_000;

/** What a command id recalls: nothing yet, the first answer (same command), or a different command's id. */
type Recall<T> = { kind: 'new' } | { kind: 'replay'; answer: T } | { kind: 'reused' };

export class IdempotencyLog {
  private writes = 0;
  /** Whether the table exists (null: not looked yet). */
  private ready: boolean | null = null;
  /** Rows stored (null: not counted yet). */
  private size: number | null = null;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly cap: number = DEFAULT_LIMITS.idempotencyAnswers,
  ) {}

  /** The answer stored for `key` if `hash` matches the command it answered (a row without a hash predates hashes). */
  recall<T>(key: string, hash: string | null): Recall<T> {
    if (!this.exists()) return { kind: 'new' };
    const row = this.storage.sql
      .exec<{ answer: string; hash: string | null }>(`SELECT answer, hash FROM idempotency WHERE key = ?`, key)
      .toArray()[0];
    if (!row) return { kind: 'new' };
    if (hash !== null && row.hash !== null && row.hash !== hash) return { kind: 'reused' };
    return { kind: 'replay', answer: JSON.parse(row.answer) as T };
  }

  get<T>(key: string): T | null {
    const r = this.recall<T>(key, null);
    return r.kind === 'replay' ? r.answer : null;
  }

  /** Call inside the same transaction as the state change it answers for. */
  put(key: string, answer: unknown, now: number, hash: string | null = null): void {
    this.ensure();
    const sql = this.storage.sql;
    const before = sql.exec(`SELECT 1 FROM idempotency WHERE key = ?`, key).toArray().length;
    sql.exec(
      `INSERT OR REPLACE INTO idempotency (key, answer, at, hash) VALUES (?, ?, ?, ?)`,
      key,
      JSON.stringify(answer),
      now,
      hash,
    );
    if (this.size === null) this.size = sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM idempotency`).one().n;
    else if (!before) this.size++;
    if (++this.writes % 100 === 0) {
      sql.exec(`DELETE FROM idempotency WHERE at < ?`, now - RETAIN_MS);
      this.size = sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM idempotency`).one().n;
    }
    if (this.size !== null && this.size > this.cap) {
      sql.exec(
        `DELETE FROM idempotency WHERE key IN (SELECT key FROM idempotency ORDER BY at, rowid LIMIT ?)`,
        this.size - this.cap,
      );
      this.size = this.cap;
    }
  }

  /** Rows stored (tests and ops). */
  count(): number {
    return this.exists() ? this.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM idempotency`).one().n : 0;
  }

  private exists(): boolean {
    if (this.ready === null) {
      this.ready =
        this.storage.sql.exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'idempotency'`).toArray()
          .length > 0;
      // Objects stored before hashes existed: add the column once.
      if (this.ready && !this.storage.sql.exec(`SELECT * FROM idempotency LIMIT 0`).columnNames.includes('hash'))
        this.storage.sql.exec(`ALTER TABLE idempotency ADD COLUMN hash TEXT`);
    }
    return this.ready;
  }

  private ensure(): void {
    if (this.exists()) return;
    this.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS idempotency (key TEXT PRIMARY KEY, answer TEXT NOT NULL, at INTEGER NOT NULL, hash TEXT)`,
    );
    this.storage.sql.exec(`CREATE INDEX IF NOT EXISTS idempotency_at ON idempotency (at)`);
    this.ready = true;
    this.size = 0;
  }
}

/** Sorted keys at every level, so the same command always hashes the same. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  return value;
}

/**
 * SHA-256 (hex) of what a command id names: the operation (e.g. `command`, `rotate`) and the canonical JSON of the
 * parsed command, which carries the route's meaning (`POST …/timers/t1/pause` is `{type:'pause', timerId:'t1'}`).
 * Compute it before `recall`, so nothing awaits between the recall and the put.
 */
export async function commandHash(operation: string, command: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify([operation, canonical(command)]));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/**
 * The idempotency scope of a socket command id. Long ids (16+ characters, as the site's random ids are) are shared by
 * the socket's user (or link role) across connections, so a command resent after a reconnect or a page reload is
 * applied once. Short ids (a counter such as "1") are scoped to the one connection: another device or another holder
 * of the same link never meets them.
 */
export function socketCommandKey(meta: { sid: string; userId: string | null }, role: string, id: string): string {
  return id.length >= SHARED_ID_MIN ? `${meta.userId ?? role}:${id}` : `sock:${meta.sid}:${id}`;
}

/** Socket command ids at least this long are treated as random and shared across a user's connections. */
const SHARED_ID_MIN = 16;
