/**
 * Checking a presented API token (pat.ts) where it is used: the Worker on every request, and (by its claims,
 * through session-check.ts) the objects on every socket frame.
 *
 * The token names its Account object, which compares the secret's SHA-256 with the stored one and records
 * lastUsedAt. A match is cached in the isolate for SESSION_CACHE_TTL_MS per token id, with the hash: a cached
 * entry is used only for the same secret (compared in constant time). Revocation is not decided by this cache but
 * by checkSession (the account's live token ids), which a revocation in this isolate forgets at once.
 */
import type { accountStub } from '../platform/stubs.ts';
import type { Env } from '../platform/env.ts';
import { PAT_EXP_S, PAT_JTI_PREFIX, type Scope, hashSecret, parsePat, sameDigest } from './pat.ts';
import { SESSION_CACHE_TTL_MS, type SessionClaims, type SessionStatus, checkSession } from './session-check.ts';

const CACHE_MAX = 5_000;
const cache = new Map<string, { hash: string; email: string; scopes: Scope[]; at: number }>();

/** Drops this isolate's cached match of a token (after its revocation here). */
export function forgetPat(id: string): void {
  cache.delete(id);
}

/** A token that holds: the account's state, the token's scopes, and claims for the socket re-check. */
export interface PatSession {
  status: SessionStatus;
  scopes: Scope[];
  claims: SessionClaims;
}

/** The session an API token opens, or null when it is malformed, unknown, wrong or revoked. */
export async function checkPat(env: Env, raw: string): Promise<PatSession | null> {
  const parsed = parsePat(raw);
  if (!parsed) return null;
  const hash = await hashSecret(parsed.secret);
  const wall = Date.now();
  let hit = cache.get(parsed.id);
  if (!hit || wall - hit.at >= SESSION_CACHE_TTL_MS || !sameDigest(hit.hash, hash)) {
    const used = await useToken(env, parsed.account, parsed.id, hash);
    if (!used) return null;
    hit = { hash, email: used.email, scopes: used.scopes, at: wall };
    cache.delete(parsed.id);
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(parsed.id, hit);
  }
  const claims: SessionClaims = {
    email: hit.email.toLowerCase(),
    jti: `${PAT_JTI_PREFIX}${parsed.id}`,
    ver: 0,
    exp: PAT_EXP_S,
  };
  const status = await checkSession(env, claims);
  return status ? { status, scopes: hit.scopes, claims: { ...claims, ver: status.tokenVersion } } : null;
}

/** Asks the token's Account object (named by id: a forged id is no account, and stores nothing). */
async function useToken(env: Env, account: string, id: string, hash: string) {
  let stubId: DurableObjectId;
  try {
    stubId = env.ACCOUNT.idFromString(account);
  } catch {
    return null;
  }
  // The same object accountStub(email) names: the token was minted with that object's own id.
  const stub = env.ACCOUNT.get(stubId) as ReturnType<typeof accountStub>;
  return stub.useApiToken(id, hash);
}
