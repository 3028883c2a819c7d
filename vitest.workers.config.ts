import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

/** Durable Object and route tests, inside workerd. */
export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        // Tests create many accounts from one address: the limiter is exercised by its own test with its own keys.
        bindings: { AUTH_RATE_PER_MIN: '1000' },
      },
    }),
  ],
  test: {
    include: ['test/workers/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
