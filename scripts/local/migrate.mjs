/**
 * Applies drizzle/migrations to whatever DATABASE_URL points at, with
 * drizzle's migrator over the Neon serverless driver (the same driver the
 * Worker uses). A Neon URL (`*.neon.tech`) is reached directly; any other
 * Postgres (a local or CI server, the PGlite socket server) through a relay
 * started for the run, or through NEON_LOCAL_RELAY if set.
 * Applied migrations are recorded in drizzle.__drizzle_migrations.
 *
 * CLI (`npm run db:migrate`): DATABASE_URL=postgres://… node scripts/local/migrate.mjs
 */
import { fileURLToPath } from 'node:url';
import { Client, Pool } from '@neondatabase/serverless';
import { drizzle } from 'drizzle-orm/neon-serverless';
import { migrate } from 'drizzle-orm/neon-serverless/migrator';
import ws from 'ws';
import { isMain, isNeonHost, postgresTarget, tcpReachable } from './cli.mjs';
import { startNeonRelay } from './neon-relay.mjs';

/** drizzle/migrations, wherever the command is run from. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle/migrations', import.meta.url));

/**
 * A Node-side Neon Pool: `ws` for WebSockets and, given a relay address, the
 * local relay settings on each client (as drizzle/db.ts does in the Worker).
 * @param {string} databaseUrl
 * @param {string} [relayAddress] `host:port` of a neon relay
 * @returns {Pool}
 */
export function createNodePool(databaseUrl, relayAddress) {
  class NodeClient extends Client {
    /** @param {any} config */
    constructor(config) {
      super(config);
      const c = this.neonConfig;
      c.webSocketConstructor = ws;
      if (relayAddress) {
        c.wsProxy = () => `${relayAddress}/`;
        c.useSecureWebSocket = false;
        c.pipelineTLS = false;
        c.pipelineConnect = false;
      }
    }
  }
  class NodePool extends Pool {
    /** @override */
    Client = NodeClient;
  }
  return new NodePool({ connectionString: databaseUrl, max: 2 });
}

/**
 * Applies every pending migration.
 * @param {{ databaseUrl: string, relay?: string, log?: (line: string) => void }} options
 *   `relay`: an already running relay (`host:port`) to go through.
 * @returns {Promise<{ applied: number, total: number }>} migrations applied now, and applied in all
 */
export async function migrateDatabase({ databaseUrl, relay, log = () => {} }) {
  const target = postgresTarget(databaseUrl);
  const needsRelay = !relay && !isNeonHost(target.host);
  // Through a relay an unreachable server only shows as "Connection terminated unexpectedly": say it plainly.
  if (needsRelay && !(await tcpReachable(target.host, target.port)))
    throw new Error(`no Postgres answers at ${target.host}:${target.port}`);
  const ownRelay = needsRelay ? await startNeonRelay({ pgHost: target.host, pgPort: target.port }) : null;
  const pool = createNodePool(databaseUrl, relay ?? ownRelay?.address);
  try {
    const before = await countApplied(pool);
    await migrate(drizzle({ client: pool }), { migrationsFolder: MIGRATIONS_FOLDER });
    const total = await countApplied(pool);
    log(
      `migrations: ${total - before} applied, ${total} in all (${target.host}:${target.port}${new URL(databaseUrl).pathname})`,
    );
    return { applied: total - before, total };
  } finally {
    await pool.end();
    await ownRelay?.close();
  }
}

/** @param {Pool} pool */
async function countApplied(pool) {
  const { rows } = await pool.query(`select to_regclass('drizzle.__drizzle_migrations') is not null as present`);
  if (!rows[0]?.present) return 0;
  const counted = await pool.query('select count(*)::int as n from drizzle.__drizzle_migrations');
  return counted.rows[0].n;
}

if (isMain(import.meta.url)) {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error('DATABASE_URL is not set. `npm run dev` applies migrations to its embedded database by itself.');
    process.exit(2);
  }
  try {
    await migrateDatabase({ databaseUrl, relay: process.env.NEON_LOCAL_RELAY || undefined, log: console.log });
  } catch (err) {
    console.error('migration failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
