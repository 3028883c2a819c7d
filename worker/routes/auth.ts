/** Accounts: signup, login, logout, me. */
import { Hono, type Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { loginBody, signupBody } from '../../core/protocol.ts';
import type { AppEnv } from '../app-types.ts';
import { accountStub } from '../../durable-objects/platform/stubs.ts';
import { unwrap } from '../lib/answer.ts';
import { SESSION_COOKIE, SESSION_TTL_S, issueToken, type SessionUser } from '../lib/jwt.ts';
import { requireUser } from '../middleware/auth.ts';
import { clientIp, enforceRateLimit } from '../middleware/rate-limit.ts';
import { readJson } from '../middleware/validate.ts';

async function limitAuth(c: Context<AppEnv>, kind: 'login' | 'signup', email: string) {
  const perMin = c.var.config.authRatePerMin;
  await enforceRateLimit(c, { keys: [`${kind}:ip:${clientIp(c)}`], capacity: perMin * 3, windowMs: 60_000 });
  await enforceRateLimit(c, { keys: [`${kind}:email:${email}`], capacity: perMin, windowMs: 60_000 });
}

async function startSession(c: Context<AppEnv>, user: SessionUser) {
  const token = await issueToken(user, c.var.config.jwtSecret);
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: new URL(c.req.url).protocol === 'https:',
    path: '/',
    maxAge: SESSION_TTL_S,
  });
  return token;
}

export const authRoutes = new Hono<AppEnv>()
  .post('/auth/signup', async (c) => {
    const body = await readJson(c, signupBody);
    await limitAuth(c, 'signup', body.email);
    const admin = c.var.config.adminEmails.includes(body.email);
    const user = unwrap(await accountStub(c.env, body.email).signup({ ...body, admin }));
    const { id, email, name, role } = user;
    const token = await startSession(c, user);
    return c.json({ user: { id, email, name, role }, token }, 201);
  })
  .post('/auth/login', async (c) => {
    const body = await readJson(c, loginBody);
    await limitAuth(c, 'login', body.email);
    const admin = c.var.config.adminEmails.includes(body.email);
    const user = unwrap(await accountStub(c.env, body.email).login({ password: body.password, admin }));
    const { id, email, name, role } = user;
    const token = await startSession(c, user);
    return c.json({ user: { id, email, name, role }, token });
  })
  .post('/auth/logout', (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  })
  .get('/me', (c) => {
    const { id, email, name, role } = requireUser(c);
    return c.json({ user: { id, email, name, role } });
  });
