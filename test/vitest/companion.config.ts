import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { scaled } from '../support/time-scale.ts';

/** Paths below are relative to the repository root. */
const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The Bitfocus Companion module (integrations/companion): its pure parts in plain Node, then the module class
 * with a fake Companion host against a real `wrangler dev` (test/integrations/companion). One file at a time.
 */
export default defineConfig({
  root,
  test: {
    name: 'companion',
    include: ['integrations/companion/**/*.test.ts', 'test/integrations/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: scaled(60_000),
    hookTimeout: scaled(120_000),
  },
});
