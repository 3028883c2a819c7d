/**
 * Starts the local stand-ins for the mirrors, for `npm run dev` and e2e runs:
 * - Postgres: embedded PGlite under `<dataDir>/pg`, unless a database URL is given;
 * - the WebSocket→TCP relay the Neon driver goes through;
 * - the migrations;
 * - the Upstash REST adapter, when a Redis answers (REDIS_URL, or 127.0.0.1:6379). Otherwise caching is off.
 *
 * CLI: node scripts/local/services.mjs   (prints the Worker's env vars, stops on Ctrl-C)
 */
import { createClient } from '@redis/client';
import { isMain, postgresTarget, waitForSignal } from './cli.mjs';
import { migrateDatabase } from './migrate.mjs';
import { startNeonRelay } from './neon-relay.mjs';
import { startPgliteServer } from './pglite-server.mjs';
import { startUpstashAdapter } from './upstash-adapter.mjs';

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * @typedef {object} LocalServicesOptions
 * @property {string} [dataDir] Where PGlite keeps its data (`<dataDir>/pg`; default `.data`).
 * @property {string} [databaseUrl] Use this Postgres instead of PGlite.
 * @property {string | false} [redisUrl] The Redis to cache in (default: 127.0.0.1:6379, if it answers); `false` turns caching off.
 * @property {(line: string) => void} [log] Where to print what was started (default console.log).
 */

/**
 * @typedef {object} WorkerEnv The variables the Worker needs to reach the mirrors.
 * @property {string} DATABASE_URL
 * @property {string} NEON_LOCAL_RELAY `host:port` of the relay; the Worker sets the Neon driver's wsProxy from it.
 * @property {string} [UPSTASH_REDIS_REST_URL] Set only when caching is on.
 * @property {string} [UPSTASH_REDIS_REST_TOKEN] Set only when caching is on.
 */

/**
 * The options the environment asks for: DATABASE_URL (a Postgres instead of
 * PGlite) and REDIS_URL. Kept apart so that startLocalServices never reads
 * process.env behind its caller's back.
 * @param {Record<string, string | undefined>} [env]
 * @returns {Pick<LocalServicesOptions, 'databaseUrl' | 'redisUrl'>}
 */
export function servicesOptionsFromEnv(env = process.env) {
  return { databaseUrl: env.DATABASE_URL || undefined, redisUrl: env.REDIS_URL || undefined };
}

/**
 * Starts everything; on a failure, stops what had started and rethrows.
 * Typical use: `startLocalServices({ dataDir: '.data', ...servicesOptionsFromEnv() })`.
 * @param {LocalServicesOptions} [options]
 * @returns {Promise<{ env: WorkerEnv, caching: boolean, stop: () => Promise<void> }>}
 */
export async function startLocalServices({ dataDir = '.data', databaseUrl, redisUrl, log = console.log } = {}) {
  /** @type {Array<() => Promise<void>>} */
  const stops = [];
  const stop = async () => {
    while (stops.length)
      await stops
        .pop()?.()
        .catch(() => {});
  };
  try {
    let url = databaseUrl;
    if (url) {
      log(`  postgres   ${redact(url)}`);
    } else {
      const pg = await startPgliteServer({ dataDir: `${dataDir}/pg`, maxConnections: 32 });
      stops.push(pg.close);
      url = pg.url;
      log(`  postgres   embedded PGlite, ${dataDir}/pg, on 127.0.0.1:${pg.port}`);
    }
    const target = postgresTarget(url);
    const relay = await startNeonRelay({ pgHost: target.host, pgPort: target.port });
    stops.push(relay.close);
    log(`  neon relay ws://${relay.address}/ → ${target.host}:${target.port}`);
    await migrateDatabase({ databaseUrl: url, relay: relay.address, log: (line) => log(`  ${line}`) });

    /** @type {WorkerEnv} */
    const env = { DATABASE_URL: url, NEON_LOCAL_RELAY: relay.address };
    const redis = redisUrl === false ? null : (redisUrl ?? DEFAULT_REDIS_URL);
    let caching = false;
    if (!redis) {
      log('  caching    off (disabled)');
    } else if (!(await redisAnswers(redis))) {
      log(`  caching    off: no Redis answers at ${redact(redis)}`);
    } else {
      const adapter = await startUpstashAdapter({ redisUrl: redis });
      stops.push(adapter.close);
      env.UPSTASH_REDIS_REST_URL = adapter.url;
      env.UPSTASH_REDIS_REST_TOKEN = adapter.token;
      caching = true;
      log(`  caching    on: upstash adapter ${adapter.url} → ${redact(redis)}`);
    }
    return { env, caching, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * True if a Redis at `url` answers PING within half a second.
 * @param {string} url
 */
export async function redisAnswers(url) {
  const client = createClient({ url, socket: { connectTimeout: 500, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

/** The URL without its password, for logs. @param {string} url */
function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

if (isMain(import.meta.url)) {
  console.log('local services:');
  const services = await startLocalServices({ dataDir: '.data', ...servicesOptionsFromEnv() });
  for (const [k, v] of Object.entries(services.env)) console.log(`${k}=${v}`);
  await waitForSignal();
  await services.stop();
}
