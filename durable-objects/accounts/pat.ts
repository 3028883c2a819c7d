/**
 * Personal API tokens: scopes, the token format and its parsing (pure, no I/O).
 *
 * A token is `kt_<account>_<id>_<secret>`: the account's object id (64 hex, so the Worker reaches the Account
 * object without an index or a scan), the token's id (16 hex, its row there) and 32 random bytes (43 base64url).
 * Only the SHA-256 of the secret is stored.
 */

/** What a token may do, by route family (worker/middleware/scopes.ts). */
export const SCOPES = ['read', 'rooms', 'sessions', 'racks'] as const;
export type Scope = (typeof SCOPES)[number];

/** Live tokens per account; one more is 409 quota_exceeded. */
export const MAX_API_TOKENS = 50;
export const TOKEN_NAME_MAX = 80;
/** lastUsedAt is written at most this often per token. */
export const LAST_USED_EVERY_MS = 60_000;
/** The `jti` a token's claims carry (session-check.ts tells API tokens from login tokens by it). */
export const PAT_JTI_PREFIX = 'pat:';
/** API tokens do not expire (revoke them instead): their claims carry this expiry, in seconds (year 9999). */
export const PAT_EXP_S = 253_402_300_799;

/** A token as its owner sees it (never the secret, never the hash). */
export interface ApiToken {
  id: string;
  name: string;
  scopes: Scope[];
  createdAt: number;
  lastUsedAt: number | null;
}

export interface ParsedPat {
  /** The Account object's id (hex). */
  account: string;
  id: string;
  secret: string;
}

const FORMAT = /^kt_([0-9a-f]{64})_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** Whether `raw` is shaped like an API token (a cheap test before any hashing). */
export const looksLikePat = (raw: string): boolean => raw.startsWith('kt_');

export function parsePat(raw: string): ParsedPat | null {
  const m = FORMAT.exec(raw);
  return m ? { account: m[1] as string, id: m[2] as string, secret: m[3] as string } : null;
}

export const formatPat = (p: ParsedPat): string => `kt_${p.account}_${p.id}_${p.secret}`;

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

/** A fresh token id and secret (the account part is the object's own id). */
export function newPatParts(): { id: string; secret: string } {
  const secret = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
  return { id: hex(crypto.getRandomValues(new Uint8Array(8))), secret };
}

/** SHA-256 of the secret, hex: what the account stores and compares. */
export async function hashSecret(secret: string): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret))));
}

/** Constant-time equality of two hex digests of the same length (different lengths are simply unequal). */
export function sameDigest(a: string, b: string): boolean {
  const enc = new TextEncoder();
  const x = enc.encode(a);
  const y = enc.encode(b);
  if (x.byteLength !== y.byteLength) return false;
  return crypto.subtle.timingSafeEqual(x, y);
}
