/** Catalogue routes of accounts, API tokens, health and ops (see ../routes.ts). */
import { bootstrapBody, loginBody, passwordChangeBody, roleBody, signupBody } from '../../../../core/protocol.ts';
import { createTokenBody } from '../../../../worker/routes/tokens.ts';
import type { RouteSpec } from './spec.ts';

/** Accounts and tokens, then health and ops. */
export const PLATFORM_ROUTES: RouteSpec[] = [
  // ── Accounts ──
  { name: 'signup', method: 'POST', path: '/api/auth/signup', auth: 'public', body: signupBody, writes: true },
  { name: 'login', method: 'POST', path: '/api/auth/login', auth: 'public', body: loginBody, writes: false },
  // Logout revokes the token it came with: it writes, and its callers get fresh accounts in the matrix.
  { name: 'logout', method: 'POST', path: '/api/auth/logout', auth: 'public', writes: true, revokes: true },
  { name: 'logout all', method: 'POST', path: '/api/auth/logout-all', auth: 'user', writes: true, revokes: true },
  {
    name: 'password change',
    method: 'POST',
    path: '/api/auth/password',
    auth: 'user',
    body: passwordChangeBody,
    writes: true,
    revokes: true,
  },
  {
    name: 'bootstrap admin',
    method: 'POST',
    path: '/api/auth/bootstrap',
    auth: 'user',
    body: bootstrapBody,
    writes: true,
  },
  {
    name: 'set role',
    method: 'PUT',
    path: '/api/admin/users/:email/role',
    auth: 'admin',
    body: roleBody,
    writes: true,
  },
  { name: 'me', method: 'GET', path: '/api/me', auth: 'user', writes: false },
  // Personal API tokens (login tokens only; :apiToken names no token).
  { name: 'tokens list', method: 'GET', path: '/api/tokens', auth: 'user', writes: false },
  { name: 'token create', method: 'POST', path: '/api/tokens', auth: 'user', body: createTokenBody, writes: true },
  { name: 'token revoke', method: 'DELETE', path: '/api/tokens/:apiToken', auth: 'user', writes: true },
  // ── Health and ops ──
  { name: 'health', method: 'GET', path: '/health', auth: 'public', writes: false },
  { name: 'health deep', method: 'GET', path: '/health/deep', auth: 'public', writes: false },
  { name: 'ops stats', method: 'GET', path: '/api/ops/stats', auth: 'admin', writes: false },
  { name: 'ops dlq', method: 'GET', path: '/api/ops/dlq', auth: 'admin', writes: false },
  { name: 'ops dlq replay', method: 'POST', path: '/api/ops/dlq/:dlq/replay', auth: 'admin', writes: true },
  { name: 'ops outbox kick', method: 'POST', path: '/api/ops/outbox/kick', auth: 'admin', writes: false },
  { name: 'ops notifications', method: 'GET', path: '/api/ops/notifications', auth: 'admin', writes: false },
  { name: 'ops wakeups', method: 'GET', path: '/api/ops/objects/:kind/:name/wakeups', auth: 'admin', writes: false },
  { name: 'ops ws', method: 'GET', path: '/api/ops/ws', auth: 'admin', ws: true, writes: false },
];
