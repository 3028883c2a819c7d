/**
 * Accounts: signup, login, logout (one token, or every token), password change, me; the one-time admin bootstrap and
 * admins' role changes. Roles live on the account and are re-read on every request (middleware/auth.ts).
 */
import { Hono, type Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import {
  bootstrapBody,
  email as emailSchema,
  loginBody,
  passwordChangeBody,
  roleBody,
  signupBody,
} from '../../core/protocol.ts';
import type { AppEnv } from '../app-types.ts';
import { accountStub } from '../../durable-objects/platform/stubs.ts';
import { BOOTSTRAP_OBJECT, type SignedIn } from '../../durable-objects/accounts/account.ts';
import { forgetSession } from '../../durable-objects/accounts/session-check.ts';
import { unwrap } from '../lib/answer.ts';
import { ApiError } from '../lib/errors.ts';
import { SESSION_COOKIE, SESSION_TTL_S, issueToken } from '../lib/jwt.ts';
import { requireAdmin, requireUser, sessionClaims } from '../middleware/auth.ts';
import { clientIpBucket, enforceRateLimit, takeTokens } from '../middleware/rate-limit.ts';
import { check, readJson } from '../middleware/validate.ts';

const MINUTE = 60_000;

/** Signup: every attempt counts, per address and per email. */
async function limitSignup(c: Context<AppEnv>, email: string) {
  const perMin = c.var.config.authRatePerMin;
  await enforceRateLimit(c, { keys: [`signup:ip:${clientIpBucket(c)}`], capacity: perMin * 3, windowMs: MINUTE });
  await enforceRateLimit(c, { keys: [`signup:email:${email}`], capacity: perMin, windowMs: MINUTE });
}

/**
 * Password checks (login, password change): every attempt counts against the caller's address (IPv6 by /64); only
 * failures count against the email from that address. A stranger elsewhere cannot lock the owner out, and a right
 * password is never what uses up the budget.
 */
function passwordLimits(c: Context<AppEnv>, kind: 'login' | 'password', email: string) {
  const perMin = c.var.config.authRatePerMin;
  const ip = clientIpBucket(c);
  const failures = { keys: [`${kind}:fail:${email}:${ip}`], capacity: perMin, windowMs: MINUTE };
  return {
    before: async () => {
      await enforceRateLimit(c, { keys: [`${kind}:ip:${ip}`], capacity: perMin * 3, windowMs: MINUTE });
      await enforceRateLimit(c, { ...failures, mode: 'peek' });
    },
    failed: () => takeTokens(c, failures),
  };
}

async function startSession(c: Context<AppEnv>, signedIn: SignedIn) {
  const token = await issueToken(signedIn.user, c.var.config.jwtSecret, signedIn.tokenVersion);
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: new URL(c.req.url).protocol === 'https:',
    path: '/',
    maxAge: SESSION_TTL_S,
  });
  return token;
}

const endSession = (c: Context<AppEnv>) => deleteCookie(c, SESSION_COOKIE, { path: '/' });

/** Constant-time comparison of two secrets (both hashed first, so lengths leak nothing either). */
async function sameSecret(a: string, b: string): Promise<boolean> {
  const enc = new TextEncoder();
  const [x, y] = await Promise.all([
    crypto.subtle.digest('SHA-256', enc.encode(a)),
    crypto.subtle.digest('SHA-256', enc.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(x, y);
}

const emailParam = z.object({ email: emailSchema });

export const authRoutes = new Hono<AppEnv>()
  .post('/auth/signup', async (c) => {
    const body = await readJson(c, signupBody);
    await limitSignup(c, body.email);
    // ADMIN_EMAILS is honoured only in development (readConfig empties it in production).
    const admin = c.var.config.adminEmails.includes(body.email);
    const signedIn = unwrap(await accountStub(c.env, body.email).signup({ ...body, admin }));
    const { id, email, name, role } = signedIn.user;
    const token = await startSession(c, signedIn);
    return c.json({ user: { id, email, name, role }, token }, 201);
  })
  .post('/auth/login', async (c) => {
    const body = await readJson(c, loginBody);
    const limits = passwordLimits(c, 'login', body.email);
    await limits.before();
    const admin = c.var.config.adminEmails.includes(body.email);
    const answer = await accountStub(c.env, body.email).login({ password: body.password, admin });
    if (!answer.ok && answer.code === 'invalid_credentials') await limits.failed();
    const signedIn = unwrap(answer);
    const { id, email, name, role } = signedIn.user;
    const token = await startSession(c, signedIn);
    return c.json({ user: { id, email, name, role }, token });
  })
  /** Revokes the token the request came with (Bearer or cookie), and expires the cookie. */
  .post('/auth/logout', async (c) => {
    const claims = sessionClaims(c);
    if (claims) {
      await accountStub(c.env, claims.email).revokeToken(claims.jti, claims.exp * 1000);
      forgetSession(claims.email);
    }
    endSession(c);
    return c.body(null, 204);
  })
  /** Revokes every token of the account (every device), this one included. */
  .post('/auth/logout-all', async (c) => {
    const user = requireUser(c);
    await accountStub(c.env, user.email).revokeAll();
    forgetSession(user.email);
    endSession(c);
    return c.body(null, 204);
  })
  /** Changes the password; every other token is revoked, and this caller gets a fresh cookie. */
  .post('/auth/password', async (c) => {
    const user = requireUser(c);
    const body = await readJson(c, passwordChangeBody);
    const limits = passwordLimits(c, 'password', user.email);
    await limits.before();
    const answer = await accountStub(c.env, user.email).changePassword(body);
    if (!answer.ok && answer.code === 'invalid_credentials') await limits.failed();
    const signedIn = unwrap(answer);
    forgetSession(user.email);
    await startSession(c, signedIn);
    return c.body(null, 204);
  })
  /**
   * The first admin: a signed-in user who presents ADMIN_BOOTSTRAP_SECRET becomes admin. It works once per
   * deployment; later admins are made by admins.
   */
  .post('/auth/bootstrap', async (c) => {
    const user = requireUser(c);
    const body = await readJson(c, bootstrapBody);
    await enforceRateLimit(c, { keys: [`bootstrap:ip:${clientIpBucket(c)}`], capacity: 5, windowMs: MINUTE });
    const secret = c.var.config.bootstrapSecret;
    if (!secret) throw new ApiError('forbidden', 'No bootstrap secret is configured (ADMIN_BOOTSTRAP_SECRET)');
    if (!(await sameSecret(body.secret, secret))) throw new ApiError('forbidden', 'Wrong bootstrap secret');
    if (!(await accountStub(c.env, BOOTSTRAP_OBJECT).claimBootstrap(user.id)))
      throw new ApiError('bootstrap_used', 'The bootstrap secret was already used; ask an admin', undefined, 409);
    const promoted = unwrap(await accountStub(c.env, user.email).setRole('admin'));
    forgetSession(user.email);
    const { id, email, name, role } = promoted;
    return c.json({ user: { id, email, name, role } });
  })
  /** An admin promotes or demotes an account (by email); it applies to that account's every token at once. */
  .put('/admin/users/:email/role', async (c) => {
    const admin = requireAdmin(c);
    const { email: target } = check(emailParam, { email: c.req.param('email') });
    const { role: next } = await readJson(c, roleBody);
    if (target === admin.email && next !== 'admin')
      throw new ApiError('cannot_demote_self', 'Ask another admin to demote you', undefined, 409);
    const changed = unwrap(await accountStub(c.env, target).setRole(next));
    forgetSession(target);
    const { id, email, name, role } = changed;
    return c.json({ user: { id, email, name, role } });
  })
  .get('/me', (c) => {
    const { id, email, name, role } = requireUser(c);
    return c.json({ user: { id, email, name, role } });
  });
