/**
 * A deploy that runs ahead of its migration: Postgres answers 42P01 (undefined_table) or 42703 (undefined_column).
 * Those rows wait with backoff and raise an alert; they are not dead-lettered. Bad data stays permanent.
 */
import { runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../../drizzle/db.ts';
import { drainOutbox } from '../../../durable-objects/platform/drain.ts';
import { noCache } from '../../../durable-objects/platform/mirrors/cache.ts';
import {
  PermanentMirrorError,
  isPermanent,
  isSchemaBehind,
} from '../../../durable-objects/platform/mirrors/writers.ts';
import { Outbox } from '../../../durable-objects/platform/outbox.ts';
import { roomStub } from '../../support/stubs.ts';

/** A Postgres error as the Neon driver raises it, wrapped by drizzle the way a failed query is. */
const pgError = (code: string) =>
  Object.assign(new Error('Failed query: insert into "events" ...'), {
    cause: Object.assign(new Error(`relation or column missing (${code})`), { code }),
  });

/** A database whose every transaction fails with `err`. */
const failingDb = (err: unknown) =>
  ({
    transaction: async () => {
      throw err;
    },
    $client: { end: async () => {} },
  }) as unknown as Db;

afterEach(() => vi.restoreAllMocks());

describe('isPermanent', () => {
  it.each([
    ['42P01', false],
    ['42703', false],
    ['08006', false],
    ['57P01', false],
    ['40001', false],
    ['23505', true],
    ['23502', true],
    ['22P02', true],
    ['42601', true],
    ['42804', true],
  ])('SQLSTATE %s is permanent: %s', (code, permanent) => {
    expect(isPermanent(pgError(code))).toBe(permanent);
    expect(isPermanent(Object.assign(new Error('x'), { code }))).toBe(permanent);
  });

  it('a missing table or column is "schema behind"; others, and errors without a code, are not', () => {
    expect(isSchemaBehind(pgError('42P01'))).toBe(true);
    expect(isSchemaBehind(pgError('42703'))).toBe(true);
    expect(isSchemaBehind(pgError('23505'))).toBe(false);
    expect(isSchemaBehind(new Error('socket hang up'))).toBe(false);
    expect(isPermanent(new Error('socket hang up'))).toBe(false);
    expect(isPermanent(new PermanentMirrorError('bad row'))).toBe(true);
  });
});

describe('the drain', () => {
  for (const code of ['42P01', '42703'])
    it(`retries a row that meets ${code} with backoff, logs an error naming the SQLSTATE and alerts`, async () => {
      const logged: string[] = [];
      vi.spyOn(console, 'error').mockImplementation((line: unknown) => void logged.push(String(line)));
      vi.spyOn(console, 'warn').mockImplementation(() => {});
      const alerts: string[] = [];
      const result = await runInDurableObject(roomStub(`schema-${code}-${crypto.randomUUID()}`), async (_o, state) => {
        const outbox = new Outbox(state.storage);
        const now = Date.now();
        outbox.append('room.command', { roomId: 'r', version: 1, at: now }, now);
        const drained = await drainOutbox(
          outbox,
          { openDb: () => failingDb(pgError(code)), cache: noCache },
          () => now,
          {
            tagsFor: () => [],
            onDead: () => {
              throw new Error('must not dead-letter');
            },
            onSchemaBehind: (_row, sqlstate) => void alerts.push(sqlstate),
          },
        );
        return { drained, depth: outbox.depth(now), head: outbox.head(1)[0], now };
      });
      expect(result.drained).toMatchObject({ written: 0, dead: 0 });
      expect(result.depth).toMatchObject({ pending: 1, dead: 0 });
      expect(result.head?.attempts).toBe(1);
      expect(result.head?.nextAttemptAt).toBeGreaterThan(result.now);
      expect(alerts).toEqual([code]);
      const alert = logged.map((l) => JSON.parse(l)).find((l) => l.sqlstate === code);
      expect(alert).toMatchObject({ level: 'error', sqlstate: code, verdict: 'retry' });
    });

  it('still dead-letters a row Postgres refuses for its data (23502)', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const result = await runInDurableObject(roomStub(`schema-23502-${crypto.randomUUID()}`), async (_o, state) => {
      const outbox = new Outbox(state.storage);
      const now = Date.now();
      outbox.append('room.command', { roomId: 'r', version: 1, at: now }, now);
      const dead: string[] = [];
      const drained = await drainOutbox(
        outbox,
        { openDb: () => failingDb(pgError('23502')), cache: noCache },
        () => now,
        {
          tagsFor: () => [],
          onDead: (l) => void dead.push(l.eventId),
        },
      );
      return { drained, dead, depth: outbox.depth(now) };
    });
    expect(result.drained).toMatchObject({ written: 0, dead: 1 });
    expect(result.dead).toHaveLength(1);
    expect(result.depth).toMatchObject({ pending: 0, dead: 1 });
  });
});
