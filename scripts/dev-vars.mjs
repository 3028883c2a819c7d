// The variables that state development, for every local `wrangler dev` and test runtime (never wrangler.toml, whose
// absence of ENVIRONMENT means production). `npm run dev`, the e2e server, the live test harness and the benchmarks
// pass them with `--var`; the vitest configs pass the same values as miniflare bindings.
export const DEV_VARS = {
  ENVIRONMENT: 'development',
  // Honoured only in development: the seeded demo admin.
  ADMIN_EMAILS: 'admin@keeptime.test',
  CORS_ORIGINS: 'http://localhost:4321,http://127.0.0.1:4321',
  // Honoured only in development: webhook endpoints may be http:// receivers on loopback (local tools and tests).
  WEBHOOK_ALLOW_LOOPBACK: '1',
};

/** `--var KEY:VALUE` arguments for wrangler dev: DEV_VARS, then `extra` (which wins). */
export const devVarArgs = (extra = {}) =>
  Object.entries({ ...DEV_VARS, ...extra }).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
