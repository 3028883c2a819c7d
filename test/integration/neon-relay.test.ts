/**
 * The relay in front of PGlite: a closed pool must release its server
 * connection (PGlite does not hang up on Terminate; the relay does), or a
 * Worker that opens a pool per outbox drain would exhaust PGlite's slots.
 */
import { sql } from 'drizzle-orm';
import ws from 'ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDb } from '../../drizzle/db.ts';
import { startNeonRelay } from '../../scripts/local/neon-relay.mjs';
import { startPgliteServer } from '../../scripts/local/pglite-server.mjs';
import { scaled } from '../support/time-scale.ts';

let pg: Awaited<ReturnType<typeof startPgliteServer>>;
let relay: Awaited<ReturnType<typeof startNeonRelay>>;

beforeAll(async () => {
  pg = await startPgliteServer({ dataDir: 'memory://', maxConnections: 4 });
  relay = await startNeonRelay({ pgPort: pg.port });
});

afterAll(async () => {
  await relay?.close();
  await pg?.close();
});

async function settled(check: () => boolean, timeoutMs = 2_000) {
  const deadline = Date.now() + scaled(timeoutMs);
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return check();
}

it('many short-lived pools in a row never run out of PGlite connections', async () => {
  for (let i = 0; i < 12; i++) {
    const db = createDb({ databaseUrl: pg.url, localRelay: relay.address, webSocketConstructor: ws, max: 2 });
    const { rows } = await db.execute<{ n: number }>(sql`select ${i}::int as n`);
    expect(rows[0]?.n).toBe(i);
    await db.$client.end();
    expect(await settled(() => pg.stats().activeConnections === 0)).toBe(true);
  }
});

it('parallel pools share the multiplexed backend without mixing answers', async () => {
  const run = async (k: number) => {
    const db = createDb({ databaseUrl: pg.url, localRelay: relay.address, webSocketConstructor: ws, max: 1 });
    try {
      const answers = await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          db.execute<{ a: number; b: string }>(sql`select ${k * 100 + i}::int as a, ${`p${k}-${i}`}::text as b`),
        ),
      );
      return answers.map((r) => r.rows[0]);
    } finally {
      await db.$client.end();
    }
  };
  const results = await Promise.all([0, 1, 2, 3].map(run));
  results.forEach((rows, k) =>
    expect(rows).toEqual(Array.from({ length: 25 }, (_, i) => ({ a: k * 100 + i, b: `p${k}-${i}` }))),
  );
  expect(await settled(() => pg.stats().activeConnections === 0)).toBe(true);
});

it('close() returns at once even while a client is half-way through its upgrade request', async () => {
  const other = await startNeonRelay({ pgPort: pg.port });
  const net = await import('node:net');
  const client = net.connect(other.port, '127.0.0.1');
  await new Promise((resolve) => client.once('connect', resolve));
  client.write('GET / HTTP/1.1\r\nHost: x\r\n'); // headers never finished
  await new Promise((r) => setTimeout(r, 100));
  // A hung close() never returns; one that returns at once takes milliseconds. The bound only tells the two apart.
  const bound = scaled(3_000);
  const started = Date.now();
  await Promise.race([
    other.close(),
    new Promise((_, reject) => setTimeout(() => reject(new Error('close() hung')), bound)),
  ]);
  const tookMs = Date.now() - started;
  console.log(`neon relay: close() with a half-upgraded client took ${tookMs} ms`);
  expect(tookMs).toBeLessThan(bound);
  client.destroy();
});
