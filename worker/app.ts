/** The Hono app: configuration, headers, CORS, auth, routes and error mapping. */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { ERROR_STATUS, LIMITS } from '../core/errors.ts';
import type { AppEnv } from './app-types.ts';
import { readConfig } from '../durable-objects/platform/env.ts';
import { ApiError, errorBody } from './lib/errors.ts';
import { sessionAuth } from './middleware/auth.ts';
import { csrfGuard } from './middleware/csrf.ts';
import { scopeGuard } from './middleware/scopes.ts';
import { requestLog } from './middleware/logger.ts';
import { authRoutes } from './routes/auth.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { healthRoutes } from './routes/health.ts';
import { roomRoutes } from './routes/rooms.ts';
import { roomDeviceRoutes } from './routes/room-devices.ts';
import { rundownRoutes } from './routes/rundown.ts';
import { roomFeedRoutes } from './routes/room-feed.ts';
import { webhookRouteSet } from './routes/webhooks.ts';
import { historyRoutes } from './routes/history.ts';
import { opsRoutes } from './routes/ops.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { sessionEntryRoutes } from './routes/session-entries.ts';
import { sessionReportRoutes } from './routes/session-report.ts';
import { projectRoutes } from './routes/projects.ts';
import { rackRoutes } from './routes/racks.ts';
import { rackConflictRoutes } from './routes/rack-conflicts.ts';
import { warehouseRoutes } from './routes/warehouse.ts';
import { reviewRoutes } from './routes/reviews.ts';
import { viewerPage } from './routes/pages.ts';

export const app = new Hono<AppEnv>();

app.use('*', async function configure(c, next) {
  const r = readConfig(c.env);
  if (!r.ok) {
    console.error(JSON.stringify({ level: 'error', msg: 'refusing to start', reason: r.message }));
    return c.json(errorBody('misconfigured', r.message), 503);
  }
  c.set('config', r.config);
  await next();
});
app.use('*', requestLog());
app.use(
  '*',
  secureHeaders({ crossOriginEmbedderPolicy: false, crossOriginResourcePolicy: 'same-site', xFrameOptions: 'DENY' }),
);
app.use(
  '/api/*',
  cors({
    origin: (origin, c) => ((c.var.config?.corsOrigins ?? []).includes(origin) ? origin : null),
    credentials: true,
    allowHeaders: ['Content-Type', 'Authorization', 'Idempotency-Key', 'X-Room-Token', 'X-Keeptime'],
    allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    maxAge: 600,
  }),
);
// Before any body is read: state changes declare themselves API calls, and cookie callers come from this site.
app.use('/api/*', csrfGuard());
// Bodies over the limit are refused before they are read: at once from a truthful Content-Length,
// and after LIMITS.httpBody bytes of a body sent without one (chunked). Routes that read no body refuse them too.
const apiBodyLimit = bodyLimit({
  maxSize: LIMITS.httpBody,
  onError: (c) => c.json(errorBody('payload_too_large', `Bodies are limited to ${LIMITS.httpBody} bytes`), 413),
});
// A rundown import sets its own, larger limit (worker/routes/rundown.ts).
const RUNDOWN_IMPORT = /^\/api\/rooms\/[^/]+\/rundown\/import$/;
// So does a stock import (worker/routes/warehouse.ts).
const STOCK_IMPORT = /^\/api\/warehouse\/import$/;
app.use('/api/*', function httpBodyLimit(c, next) {
  return RUNDOWN_IMPORT.test(c.req.path) || STOCK_IMPORT.test(c.req.path) ? next() : apiBodyLimit(c, next);
});
app.use('*', sessionAuth());
// After auth, before any route: what a personal API token may reach (one table: middleware/scopes.ts).
app.use('/api/*', scopeGuard());

app.route('/', healthRoutes);
app.route('/api', authRoutes);
app.route('/api', tokenRoutes);
app.route('/api', roomRoutes);
app.route('/api', roomDeviceRoutes);
app.route('/api', rundownRoutes);
app.route('/api', roomFeedRoutes);
// Before the sessions routes: their `/sessions/:id` would otherwise take `/sessions/webhooks`.
app.route('/api', webhookRouteSet);
app.route('/api', historyRoutes);
app.route('/api', opsRoutes);
app.route('/api', sessionReportRoutes);
app.route('/api', sessionRoutes);
// After the session routes: `/sessions/:id` would otherwise take `/sessions/current` and the rest.
app.route('/api', sessionEntryRoutes);
app.route('/api', projectRoutes);
app.route('/api', rackRoutes);
app.route('/api', rackConflictRoutes);
app.route('/api', warehouseRoutes);
app.route('/api', reviewRoutes);
app.route('/', viewerPage);

app.notFound((c) => c.json(errorBody('not_found', 'No such route'), 404));

app.onError((err, c) => {
  if (err instanceof ApiError) {
    for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
    return c.json(errorBody(err.code, err.message, err.details), err.status);
  }
  // Hono's own HTTPExceptions (from its helpers and middleware) keep their 4xx status under the same body shape.
  if (err instanceof HTTPException && err.status < 500) {
    const code = Object.entries(ERROR_STATUS).find(([, s]) => s === err.status)?.[0] ?? 'bad_request';
    return c.json(errorBody(code, err.message || code.replace(/_/g, ' ')), err.status);
  }
  console.error(
    JSON.stringify({
      level: 'error',
      msg: 'unhandled',
      requestId: c.var.requestId,
      error: String(err),
      stack: (err as Error).stack,
    }),
  );
  return c.json(errorBody('internal', 'Something went wrong on our side'), 500);
});
