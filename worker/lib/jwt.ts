/** Session tokens: HS256 JWTs signed with JWT_SECRET (hono/jwt). */
import { sign, verify } from 'hono/jwt';
import { z } from 'zod';
import type { User } from '../../durable-objects/accounts/account.ts';
import type { SessionClaims } from '../../durable-objects/accounts/session-check.ts';

export const SESSION_COOKIE = 'kt_session';
export const SESSION_TTL_S = 7 * 24 * 3600;

const claims = z.object({
  sub: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['admin', 'member']),
  exp: z.number(),
  /** The token's id (logout revokes it alone); tokens issued before revocation existed have none. */
  jti: z.string().max(64).optional(),
  /** The account's token version when issued; a bump (logout-all, password change) revokes every older token. */
  ver: z.number().int().min(0).optional(),
});
export type SessionUser = Pick<User, 'id' | 'email' | 'name' | 'role'>;

/** A verified token: who it names (as issued: the role is re-read from the account) and what revocation checks. */
interface SessionToken {
  user: SessionUser;
  claims: SessionClaims;
}

export async function issueToken(
  user: SessionUser,
  secret: string,
  tokenVersion: number,
  nowS = Math.floor(Date.now() / 1000),
): Promise<string> {
  return sign(
    {
      sub: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      iat: nowS,
      exp: nowS + SESSION_TTL_S,
      jti: crypto.randomUUID(),
      ver: tokenVersion,
    },
    secret,
    'HS256',
  );
}

/** The token's user and claims, or null if it is missing, forged or expired (revocation is checked elsewhere). */
export async function readToken(token: string, secret: string): Promise<SessionToken | null> {
  try {
    const parsed = claims.safeParse(await verify(token, secret, 'HS256'));
    if (!parsed.success) return null;
    const { sub, email, name, role, exp, jti, ver } = parsed.data;
    return {
      user: { id: sub, email, name, role },
      claims: { email: email.toLowerCase(), jti: jti ?? '', ver: ver ?? 0, exp },
    };
  } catch {
    return null;
  }
}

export const looksLikeJwt = (s: string) =>
  /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(s) && s.startsWith('eyJ');
