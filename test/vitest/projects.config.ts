import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Paths below are relative to the repository root. */
const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The inner loop: core (Node) and workers (workerd) as one vitest run. `npm run test:watch` watches both; one file
 * from either runs with `npx vitest run --config test/vitest/projects.config.ts <path or name filter>`.
 */
export default defineConfig({
  root,
  test: {
    // `extends`, not bare paths: vitest takes a bare path only if the file is named vitest.*.config.*.
    projects: [
      { extends: './test/vitest/core.config.ts', test: { name: 'core' } },
      { extends: './test/vitest/workers.config.ts', test: { name: 'workers' } },
    ],
  },
});
