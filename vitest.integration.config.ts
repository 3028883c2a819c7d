import { defineConfig } from 'vitest/config';

/**
 * Integration tests in Node with the real clients: drizzle + @neondatabase/serverless
 * through the local relay to Postgres (TEST_DATABASE_URL, else PGlite), and
 * @upstash/redis through the local adapter to a private redis-server.
 */
export default defineConfig({
  test: {
    include: ['test/integration/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
