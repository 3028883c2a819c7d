/**
 * Redaction for anything that reaches a log: share tokens (`<roomId>_<secret>`,
 * in a path segment, a query value or a header copy), the viewer page's
 * `/r/<token>`, bearer JWTs, personal API tokens (`kt_…`), and secret-named
 * query parameters. The room id part of a share token is kept, so a log line
 * still says which room it was.
 */

/** A personal API token (durable-objects/accounts/pat.ts), raw or with its `_` percent-encoded, or anything like one. */
const API_TOKEN = /\bkt(?:_|%5[Ff])(?!session\b)[A-Za-z0-9_%~.-]{16,}/g;

/** A share token, raw or with its `_` percent-encoded: the 20-hex room id, then the secret. */
const SHARE_TOKEN = /([0-9a-f]{20})(?:_|%5[Ff])[A-Za-z0-9._%~-]+/g;
/** The viewer page's path segment, whatever it holds once share tokens are redacted. */
const VIEWER_SEGMENT = /(\/r\/)(?![0-9a-f]{20}_\[redacted\](?:[/?#]|$))[^/?#]+/g;
/** A JWT (three base64url parts, the first a JSON header). */
const JWT = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
/** Query parameters whose value is a secret whatever it looks like. */
const SECRET_PARAMS = /([?&](?:token|access_token|jwt|key|secret|password|t)=)[^&#]*/gi;

/** `url` (a path with its query, or a whole URL) with every secret replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  return url
    .replace(API_TOKEN, 'kt_[redacted]')
    .replace(SECRET_PARAMS, '$1[redacted]')
    .replace(SHARE_TOKEN, '$1_[redacted]')
    .replace(JWT, '[redacted]')
    .replace(VIEWER_SEGMENT, '$1[redacted]');
}

/** Headers whose whole value is a credential. */
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'set-cookie', 'x-room-token', 'x-kt-session']);

/**
 * `headers` as a plain object fit for a log: credential headers keep only their scheme or cookie names, and any
 * other value has its tokens (API, share, JWT) redacted as in URLs.
 */
export function redactHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    const key = name.toLowerCase();
    if (!SECRET_HEADERS.has(key)) out[key] = redactUrl(value);
    else if (key === 'authorization') out[key] = `${/^\S+(?=\s)/.exec(value)?.[0] ?? ''} [redacted]`.trim();
    else if (key === 'cookie' || key === 'set-cookie') out[key] = value.replace(/=[^;]*/g, '=[redacted]');
    else out[key] = '[redacted]';
  });
  return out;
}
