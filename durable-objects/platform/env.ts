/** Worker bindings and variables, and their validated configuration. */
import { z } from 'zod';
import { DEFAULT_SESSION_MAX_MS } from '../../core/sessions/transition.ts';

declare global {
  namespace Cloudflare {
    /**
     * The bindings and vars in wrangler.toml are generated into worker-configuration.d.ts (`npm run types`; `npm test`
     * fails if it is stale). Secrets and per-deployment settings are not in wrangler.toml: they are declared here, and
     * are all optional.
     */
    interface Env {
      JWT_SECRET?: string;
      /** Benchmarks only: "1" makes every object count its wake-ups (alarm, socket message, fetch) in storage. */
      COUNT_WAKEUPS?: string;
      /** Postgres for history (Neon in production). Unset: history mirroring is off. */
      DATABASE_URL?: string;
      /** Dev/test only: host:port of the local WebSocket→TCP relay the Neon driver goes through. */
      NEON_LOCAL_RELAY?: string;
      /** Upstash REST endpoint for caches. Unset: caching is off. */
      UPSTASH_REDIS_REST_URL?: string;
      UPSTASH_REDIS_REST_TOKEN?: string;
    }
  }
}

/**
 * Worker bindings and variables: wrangler.toml's (generated; SESSION_MAX_MS is the wall time after which live sessions
 * stop by themselves, default 12 h) and the optional secrets above.
 */
export type Env = Cloudflare.Env;

/** The session auto-stop limit from SESSION_MAX_MS (readConfig refuses a bad value for the Worker; objects fall back to the default). */
export function sessionMaxMs(env: Env): number {
  const r = configSchema.shape.sessionMaxMs.safeParse(Number(env.SESSION_MAX_MS ?? DEFAULT_SESSION_MAX_MS));
  return r.success ? r.data : DEFAULT_SESSION_MAX_MS;
}

export const DEV_JWT_SECRET = 'keeptime-dev-secret-do-not-use-in-production';

const configSchema = z.object({
  production: z.boolean(),
  jwtSecret: z.string().min(32),
  adminEmails: z.array(z.string()),
  corsOrigins: z.array(z.string()),
  authRatePerMin: z.number().int().min(1).max(100_000),
  sessionMaxMs: z
    .number()
    .int()
    .min(60_000)
    .max(100 * 24 * 3_600_000),
});
export type Config = z.infer<typeof configSchema>;

const list = (s: string | undefined) =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * Reads the configuration from the environment. In production a real
 * JWT_SECRET is required: the dev default is refused.
 */
export function readConfig(env: Env): { ok: true; config: Config } | { ok: false; message: string } {
  const production = env.ENVIRONMENT === 'production';
  const secret = env.JWT_SECRET ?? (production ? undefined : DEV_JWT_SECRET);
  if (production && (!secret || secret === DEV_JWT_SECRET))
    return { ok: false, message: 'JWT_SECRET must be set to a real secret in production' };
  const parsed = configSchema.safeParse({
    production,
    jwtSecret: secret,
    adminEmails: list(env.ADMIN_EMAILS).map((e) => e.toLowerCase()),
    corsOrigins: list(env.CORS_ORIGINS),
    authRatePerMin: Number(env.AUTH_RATE_PER_MIN ?? 20),
    sessionMaxMs: Number(env.SESSION_MAX_MS ?? DEFAULT_SESSION_MAX_MS),
  });
  if (!parsed.success)
    return {
      ok: false,
      message: `Invalid configuration: ${parsed.error.issues.map((i) => i.path.join('.') + ' ' + i.message).join('; ')}`,
    };
  return { ok: true, config: parsed.data };
}
