import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Paths below are relative to the repository root. */
const root = fileURLToPath(new URL('../..', import.meta.url));
import { scaled } from '../support/time-scale.ts';

/**
 * Integration tests in Node with the real clients: drizzle + @neondatabase/serverless
 * through the local relay to Postgres (TEST_DATABASE_URL, else PGlite), and
 * @upstash/redis through the local adapter to a private redis-server.
 */
export default defineConfig({
  root,
  test: {
    name: 'integration',
    include: ['test/integration/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Quiet-machine figures × TEST_TIME_SCALE (default 3), so a loaded 2-core machine passes too.
    testTimeout: scaled(30_000),
    hookTimeout: scaled(60_000),
  },
});
