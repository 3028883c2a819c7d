/**
 * drizzle-kit configuration. Run from the repository root:
 * `drizzle-kit generate --config drizzle/drizzle.config.ts`.
 * Migrations are applied by `scripts/local/migrate.mjs`, not by drizzle-kit.
 */
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './drizzle/schema.ts',
  out: './drizzle/migrations',
  strict: true,
  verbose: true,
  // Only for `drizzle-kit studio` / `check` against a running database.
  ...(process.env.DATABASE_URL ? { dbCredentials: { url: process.env.DATABASE_URL } } : {}),
});
