/** Session tokens: HS256 JWTs signed with JWT_SECRET (hono/jwt). */
import { sign, verify } from 'hono/jwt';
import { z } from 'zod';
import type { User } from '../../durable-objects/accounts/account.ts';

export const SESSION_COOKIE = 'kt_session';
export const SESSION_TTL_S = 7 * 24 * 3600;

const claims = z.object({
  sub: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['admin', 'member']),
  exp: z.number(),
});
export type SessionUser = Pick<User, 'id' | 'email' | 'name' | 'role'>;

export async function issueToken(
  user: SessionUser,
  secret: string,
  nowS = Math.floor(Date.now() / 1000),
): Promise<string> {
  return sign(
    { sub: user.id, email: user.email, name: user.name, role: user.role, iat: nowS, exp: nowS + SESSION_TTL_S },
    secret,
    'HS256',
  );
}

/** The user a token names, or null if it is missing, forged or expired. */
export async function readToken(token: string, secret: string): Promise<SessionUser | null> {
  try {
    const parsed = claims.safeParse(await verify(token, secret, 'HS256'));
    if (!parsed.success) return null;
    const { sub, email, name, role } = parsed.data;
    return { id: sub, email, name, role };
  } catch {
    return null;
  }
}

export const looksLikeJwt = (s: string) =>
  /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(s) && s.startsWith('eyJ');
