import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Paths below are relative to the repository root. */
const root = fileURLToPath(new URL('../..', import.meta.url));
import { scaled } from '../support/time-scale.ts';

/**
 * Fault and cache tests of the mirrors, end to end: each file runs its own
 * `wrangler dev` against its own Postgres (PGlite, or a fresh database on
 * TEST_DATABASE_URL), Neon relay, redis-server and Upstash adapter, and stops
 * and restarts them under load. Files run one at a time: each holds a workerd.
 */
export default defineConfig({
  root,
  test: {
    name: 'mirrors',
    include: ['test/mirrors/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    // Quiet-machine figures × TEST_TIME_SCALE (default 3), so a loaded 2-core machine passes too.
    testTimeout: scaled(120_000),
    hookTimeout: scaled(120_000),
    retry: 0,
  },
});
