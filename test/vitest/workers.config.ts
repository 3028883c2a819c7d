import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { DEV_VARS } from '../../scripts/dev-vars.mjs';

/** Paths below are relative to the repository root. */
const root = fileURLToPath(new URL('../..', import.meta.url));

/** Durable Object and route tests, inside workerd. */
export default defineConfig({
  root,
  plugins: [
    cloudflareTest({
      wrangler: { configPath: `${root}/wrangler.toml` },
      miniflare: {
        // A small budget, so the 429 test needs few (slow, PBKDF2) attempts. Every other
        // test signs up from its own CF-Connecting-IP with its own email, so it never meets it.
        // TEST_HOOKS: the test-only hooks of durable-objects/platform/test-hooks.ts.
        // DEV_VARS: development is stated here (wrangler.toml's absence of ENVIRONMENT means production).
        bindings: { ...DEV_VARS, AUTH_RATE_PER_MIN: '10', TEST_HOOKS: '1' },
      },
    }),
  ],
  test: {
    name: 'workers',
    include: ['test/workers/**/*.test.ts'],
    // A real HTTP receiver on loopback for the webhook tests.
    globalSetup: ['test/support/webhook-receiver-setup.ts'],
    testTimeout: 20_000,
    // One JSON line per request is useful in production and noise here; warnings and errors still show.
    onConsoleLog: (log) => !log.includes('"level":"info","msg":"request"'),
  },
});
