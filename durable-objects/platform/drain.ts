/**
 * Drains an object's outbox into the mirrors: Postgres (history, via the Neon
 * driver) and the cache (invalidations). Rows drain in order; a transient
 * failure stops the drain so later rows wait behind it; a permanent failure
 * moves only that row to the dead letters.
 */
import type { Db } from '../../drizzle/db.ts';
import type { KeeptimeCache } from './mirrors/cache.ts';
import { isPermanent, isSchemaBehind, sqlState, writeBatch } from './mirrors/writers.ts';
import type { DeadLetter, Outbox, OutboxRow } from './outbox.ts';

export interface MirrorSinks {
  /** A fresh database handle for this drain, or null when no Postgres is configured (history is off). */
  openDb(): Db | null;
  cache: KeeptimeCache;
}

interface DrainOptions {
  batchSize?: number;
  /** Cache tags a row invalidates. */
  tagsFor(row: OutboxRow): string[];
  onDead(letter: DeadLetter): Promise<void> | void;
  /** Rows that reached the mirrors (for notifications). */
  onWritten?(rows: OutboxRow[]): Promise<void> | void;
  /**
   * Hands a row to the other objects it concerns (a room's owner list), after its Postgres write. It must be
   * idempotent: a throw fails the row like a failed write, so it is retried with backoff, in order.
   */
  deliver?(row: OutboxRow): Promise<void>;
  /**
   * Told when a row waits because the database is behind the code (a missing table or column: the deploy ran ahead
   * of its migration). The row is retried with backoff, not dead-lettered; an operator must run the migration.
   */
  onSchemaBehind?(row: OutboxRow, sqlstate: string): Promise<void> | void;
}

interface DrainResult {
  written: number;
  dead: number;
  /** When the head of the outbox is next due (rows drain in order), or null if it is empty. */
  nextAt: number | null;
}

/**
 * Drains what is due. The alarm and a kick (an RPC) can both call this while
 * the other awaits the network, and would then write and fail the same rows
 * twice (a row dead-lettered and reported twice): drains run one at a time.
 */
export function drainOutbox(
  outbox: Outbox,
  sinks: MirrorSinks,
  now: () => number,
  opts: DrainOptions,
): Promise<DrainResult> {
  return outbox.exclusive(() => drainDue(outbox, sinks, now, opts));
}

/**
 * A drain holds the outbox's exclusive lock, so no network call in it may wait forever: a Postgres connection cut
 * half-way (a network partition, a proxy that drops packets) would otherwise stall every later drain and kick of
 * this object. A write that times out counts as a transient failure; if it did land, its retry is absorbed by
 * `events` ON CONFLICT DO NOTHING and the version-guarded upserts.
 */
const WRITE_TIMEOUT_MS = 20_000;
const CLOSE_TIMEOUT_MS = 2_000;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => timer !== undefined && clearTimeout(timer));
}

async function drainDue(
  outbox: Outbox,
  sinks: MirrorSinks,
  now: () => number,
  opts: DrainOptions,
): Promise<DrainResult> {
  const batchSize = opts.batchSize ?? 100;
  const db = sinks.openDb();
  let written = 0;
  let dead = 0;
  try {
    for (let round = 0; round < 50; round++) {
      const t = now();
      const due = takeDue(outbox.head(batchSize), t);
      if (due.length === 0) break;
      const ok = (await writeAll(db, due)) && (await deliverAll(due, opts));
      if (ok) {
        outbox.done(due.map((r) => r.eventId));
        written += due.length;
        await sinks.cache.invalidate([...new Set(due.flatMap(opts.tagsFor))]);
        await opts.onWritten?.(due);
        continue;
      }
      // The batch failed: go row by row to find the culprit, keeping order.
      let stalled = false;
      for (const row of due) {
        try {
          if (db) await withTimeout(writeBatch(db, [row]), WRITE_TIMEOUT_MS, 'mirror write');
          if (opts.deliver) await withTimeout(opts.deliver(row), WRITE_TIMEOUT_MS, 'delivery');
          outbox.done([row.eventId]);
          written++;
          await sinks.cache.invalidate(opts.tagsFor(row));
          await opts.onWritten?.([row]);
        } catch (err) {
          const verdict = outbox.failed(row, errorText(err), now(), isPermanent(err));
          logDrainError(row, err, verdict);
          if (isSchemaBehind(err)) await alertSchemaBehind(row, err, verdict, opts);
          if (verdict === 'dead') {
            dead++;
            await opts.onDead({
              ...row,
              attempts: row.attempts + 1,
              lastError: errorText(err).slice(0, 500),
              deadAt: now(),
            });
            continue;
          }
          stalled = true;
          break;
        }
      }
      if (stalled) break;
    }
  } finally {
    if (db) await withTimeout(db.$client.end(), CLOSE_TIMEOUT_MS, 'pool close').catch(() => {});
  }
  return { written, dead, nextAt: outbox.nextDue() };
}

/** Rows from the head of the outbox up to the first one not yet due. */
function takeDue(rows: OutboxRow[], now: number): OutboxRow[] {
  const due: OutboxRow[] = [];
  for (const r of rows) {
    if (r.nextAttemptAt > now) break;
    due.push(r);
  }
  return due;
}

async function writeAll(db: Db | null, rows: OutboxRow[]): Promise<boolean> {
  if (!db) return true;
  try {
    await withTimeout(writeBatch(db, rows), WRITE_TIMEOUT_MS, 'mirror write');
    return true;
  } catch {
    return false;
  }
}

/** Delivers every row of a batch; false on the first failure (the rows are then retried one by one). */
async function deliverAll(rows: OutboxRow[], opts: DrainOptions): Promise<boolean> {
  if (!opts.deliver) return true;
  try {
    for (const row of rows) await withTimeout(opts.deliver(row), WRITE_TIMEOUT_MS, 'delivery');
    return true;
  } catch {
    return false;
  }
}

/**
 * `SQLSTATE: message` of the Postgres error. drizzle wraps it in a "Failed
 * query: <sql> params: <values>" error whose `cause` is the real one: that
 * text says nothing about why, and copies row data into logs and dead letters.
 */
function errorText(err: unknown): string {
  const e = err as { message?: string; code?: string; cause?: { message?: string; code?: string } } | null;
  const inner = e?.cause && typeof e.cause === 'object' && (e.cause.code || e.cause.message) ? e.cause : e;
  const code = inner?.code ?? e?.code;
  return `${code ? code + ': ' : ''}${inner?.message ?? String(err)}`;
}

/** A missing table or column: an error-level log naming the SQLSTATE, and the object's alert hook (Ops). */
async function alertSchemaBehind(row: OutboxRow, err: unknown, verdict: string, opts: DrainOptions): Promise<void> {
  const sqlstate = sqlState(err) as string;
  console.error(
    JSON.stringify({
      level: 'error',
      msg: 'mirror schema behind the code: run the migration',
      sqlstate,
      eventId: row.eventId,
      kind: row.kind,
      attempts: row.attempts + 1,
      verdict,
      error: errorText(err).slice(0, 300),
    }),
  );
  try {
    await opts.onSchemaBehind?.(row, sqlstate);
  } catch {
    // The alert is best effort: the row's retry must not depend on it.
  }
}

function logDrainError(row: OutboxRow, err: unknown, verdict: string) {
  console.warn(
    JSON.stringify({
      level: 'warn',
      msg: 'outbox drain failed',
      eventId: row.eventId,
      kind: row.kind,
      attempts: row.attempts + 1,
      verdict,
      error: errorText(err).slice(0, 300),
    }),
  );
}
