import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

/**
 * Resilience tests that run inside workerd: lock safety at scale, alarms that
 * throw, the schema fuzzer over every route and WebSocket message, size limits
 * and the route × role authorisation matrix. Part of `npm run test:resilience`.
 */
export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: { bindings: { AUTH_RATE_PER_MIN: '100000' } },
    }),
  ],
  test: {
    include: ['test/resilience/workers/**/*.test.ts'],
    testTimeout: 240_000,
    onConsoleLog: (log) => !log.includes('"level":"info","msg":"request"'),
  },
});
