import { defineConfig } from 'vitest/config';

/** Pure core tests: plain Node, explicit clocks. */
export default defineConfig({
  test: {
    include: [
      'core/**/*.test.ts',
      'site/src/**/*.test.ts',
      'scripts/**/*.test.ts',
      'drizzle/**/*.test.ts',
      'worker/lib/**/*.test.ts',
      'durable-objects/platform/coalescer.test.ts',
    ],
    environment: 'node',
  },
});
