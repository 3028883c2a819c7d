/**
 * What every capability's Postgres writer shares: the transaction type, the
 * drizzle-zod row check (a row that can never be written is a permanent error,
 * so it goes to the dead letters instead of being retried) and date helpers.
 */
import type { Db } from '../../../drizzle/db.ts';
import { insertIssues, insertSchemas } from '../../../drizzle/validators.ts';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** An error that retrying cannot fix: the row goes straight to the dead letters. */
export class PermanentMirrorError extends Error {}

/** Validates a row against its table's insert schema; a row that can never be written is a permanent error. */
export function checked<T>(table: keyof typeof insertSchemas, values: T): T {
  const issues = insertIssues(insertSchemas[table], values);
  if (issues) throw new PermanentMirrorError(`invalid ${table} row: ${issues}`);
  return values;
}

/** An instant as a Date, keeping null (and absent) as null. */
export const dateOrNull = (ms: number | null | undefined): Date | null =>
  ms === null || ms === undefined ? null : new Date(ms);
