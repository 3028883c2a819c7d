/**
 * Tables created on the first write. An object that was only read (a look-up of an unknown room, user or rack)
 * then stores nothing at all: a Durable Object that never wrote has no storage. Reads ask `exists()` and answer
 * empty without touching the schema; writes call `ensure()` first.
 */
export class LazyTables {
  private ready = false;

  /** `probe` is one of the tables `ddl` creates: its presence means all of them exist. */
  constructor(
    private readonly sql: SqlStorage,
    private readonly probe: string,
    private readonly ddl: readonly string[],
  ) {}

  /** Whether the tables exist (once seen, remembered for the instance's life). */
  exists(): boolean {
    if (!this.ready)
      this.ready =
        this.sql.exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`, this.probe).toArray().length > 0;
    return this.ready;
  }

  /** Creates the tables if they are missing. Call before a write (inside its transaction is fine). */
  ensure(): void {
    if (this.exists()) return;
    for (const statement of this.ddl) this.sql.exec(statement);
    // Not remembered here: if the surrounding transaction rolls back, the next exists() looks again.
  }
}
