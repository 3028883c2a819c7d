import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Paths below are relative to the repository root. */
const root = fileURLToPath(new URL('../..', import.meta.url));

/** Pure core tests: plain Node, explicit clocks. */
export default defineConfig({
  root,
  test: {
    name: 'core',
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
