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
      // WS_FRAMES_PER_SEC / WS_FRAME_BURST: the socket fuzzer sends thousands of frames per socket in batches of 100;
      // it checks each frame's answer, not the frame budget (test/workers/platform/limits.test.ts does).
      miniflare: {
        bindings: {
          ...DEV_VARS,
          AUTH_RATE_PER_MIN: '100000',
          TEST_HOOKS: '1',
          WS_FRAMES_PER_SEC: '100000',
          WS_FRAME_BURST: '100000',
        },
      },
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
