/**
 * One alarm, many schedules: a small table of (kind, key, due) rows. The DO's
 * single alarm is always set to the earliest row.
 */
import { LazyTables } from './lazy-tables.ts';

export interface ScheduleRow {
  kind: string;
  key: string;
  due: number;
}

/**
 * The furthest an alarm is ever set: 30 days ahead. Rows may be due much later (a scheduled start
 * years away; the runtime refuses alarms past 2189); the alarm then wakes early, runs nothing, and re-arms.
 */
export const MAX_ALARM_AHEAD_MS = 30 * 24 * 3_600_000;

export class Schedule {
  /** Created on the first `set`: an object that was only read stores nothing. */
  private readonly table: LazyTables;
  /**
   * The alarm time this instance last set (null: it deleted the alarm), or undefined: not known, read it from the
   * runtime. Only this class sets the alarm, so the copy holds until the alarm runs (`forgetArmed`, called at the start
   * of every alarm and when one fails), the instance is evicted, or storage is wiped (both make a new Schedule).
   */
  private armed: number | null | undefined = undefined;
  constructor(private readonly storage: DurableObjectStorage) {
    this.table = new LazyTables(storage.sql, 'schedule', [
      `CREATE TABLE IF NOT EXISTS schedule (kind TEXT NOT NULL, key TEXT NOT NULL, due INTEGER NOT NULL, PRIMARY KEY (kind, key))`,
    ]);
  }

  /** Sets (or moves) one schedule row. */
  set(kind: string, key: string, due: number): void {
    this.table.ensure();
    this.storage.sql.exec(
      `INSERT INTO schedule (kind, key, due) VALUES (?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET due = excluded.due`,
      kind,
      key,
      Math.ceil(due),
    );
  }

  clear(kind: string, key: string): void {
    if (!this.table.exists()) return;
    this.storage.sql.exec(`DELETE FROM schedule WHERE kind = ? AND key = ?`, kind, key);
  }

  get(kind: string, key: string): number | null {
    if (!this.table.exists()) return null;
    const row = this.storage.sql
      .exec<{ due: number }>(`SELECT due FROM schedule WHERE kind = ? AND key = ?`, kind, key)
      .toArray()[0];
    return row ? row.due : null;
  }

  due(now: number): ScheduleRow[] {
    if (!this.table.exists()) return [];
    return this.storage.sql
      .exec<{ kind: string; key: string; due: number }>(
        `SELECT kind, key, due FROM schedule WHERE due <= ? ORDER BY due`,
        now,
      )
      .toArray();
  }

  earliest(): number | null {
    if (!this.table.exists()) return null;
    const row = this.storage.sql.exec<{ due: number | null }>(`SELECT MIN(due) AS due FROM schedule`).one();
    return row.due ?? null;
  }

  /** The runtime ran (or is running, or retries) the alarm: the next `arm` reads the alarm from the runtime again. */
  forgetArmed(): void {
    this.armed = undefined;
  }

  /** Points the DO's single alarm at the earliest row (or clears it); no storage call when it already points there. */
  async arm(now: number): Promise<void> {
    const next = this.earliest();
    if (next === null) {
      if (this.armed === null) return;
      this.armed = undefined;
      await this.storage.deleteAlarm();
      this.armed = null;
      return;
    }
    // setAlarm(now) inside alarm() can be dropped (workerd #6866): never aim at or before now.
    const at = Math.min(Math.max(next, now + 1), now + MAX_ALARM_AHEAD_MS);
    if (this.armed === at) return;
    const current = this.armed === undefined ? await this.storage.getAlarm() : this.armed;
    this.armed = undefined;
    if (current !== at) await this.storage.setAlarm(at);
    this.armed = at;
  }
}
