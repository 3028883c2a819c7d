import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Paths below are relative to the repository root. */
const root = fileURLToPath(new URL('../..', import.meta.url));
import { scaled } from '../support/time-scale.ts';

/**
 * Resilience tests against a real `wrangler dev` with real Postgres and Redis
 * behind it: the reconnect storm (kill and restart the worker under 2,000
 * viewers) and the all-domain outage. Files run one at a time; each holds a workerd.
 */
export default defineConfig({
  root,
  test: {
    name: 'resilience-live',
    include: ['test/resilience/live/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    // Quiet-machine figures × TEST_TIME_SCALE (default 3), so a loaded 2-core machine passes too.
    testTimeout: scaled(300_000),
    hookTimeout: scaled(120_000),
    retry: 0,
  },
});
