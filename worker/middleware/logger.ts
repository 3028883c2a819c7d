/** One structured JSON line per request, with a request id. Tokens never reach the log. */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-types.ts';

import { redactUrl } from '../lib/redact.ts';

/** Re-exported: the redaction rule lives in worker/lib/redact.ts. */
export { redactUrl };

export function requestLog(): MiddlewareHandler<AppEnv> {
  return async function requestLog(c, next) {
    const requestId = c.req.header('CF-Ray') ?? crypto.randomUUID();
    c.set('requestId', requestId);
    const started = Date.now();
    await next();
    c.header('X-Request-Id', requestId);
    const url = new URL(c.req.url);
    console.log(
      JSON.stringify({
        level: c.res.status >= 500 ? 'error' : 'info',
        msg: 'request',
        requestId,
        method: c.req.method,
        path: redactUrl(url.pathname + url.search),
        status: c.res.status,
        ms: Date.now() - started,
        user: c.var.user?.id ?? null,
      }),
    );
  };
}
