/**
 * Redaction for anything that reaches a log: share tokens (`<roomId>_<secret>`,
 * in a path segment, a query value or a header copy), the viewer page's
 * `/r/<token>`, bearer JWTs, and secret-named query parameters. The room id
 * part of a share token is kept, so a log line still says which room it was.
 */

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
    .replace(SECRET_PARAMS, '$1[redacted]')
    .replace(SHARE_TOKEN, '$1_[redacted]')
    .replace(JWT, '[redacted]')
    .replace(VIEWER_SEGMENT, '$1[redacted]');
}
