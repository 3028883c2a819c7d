import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { DEV_VARS } from '../../scripts/dev-vars.mjs';

/** Paths below are relative to the repository root. */
const root = fileURLToPath(new URL('../..', import.meta.url));
import { scaled } from '../support/time-scale.ts';

/**
 * Resilience tests that run inside workerd: lock safety at scale, alarms that
 * throw, the schema fuzzer over every route and WebSocket message, size limits
 * and the route × role authorisation matrix. Part of `npm run test:resilience`.
 */
export default defineConfig({
  root,
  plugins: [
    cloudflareTest({
      wrangler: { configPath: `${root}/wrangler.toml` },
      // TEST_HOOKS: the alarm fault hooks (durable-objects/platform/test-hooks.ts).
      miniflare: { bindings: { ...DEV_VARS, AUTH_RATE_PER_MIN: '100000', TEST_HOOKS: '1' } },
    }),
  ],
  test: {
    name: 'resilience-workers',
    include: ['test/resilience/workers/**/*.test.ts'],
    // Quiet-machine figures × TEST_TIME_SCALE (default 3): the fuzzers' input counts stay, their time stretches.
    testTimeout: scaled(240_000),
    hookTimeout: scaled(30_000),
    onConsoleLog: (log) => !log.includes('"level":"info","msg":"request"'),
  },
});
