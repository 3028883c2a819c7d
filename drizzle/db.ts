/**
 * The Postgres connection used by the Worker and the Durable Objects:
 * drizzle over the Neon serverless driver's WebSocket `Pool`.
 * Runs in workerd (the global WebSocket) and in Node (pass `ws`).
 */
import { Client, Pool } from '@neondatabase/serverless';
import { type NeonDatabase, drizzle } from 'drizzle-orm/neon-serverless';
import * as schema from './schema.ts';

/** A hung Postgres must not hold a drain (or a request) forever. */
const CONNECT_TIMEOUT_MS = 5_000;

type Schema = typeof schema;
/** A drizzle database with the Keeptime schema; `db.$client` is the Pool (call `end()` when done). */
export type Db = NeonDatabase<Schema> & { $client: Pool };

interface CreateDbOptions {
  /** postgres:// URL. With a local relay, its host is ignored: the relay decides where to connect. */
  databaseUrl: string;
  /** `host:port` of the local WebSocket→TCP relay (NEON_LOCAL_RELAY). Dev and tests only; unset in production. */
  localRelay?: string;
  /** WebSocket class, for runtimes without a suitable global one (Node tests pass `ws`). */
  webSocketConstructor?: unknown;
  /** Most connections the pool opens (default 4). */
  max?: number;
}

/**
 * Creates a drizzle instance over a fresh Neon `Pool`.
 * The relay settings are applied per client, never to the global
 * `neonConfig`, so one isolate can hold production and local pools alike.
 * In a Worker or DO, create it for a unit of work (an outbox drain, a
 * request) and `await db.$client.end()` afterwards.
 */
export function createDb(options: CreateDbOptions): Db {
  const { databaseUrl, localRelay, webSocketConstructor, max = 4 } = options;
  const pool =
    localRelay || webSocketConstructor
      ? new (configuredPool(localRelay, webSocketConstructor))({
          connectionString: databaseUrl,
          max,
          connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        })
      : new Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // Idle clients drop when a Worker request ends; without a listener that surfaces as an uncaught error.
  pool.on('error', () => {});
  return drizzle({ client: pool, schema }) as Db;
}

/** A Pool whose clients carry the relay settings on their own `neonConfig`. */
function configuredPool(localRelay: string | undefined, webSocketConstructor: unknown): typeof Pool {
  class ConfiguredClient extends Client {
    constructor(config?: ConstructorParameters<typeof Client>[0]) {
      super(config);
      const c = this.neonConfig;
      if (webSocketConstructor) c.webSocketConstructor = webSocketConstructor as typeof c.webSocketConstructor;
      if (localRelay) {
        c.wsProxy = () => `${localRelay}/`;
        c.useSecureWebSocket = false;
        c.pipelineTLS = false;
        c.pipelineConnect = false;
      }
    }
  }
  return class ConfiguredPool extends Pool {
    override Client = ConfiguredClient;
  };
}
