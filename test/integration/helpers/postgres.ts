/**
 * An isolated Postgres for one test file, reached like production through the
 * Neon relay. With TEST_DATABASE_URL (a PostgreSQL server), a fresh database
 * is created for the run and dropped afterwards; otherwise an in-memory PGlite.
 */
import { randomBytes } from 'node:crypto';
import { createNodePool } from '../../../scripts/local/migrate.mjs';
import { startNeonRelay } from '../../../scripts/local/neon-relay.mjs';
import { startPgliteServer } from '../../../scripts/local/pglite-server.mjs';
import { postgresTarget } from '../../../scripts/local/cli.mjs';

export interface TestPostgres {
  kind: 'postgres' | 'pglite';
  /** URL of the database for this run. */
  databaseUrl: string;
  /** `host:port` of a relay to it (NEON_LOCAL_RELAY). */
  relay: string;
  stop: () => Promise<void>;
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const pg = await startPgliteServer({ dataDir: 'memory://', maxConnections: 16 });
    const relay = await startNeonRelay({ pgPort: pg.port });
    return {
      kind: 'pglite',
      databaseUrl: pg.url,
      relay: relay.address,
      stop: async () => {
        await relay.close();
        await pg.close();
      },
    };
  }
  const target = postgresTarget(serverUrl);
  const relay = await startNeonRelay({ pgHost: target.host, pgPort: target.port });
  const name = `keeptime_it_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = createNodePool(serverUrl, relay.address);
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    databaseUrl: url.toString(),
    relay: relay.address,
    stop: async () => {
      const pool = createNodePool(serverUrl, relay.address);
      try {
        await pool.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await pool.end();
        await relay.close();
      }
    },
  };
}
