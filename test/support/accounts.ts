/**
 * Account helpers for the workerd tests: the app under a production configuration (the same Worker and objects,
 * with ENVIRONMENT and secrets overridden), and tokens minted with the dev secret the test runtime uses.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { app } from '../../worker/app.ts';
import { DEV_JWT_SECRET } from '../../durable-objects/platform/env.ts';
import { SESSION_TTL_S, issueToken, type SessionUser } from '../../worker/lib/jwt.ts';
import { type Answer, BASE, type CallOptions } from './workers.ts';

/** A real-looking production secret (not the dev one). */
export const PROD_SECRET = 'prod-secret-0123456789abcdef0123456789abcdef';

/** The test runtime's env with `overrides` (undefined deletes a variable). */
export function envWith(overrides: Record<string, string | undefined>): typeof env {
  const e = { ...env } as Record<string, unknown>;
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete e[k];
    else e[k] = v;
  }
  return e as unknown as typeof env;
}

/** A production deployment's env: ENVIRONMENT=production, a real JWT secret, no dev admins or CORS. */
export const productionEnv = (overrides: Record<string, string | undefined> = {}) =>
  envWith({
    ENVIRONMENT: 'production',
    JWT_SECRET: PROD_SECRET,
    ADMIN_EMAILS: undefined,
    CORS_ORIGINS: undefined,
    TEST_HOOKS: undefined,
    ...overrides,
  });

/** An HTTP call through the app with a given env (the test runtime's own bindings, other variables). */
export async function callWith<T = any>(e: typeof env, path: string, opts: CallOptions = {}): Promise<Answer<T>> {
  const headers = new Headers(opts.headers);
  if (opts.auth) headers.set('Authorization', `Bearer ${opts.auth}`);
  let body: BodyInit | undefined;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    if (!headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  }
  const method = opts.method ?? (body === undefined ? 'GET' : 'POST');
  if (method !== 'GET' && !headers.has('Content-Type')) headers.set('X-Keeptime', '1');
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(`${BASE}${path}`, { method, headers, body }), e, ctx);
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // keep text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** A token signed with the dev secret; `expiresInS` shortens its life, `role` and `ver` forge claims. */
export function devToken(
  user: SessionUser,
  opts: { expiresInS?: number; tokenVersion?: number; secret?: string } = {},
): Promise<string> {
  const nowS = Math.floor(Date.now() / 1000);
  const issuedAt = opts.expiresInS === undefined ? nowS : nowS - SESSION_TTL_S + opts.expiresInS;
  return issueToken(user, opts.secret ?? DEV_JWT_SECRET, opts.tokenVersion ?? 0, issuedAt);
}
