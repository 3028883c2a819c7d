/**
 * The Account object's personal API tokens, in its SQLite `api_tokens` table (created on the first token). A row
 * keeps the SHA-256 of the secret, never the secret. Revoked rows are kept (newest REVOKED_KEPT) so a revoked
 * token's id still names something, then pruned.
 */
import { LazyTables } from '../platform/lazy-tables.ts';
import { type ApiToken, LAST_USED_EVERY_MS, SCOPES, type Scope, sameDigest } from './pat.ts';

const REVOKED_KEPT = 100;

interface Row extends Record<string, SqlStorageValue> {
  id: string;
  name: string;
  scopes: string;
  hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked: number;
}

const toToken = (r: Row): ApiToken => ({
  id: r.id,
  name: r.name,
  scopes: parseScopes(r.scopes),
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});

/** Stored scopes, read back defensively: anything unknown is dropped. */
function parseScopes(json: string): Scope[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? SCOPES.filter((s) => v.includes(s)) : [];
  } catch {
    return [];
  }
}

export class ApiTokenStore {
  private readonly tables: LazyTables;
  constructor(private readonly sql: SqlStorage) {
    this.tables = new LazyTables(sql, 'api_tokens', [
      `CREATE TABLE IF NOT EXISTS api_tokens (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, scopes TEXT NOT NULL, hash TEXT NOT NULL,
        created_at INTEGER NOT NULL, last_used_at INTEGER, revoked INTEGER NOT NULL DEFAULT 0)`,
    ]);
  }

  private live(): Row[] {
    if (!this.tables.exists()) return [];
    return this.sql.exec<Row>(`SELECT * FROM api_tokens WHERE revoked = 0 ORDER BY created_at, id`).toArray();
  }

  list(): ApiToken[] {
    return this.live().map(toToken);
  }

  liveIds(): string[] {
    if (!this.tables.exists()) return [];
    return this.sql
      .exec<{ id: string }>(`SELECT id FROM api_tokens WHERE revoked = 0`)
      .toArray()
      .map((r) => r.id);
  }

  count(): number {
    return this.liveIds().length;
  }

  /** Whether `id` was ever this account's token (live or revoked, while kept). */
  has(id: string): boolean {
    if (!this.tables.exists()) return false;
    return this.sql.exec(`SELECT 1 FROM api_tokens WHERE id = ?`, id).toArray().length > 0;
  }

  /** Inserts a token (call inside a commit; the caller checked the cap). */
  insert(t: { id: string; name: string; scopes: Scope[]; hash: string; createdAt: number }): void {
    this.tables.ensure();
    this.sql.exec(
      `INSERT INTO api_tokens (id, name, scopes, hash, created_at, last_used_at, revoked) VALUES (?, ?, ?, ?, ?, NULL, 0)`,
      t.id,
      t.name,
      JSON.stringify(t.scopes),
      t.hash,
      t.createdAt,
    );
  }

  /** Marks a token revoked (idempotent) and prunes the oldest revoked rows. Call inside a commit. */
  revoke(id: string): void {
    if (!this.tables.exists()) return;
    this.sql.exec(`UPDATE api_tokens SET revoked = 1 WHERE id = ?`, id);
    this.sql.exec(
      `DELETE FROM api_tokens WHERE revoked = 1 AND id NOT IN
        (SELECT id FROM api_tokens WHERE revoked = 1 ORDER BY created_at DESC, id DESC LIMIT ?)`,
      REVOKED_KEPT,
    );
  }

  /**
   * The live token `id` if `hash` matches its stored hash (compared in constant time), else null. `touch` says
   * whether lastUsedAt is due a write (at most once a LAST_USED_EVERY_MS); the caller writes it with `markUsed`.
   */
  match(id: string, hash: string, now: number): { token: ApiToken; touch: boolean } | null {
    if (!this.tables.exists()) return null;
    const row = this.sql.exec<Row>(`SELECT * FROM api_tokens WHERE id = ? AND revoked = 0`, id).toArray()[0];
    if (!row || !sameDigest(row.hash, hash)) return null;
    const last = row.last_used_at;
    return { token: toToken(row), touch: last === null || now - last >= LAST_USED_EVERY_MS };
  }

  markUsed(id: string, now: number): void {
    this.sql.exec(`UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND revoked = 0`, now, id);
  }
}
