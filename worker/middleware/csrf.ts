/**
 * Cross-site request forgery guards for the API (issue 11, findings 5 and 6).
 *
 * - Every state-changing request (POST, PUT, PATCH, DELETE) declares itself as an API call: a JSON or CSV
 *   `Content-Type`, or the custom header `X-Keeptime: 1` (for body-less commands). An HTML form can send
 *   neither, and a cross-origin `fetch` that does needs a CORS preflight, which only the allow-list passes.
 *   Otherwise: 415 `unsupported_media_type`.
 * - A request that authenticates with the session cookie (no `Authorization` header) and changes state or opens
 *   a WebSocket must come from this origin or a CORS allow-list origin, as its `Origin` (or, without one,
 *   `Sec-Fetch-Site`) says. Otherwise: 403 `forbidden_origin`. Bearer requests carry no ambient credential,
 *   so a browser cannot forge them and they are not checked.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../app-types.ts';
import { ApiError } from '../lib/errors.ts';
import { SESSION_COOKIE } from '../lib/jwt.ts';

/** The header a body-less command sends to show it is an API call, not a form post. */
export const API_CALL_HEADER = 'X-Keeptime';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const API_TYPES = /^(application\/(.+\+)?json|text\/csv)\b/i;

/** True when the request declares itself an API call (see the module note). */
export function declaresApiCall(c: Context<AppEnv>): boolean {
  return API_TYPES.test(c.req.header('Content-Type') ?? '') || c.req.header(API_CALL_HEADER) !== undefined;
}

/** True when the request comes from this origin or an allowed one, as far as the browser tells. */
export function fromAllowedOrigin(c: Context<AppEnv>): boolean {
  const origin = c.req.header('Origin');
  if (origin !== undefined) {
    if (origin === new URL(c.req.url).origin) return true;
    return (c.var.config?.corsOrigins ?? []).includes(origin);
  }
  // No Origin (older browsers on same-origin GETs, non-browser clients): Fetch Metadata is the browser's word.
  const site = c.req.header('Sec-Fetch-Site');
  return site === undefined || site === 'same-origin' || site === 'none';
}

/** True when the session cookie is what authenticates this request. */
export function cookieAuthenticated(c: Context<AppEnv>): boolean {
  return c.req.header('Authorization') === undefined && getCookie(c, SESSION_COOKIE) !== undefined;
}

export function csrfGuard(): MiddlewareHandler<AppEnv> {
  return async function csrfGuard(c, next) {
    const changes = STATE_CHANGING.has(c.req.method);
    const upgrade = c.req.header('Upgrade')?.toLowerCase() === 'websocket';
    if (changes && !declaresApiCall(c))
      throw new ApiError(
        'unsupported_media_type',
        `Send Content-Type: application/json, or the header ${API_CALL_HEADER}: 1 on a request without a body`,
      );
    if ((changes || upgrade) && cookieAuthenticated(c) && !fromAllowedOrigin(c))
      throw new ApiError('forbidden_origin', 'Requests signed in with the cookie must come from this site');
    await next();
  };
}
