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
      /**
       * `development` turns off the production checks (the dev JWT secret, demo admins, localhost CORS). Absent or any
       * other value means production: the deployed config never states it; the dev and test scripts do.
       */
      ENVIRONMENT?: string;
      /** Development only: comma-separated emails that get the `admin` role at signup and login (ignored in production). */
      ADMIN_EMAILS?: string;
      /** Comma-separated origins allowed to call the API cross-origin (none by default). */
      CORS_ORIGINS?: string;
      /** One-time secret that makes the first admin (`POST /api/auth/bootstrap`); a wrangler secret. */
      ADMIN_BOOTSTRAP_SECRET?: string;
      /**
       * Caps and quotas (durable-objects/platform/limits-config.ts has each default; an invalid value keeps it): socket
       * upgrades per IP prefix and per object, the per-socket frame budget and flood close, stored idempotency answers,
       * rooms per user, racks held per user, session starts per hour; RELAY_THRESHOLD and VIEWERS_PER_RELAY: when a
       * room's share-link viewers go to relay objects, and how many each relay holds.
       */
      WS_MAX_PER_IP?: string;
      WS_MAX_PER_OBJECT?: string;
      WS_FRAMES_PER_SEC?: string;
      WS_FRAME_BURST?: string;
      WS_FLOOD_CLOSE_AFTER?: string;
      RELAY_THRESHOLD?: string;
      VIEWERS_PER_RELAY?: string;
      IDEMPOTENCY_MAX_ANSWERS?: string;
      QUOTA_ROOMS_PER_USER?: string;
      QUOTA_RACKS_PER_USER?: string;
      QUOTA_SESSION_STARTS_PER_HOUR?: string;
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
  /** The first-admin secret, or null (bootstrap off). */
  bootstrapSecret: z.string().min(16).nullable(),
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

/** Demo addresses (the seeded accounts) and loopback origins: refused in production. */
const DEMO_EMAIL = /@keeptime\.test$/i;
const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?\/?$/i;

/**
 * Reads the configuration from the environment. Production is the default: only ENVIRONMENT=development (stated by
 * the dev and test scripts, never by wrangler.toml) turns the checks off. In production a real JWT_SECRET is
 * required (the dev default is refused), and demo admin addresses or localhost CORS origins make the Worker refuse to
 * serve. ADMIN_EMAILS grants admin only in development; in production admins are made by the bootstrap secret and by
 * other admins.
 */
export function readConfig(env: Env): { ok: true; config: Config } | { ok: false; message: string } {
  const production = env.ENVIRONMENT !== 'development';
  const secret = env.JWT_SECRET ?? (production ? undefined : DEV_JWT_SECRET);
  if (production && (!secret || secret === DEV_JWT_SECRET))
    return { ok: false, message: 'JWT_SECRET must be set to a real secret in production' };
  const adminEmails = list(env.ADMIN_EMAILS).map((e) => e.toLowerCase());
  const corsOrigins = list(env.CORS_ORIGINS);
  if (production && adminEmails.some((e) => DEMO_EMAIL.test(e)))
    return { ok: false, message: 'ADMIN_EMAILS lists demo addresses (@keeptime.test) in production' };
  if (production && corsOrigins.some((o) => LOCAL_ORIGIN.test(o)))
    return { ok: false, message: 'CORS_ORIGINS lists localhost origins in production' };
  const parsed = configSchema.safeParse({
    production,
    jwtSecret: secret,
    bootstrapSecret: env.ADMIN_BOOTSTRAP_SECRET || null,
    // Honoured only in development (the seeded demo admin); production ignores the list.
    adminEmails: production ? [] : adminEmails,
    corsOrigins,
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
