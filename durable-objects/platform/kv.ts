/** Small JSON key/value table in a DO's SQLite storage, read and written synchronously. */
export class JsonStore {
  constructor(private readonly storage: DurableObjectStorage) {
    storage.sql.exec(`CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)`);
  }

  get<T>(key: string): T | null {
    const row = this.storage.sql.exec<{ v: string }>(`SELECT v FROM kv WHERE k = ?`, key).toArray()[0];
    return row ? (JSON.parse(row.v) as T) : null;
  }

  put(key: string, value: unknown): void {
    this.storage.sql.exec(
      `INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v`,
      key,
      JSON.stringify(value),
    );
  }

  delete(key: string): void {
    this.storage.sql.exec(`DELETE FROM kv WHERE k = ?`, key);
  }
}
