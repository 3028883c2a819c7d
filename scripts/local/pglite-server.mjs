/**
 * Embedded Postgres for local development and tests: PGlite (Postgres in
 * WASM) served over the Postgres wire protocol by @electric-sql/pglite-socket.
 * Several client connections are multiplexed onto the one PGlite backend.
 *
 * CLI: node scripts/local/pglite-server.mjs [--db .data/pg] [--port 5433] [-m 8]
 */
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { isMain, waitForSignal } from './cli.mjs';

/**
 * @typedef {object} PgliteServerOptions
 * @property {string} [dataDir] Data directory (default `.data/pg`); `memory://` for a throwaway database.
 * @property {number} [port] Port to listen on (default 0: any free port).
 * @property {string} [host] Interface to listen on (default 127.0.0.1).
 * @property {number} [maxConnections] Concurrent client connections (default 8).
 */

/**
 * @typedef {object} PgliteServer
 * @property {number} port The port it listens on.
 * @property {string} url A postgres:// URL for it (user, password and database name are not checked).
 * @property {PGlite} db The PGlite instance, for in-process use.
 * @property {() => { activeConnections: number, queuedQueries: number, maxConnections: number }} stats Connection and queue counts.
 * @property {() => Promise<void>} close Stops the server and closes the database.
 */

/**
 * Starts PGlite and its socket server.
 * @param {PgliteServerOptions} [options]
 * @returns {Promise<PgliteServer>}
 */
export async function startPgliteServer({
  dataDir = '.data/pg',
  port = 0,
  host = '127.0.0.1',
  maxConnections = 8,
} = {}) {
  if (!dataDir.includes('://')) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  // Beyond maxConnections the server refuses new clients ("Too many connections") instead of queueing them:
  // keep every pool's `max` (summed over live pools) below it.
  const server = new PGLiteSocketServer({ db, port, host, maxConnections });
  try {
    await server.start();
  } catch (err) {
    await db.close();
    throw err;
  }
  // getServerConn() is "host:port" with the port actually bound.
  const bound = Number(server.getServerConn().split(':').pop());
  return {
    port: bound,
    url: `postgres://postgres:postgres@${host}:${bound}/postgres`,
    db,
    stats: () => server.getStats(),
    close: async () => {
      await server.stop();
      await db.close();
    },
  };
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      db: { type: 'string', default: '.data/pg' },
      port: { type: 'string', default: '5433' },
      'max-connections': { type: 'string', short: 'm', default: '8' },
    },
  });
  const pg = await startPgliteServer({
    dataDir: values.db,
    port: Number(values.port),
    maxConnections: Number(values['max-connections']),
  });
  console.log(`pglite: ${values.db} on ${pg.url}`);
  await waitForSignal();
  await pg.close();
}
