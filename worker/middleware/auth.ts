/** Reads the session from the kt_session cookie, a Bearer header or (for WebSockets) ?token=. */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../app-types.ts';
import { ApiError } from '../lib/errors.ts';
import { SESSION_COOKIE, looksLikeJwt, readToken, type SessionUser } from '../lib/jwt.ts';

export function sessionAuth(): MiddlewareHandler<AppEnv> {
  return async function sessionAuth(c, next) {
    const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header('Authorization') ?? '')?.[1];
    const queryToken = c.req.query('token');
    const candidate =
      bearer ?? getCookie(c, SESSION_COOKIE) ?? (queryToken && looksLikeJwt(queryToken) ? queryToken : undefined);
    c.set('user', candidate ? await readToken(candidate, c.var.config.jwtSecret) : null);
    await next();
  };
}

export function requireUser(c: Context<AppEnv>): SessionUser {
  const user = c.var.user;
  if (!user) throw new ApiError('unauthenticated', 'Log in first');
  return user;
}

export function requireAdmin(c: Context<AppEnv>): SessionUser {
  const user = requireUser(c);
  if (user.role !== 'admin') throw new ApiError('forbidden', 'Admins only');
  return user;
}
