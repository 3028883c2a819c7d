import { LazyTables } from './lazy-tables.ts';

/** Small JSON key/value table in a DO's SQLite storage, read and written synchronously; created on the first put. */
export class JsonStore {
  private readonly table: LazyTables;
  constructor(private readonly storage: DurableObjectStorage) {
    this.table = new LazyTables(storage.sql, 'kv', [
      `CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)`,
    ]);
  }

  get<T>(key: string): T | null {
    if (!this.table.exists()) return null;
    const row = this.storage.sql.exec<{ v: string }>(`SELECT v FROM kv WHERE k = ?`, key).toArray()[0];
    return row ? (JSON.parse(row.v) as T) : null;
  }

  put(key: string, value: unknown): void {
    this.table.ensure();
    this.storage.sql.exec(
      `INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v`,
      key,
      JSON.stringify(value),
    );
  }

  delete(key: string): void {
    if (!this.table.exists()) return;
    this.storage.sql.exec(`DELETE FROM kv WHERE k = ?`, key);
  }
}
