/**
 * Postgres as the e2e Worker sees it (PGlite, or E2E_DATABASE_URL), reached
 * from the test through the same Neon driver and relay: for checking mirrored
 * rows, and for breaking the database on purpose.
 */
import type { TestInfo } from '@playwright/test';
import ws from 'ws';
import { type Db, createDb } from '../drizzle/db.ts';
import { readRuntime } from './runtime.mjs';

/** Opens a pool on the run's database (call `db.$client.end()` when done). */
export function openTestDb(testInfo: TestInfo): Db {
  const baseURL = testInfo.project.use.baseURL;
  if (!baseURL) throw new Error('no baseURL: which e2e server is this?');
  const { databaseUrl, relay } = readRuntime(new URL(baseURL).port);
  return createDb({ databaseUrl, localRelay: relay, webSocketConstructor: ws, max: 2 });
}

/** Runs one statement; returns its rows. */
export async function query<T extends Record<string, unknown>>(
  db: Db,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const res = await db.$client.query(text, params);
  return res.rows as T[];
}
