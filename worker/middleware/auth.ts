/**
 * Reads the session from the kt_session cookie or a Bearer header, and (for WebSocket upgrades only) ?token=.
 * A verified token is then checked against its account (revocation and the current role: session-check.ts), so a
 * logged-out, revoked or outdated token is no session at all, and the role is the account's, not the token's.
 * A personal API token (`kt_…`, Bearer or an upgrade's ?token=, never the cookie) also sets `c.var.scopes`; the
 * scope guard (scopes.ts) then decides which routes it opens. A login token has every scope (`scopes` unset).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../app-types.ts';
import { accessHeaderValue } from '../lib/access.ts';
import { ApiError } from '../lib/errors.ts';
import { SESSION_COOKIE, looksLikeJwt, readToken, type SessionUser } from '../lib/jwt.ts';
import { SESSION_HEADER, type SessionClaims, checkSession } from '../../durable-objects/accounts/session-check.ts';
import { checkPat } from '../../durable-objects/accounts/pat-check.ts';
import { looksLikePat } from '../../durable-objects/accounts/pat.ts';

const isUpgrade = (c: Context) => c.req.header('Upgrade')?.toLowerCase() === 'websocket';

export function sessionAuth(): MiddlewareHandler<AppEnv> {
  return async function sessionAuth(c, next) {
    const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header('Authorization') ?? '')?.[1]?.trim();
    const queryToken = c.req.query('token');
    const querySecret = queryToken && (looksLikeJwt(queryToken) || looksLikePat(queryToken)) ? queryToken : undefined;
    // A session or API token in a URL leaks into logs and history: only a WebSocket upgrade (which cannot send
    // headers from a browser) may carry one there. Share tokens (neither) still travel in ?token=.
    if (querySecret && !isUpgrade(c))
      throw new ApiError(
        'unauthenticated',
        'Session and API tokens are accepted in ?token= only when opening a WebSocket; send an Authorization header',
      );
    c.set('user', null);
    const presented = bearer ?? querySecret;
    if (presented && looksLikePat(presented)) {
      // An API token that does not hold is refused outright, never read as "no session" (a script would
      // otherwise see a share-link or public answer and not notice its token was revoked).
      const pat = await checkPat(c.env, presented);
      if (!pat) throw new ApiError('unauthenticated', 'This API token is unknown or was revoked');
      const { userId, email, name, role } = pat.status;
      c.set('user', { id: userId, email, name, role });
      c.set('session', pat.claims);
      c.set('scopes', pat.scopes);
      await next();
      return;
    }
    const explicit = bearer ?? querySecret;
    const candidate = explicit ?? getCookie(c, SESSION_COOKIE);
    const token = candidate ? await readToken(candidate, c.var.config.jwtSecret) : null;
    const status = token ? await checkSession(c.env, token.claims) : null;
    // A token sent on purpose (Bearer, or an upgrade's ?token=) that does not hold is refused on every route, as an
    // API token is. A stale cookie reads as "not logged in" instead, so a share link still opens in a browser that
    // kept an expired cookie; routes that need a user answer 401 for it all the same.
    if (explicit && !(token && status))
      throw new ApiError('unauthenticated', 'This token has expired or was revoked; log in again for a new one');
    if (token && status) {
      c.set('user', { id: status.userId, email: status.email, name: status.name, role: status.role });
      c.set('session', token.claims);
    }
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

/** The verified token's claims of the request (set with the user), for logout and the socket re-check. */
export function sessionClaims(c: Context<AppEnv>): SessionClaims | null {
  return c.var.session ?? null;
}

/** The X-KT-Session header for an upgrade forwarded to an object: the token's claims, or none for a share link. */
export function sessionHeaders(c: Context<AppEnv>): Record<string, string> {
  const claims = c.var.session;
  const user = c.var.user;
  return claims && user ? { [SESSION_HEADER]: accessHeaderValue({ ...claims, role: user.role }) } : {};
}
