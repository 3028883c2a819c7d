/**
 * Revocation, checked where a token is used: every HTTP request the Worker serves and every socket frame an object
 * hears. The account holds a token version (bumped by logout-all and password change) and a bounded set of revoked
 * token ids (logout). The answer is cached in the isolate for SESSION_CACHE_TTL_MS per account, so the hot path stays
 * at most one Account call per account every few seconds; a logout or role change in this isolate forgets its entry at
 * once, and other isolates see it within the TTL. Admins are never cached: a demoted admin loses admin on the next
 * request in every isolate. API tokens (pat-check.ts) are checked here too, by their `pat:<id>` jti: they hold while
 * the account lists them as live.
 */
import { z } from 'zod';
import { accountStub } from '../platform/stubs.ts';
import type { Env } from '../platform/env.ts';
import type { Role } from './account.ts';
import { PAT_JTI_PREFIX } from './pat.ts';

/** The header the Worker hands an object at a socket upgrade: the token's claims and role (JSON), for the re-check. */
export const SESSION_HEADER = 'X-KT-Session';

/** How long an isolate trusts an account's revocation state: the cross-isolate delay of a logout. */
export const SESSION_CACHE_TTL_MS = 5_000;
/** Entries kept per isolate (oldest dropped first). */
const CACHE_MAX = 5_000;

/** What a verified token claims, as revocation needs it (`exp` in seconds, as in the JWT). */
export interface SessionClaims {
  email: string;
  jti: string;
  ver: number;
  exp: number;
}

/** What a socket keeps of its token (platform attachment): the claims, and the role it was opened with. */
export const socketAuth = z.object({
  email: z.string().max(320),
  jti: z.string().max(64),
  ver: z.number().int().min(0),
  exp: z.number(),
  role: z.enum(['admin', 'member']),
});
export type SocketAuth = z.infer<typeof socketAuth>;

/** The account's side: who it is now, and which tokens it still honours. */
export interface SessionStatus {
  userId: string;
  email: string;
  name: string;
  role: Role;
  tokenVersion: number;
  revoked: string[];
  /** The ids of the account's live API tokens (pat.ts): a revoked one is simply absent. */
  apiTokens: string[];
}

/**
 * Per account: its state and when it was read, or the read in flight. Concurrent checks share one read, so frames
 * on a socket are never reordered by two reads coming back out of order.
 */
const cache = new Map<
  string,
  { status: Promise<SessionStatus | null>; at: number; settled: boolean; admin: boolean }
>();

/** Drops this isolate's cached state of an account (after a logout, password change or role change here). */
export function forgetSession(email: string): void {
  cache.delete(email.toLowerCase());
}

/** Whether a token's claims still hold against the account's state at `nowMs`. */
function claimsHold(claims: SessionClaims, status: SessionStatus | null, nowMs: number): boolean {
  if (!status) return false;
  if (claims.exp * 1000 <= nowMs) return false;
  // An API token holds while it is listed: logout-all and a password change end login tokens only.
  if (claims.jti.startsWith(PAT_JTI_PREFIX)) return status.apiTokens.includes(claims.jti.slice(PAT_JTI_PREFIX.length));
  if (claims.ver !== status.tokenVersion) return false;
  return !(claims.jti && status.revoked.includes(claims.jti));
}

/**
 * The account's state if the token still holds, else null (expired, revoked, version bumped, account gone).
 * `fresh` skips the cache.
 */
export async function checkSession(
  env: Env,
  claims: SessionClaims,
  nowMs = Date.now(),
  fresh = false,
): Promise<SessionStatus | null> {
  if (claims.exp * 1000 <= nowMs) return null;
  const key = claims.email.toLowerCase();
  const hit = cache.get(key);
  // The cache ages on the isolate's wall clock; `nowMs` (an object's clock, which tests may move) judges expiry only.
  const wall = Date.now();
  // Decided without awaiting, so checks that arrive together share one read and settle in arrival order.
  const reuse = hit && (!hit.settled || (!fresh && !hit.admin && wall - hit.at < SESSION_CACHE_TTL_MS));
  let status: SessionStatus | null;
  if (reuse && hit) status = await hit.status;
  else {
    const entry = {
      status: Promise.resolve(accountStub(env, key).sessionStatus()),
      at: wall,
      settled: false,
      admin: false,
    };
    cache.delete(key);
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(key, entry);
    try {
      status = await entry.status;
    } catch (err) {
      if (cache.get(key) === entry) cache.delete(key);
      throw err;
    }
    entry.settled = true;
    entry.admin = status?.role === 'admin';
  }
  return claimsHold(claims, status, nowMs) ? status : null;
}
