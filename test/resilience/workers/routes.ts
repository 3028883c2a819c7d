/**
 * Every route of the public contract (../shared/API.md) and the README's
 * extensions, as data: method, path template, body and query schemas, who may
 * call it and whether it changes state. The fuzzer and the authorisation
 * matrix both walk this list; a route missing here is a route nobody fuzzes.
 *
 * Path parameters: :room (a room id), :timer, :rack, :rackSession (`<rack>:<token>`),
 * :floor, :dlq (a dead-letter event id), :kind and :name (an object reference), :conflict, :email (an account that
 * does not exist), :apiToken (an API token id no account has).
 */
import { z } from 'zod';
import {
  adjustBody,
  bootstrapBody,
  createRoomBody,
  createTimerBody,
  emptyBody,
  loginBody,
  messageBody,
  passwordChangeBody,
  rackClaimBody,
  rackCompleteBody,
  rackForceReleaseBody,
  rackHeartbeatBody,
  rackLeaseBody,
  reorderBody,
  roleBody,
  rotateBody,
  signupBody,
  startSessionBody,
  syncBatchBody,
  updateRoomBody,
  updateTimerBody,
} from '../../../core/protocol.ts';
import { RUNDOWN_CSV_MAX_BYTES } from '../../../core/rooms/rundown-csv.ts';
import {
  addRackBody,
  conflictListQuery,
  createFloorBody,
  renameFloorBody,
  resolveConflictBody,
  setExpectedBody,
} from '../../../core/racks/protocol.ts';
import { deviceNameBody } from '../../../core/protocol.ts';
import { createTokenBody } from '../../../worker/routes/tokens.ts';

/**
 * Who the route admits. `room-*` kinds accept the owner's account or a share
 * token: read = any token, control = the controller token, history = owner or
 * controller, owner = the account only.
 */
export type AuthKind = 'public' | 'user' | 'admin' | 'room-read' | 'room-control' | 'room-history' | 'room-owner';

export interface RouteSpec {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  auth: AuthKind;
  /** The JSON body the route reads (absent: the route reads no body). */
  body?: z.ZodType;
  /** The query parameters the route reads, for generation (values are sent as strings). */
  query?: z.ZodType;
  /** Opened as a WebSocket (GET with Upgrade). */
  ws?: boolean;
  /** Whether an accepted call may change state. */
  writes: boolean;
  /**
   * An accepted call ends the caller's sessions (logout, logout-all, password change): the fuzzer never sends it with
   * the world's own tokens, and the authorisation matrix gives each admitted caller fresh accounts.
   */
  revokes?: boolean;
  /** The route's own body limit in bytes, when it is not LIMITS.httpBody (the rundown import takes 256 KiB). */
  bodyLimit?: number;
}

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const userId = z.string().min(1).max(64);
const roomHistoryQuery = z.strictObject({ limit: int(1, 500).optional() });
const sessionsQuery = z.strictObject({
  userId: userId.optional(),
  limit: int(1, 200).optional(),
  cursor: z.string().min(1).max(200).optional(),
});
const statsQuery = z.strictObject({
  userId: userId.optional(),
  days: int(1, 365).optional(),
  tzOffset: int(-840, 840).optional(),
});
const ownerQuery = z.strictObject({ userId: userId.optional() });
const floorQuery = z.strictObject({
  floor: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9-]+$/),
});
const wsQuery = z.strictObject({ ticks: z.enum(['0', '1']).optional(), device: z.string().max(80).optional() });

const rundownImportBody = z.strictObject({ csv: z.string() });
const nowQuery = z.strictObject({ wait: int(0, 60).optional() });
const webhookCreateBody = z.strictObject({
  url: z.string(),
  events: z.array(z.string()),
  enabled: z.boolean().optional(),
});
const webhookUpdateBody = z.strictObject({
  url: z.string().optional(),
  events: z.array(z.string()).optional(),
  enabled: z.boolean().optional(),
});

/** The eight webhook routes under `base` (:webhook and :delivery name none: 404 once admitted). */
function webhookRoutes(scope: string, base: string, auth: AuthKind): RouteSpec[] {
  const W = `${base}/webhooks/:webhook`;
  return [
    { name: `${scope} webhooks`, method: 'GET', path: `${base}/webhooks`, auth, writes: false },
    {
      name: `${scope} webhook create`,
      method: 'POST',
      path: `${base}/webhooks`,
      auth,
      body: webhookCreateBody,
      writes: true,
    },
    { name: `${scope} webhook update`, method: 'PUT', path: W, auth, body: webhookUpdateBody, writes: true },
    { name: `${scope} webhook delete`, method: 'DELETE', path: W, auth, writes: true },
    { name: `${scope} webhook rotate`, method: 'POST', path: `${W}/rotate`, auth, writes: true },
    { name: `${scope} webhook deliveries`, method: 'GET', path: `${W}/deliveries`, auth, writes: false },
    {
      name: `${scope} webhook redeliver`,
      method: 'POST',
      path: `${W}/deliveries/:delivery/redeliver`,
      auth,
      writes: true,
    },
    { name: `${scope} webhook test`, method: 'POST', path: `${W}/test`, auth, writes: true },
  ];
}

const R = '/api/rooms/:room';
const T = `${R}/timers/:timer`;

export const ROUTES: RouteSpec[] = [
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
  // ── Rooms ──
  { name: 'create room', method: 'POST', path: '/api/rooms', auth: 'user', body: createRoomBody, writes: true },
  { name: 'list rooms', method: 'GET', path: '/api/rooms', auth: 'user', writes: false },
  { name: 'room snapshot', method: 'GET', path: R, auth: 'room-read', writes: false },
  { name: 'update room', method: 'PUT', path: R, auth: 'room-owner', body: updateRoomBody, writes: true },
  { name: 'delete room', method: 'DELETE', path: R, auth: 'room-owner', writes: true },
  {
    name: 'rotate link',
    method: 'POST',
    path: `${R}/links/rotate`,
    auth: 'room-owner',
    body: rotateBody,
    writes: true,
  },
  {
    name: 'create timer',
    method: 'POST',
    path: `${R}/timers`,
    auth: 'room-control',
    body: createTimerBody,
    writes: true,
  },
  { name: 'update timer', method: 'PUT', path: T, auth: 'room-control', body: updateTimerBody, writes: true },
  { name: 'delete timer', method: 'DELETE', path: T, auth: 'room-control', writes: true },
  { name: 'start timer', method: 'POST', path: `${T}/start`, auth: 'room-control', writes: true },
  { name: 'pause timer', method: 'POST', path: `${T}/pause`, auth: 'room-control', writes: true },
  { name: 'resume timer', method: 'POST', path: `${T}/resume`, auth: 'room-control', writes: true },
  { name: 'reset timer', method: 'POST', path: `${T}/reset`, auth: 'room-control', writes: true },
  { name: 'select timer', method: 'POST', path: `${T}/select`, auth: 'room-control', writes: true },
  { name: 'adjust timer', method: 'POST', path: `${T}/adjust`, auth: 'room-control', body: adjustBody, writes: true },
  { name: 'next', method: 'POST', path: `${R}/next`, auth: 'room-control', writes: true },
  { name: 'previous', method: 'POST', path: `${R}/previous`, auth: 'room-control', writes: true },
  { name: 'reorder', method: 'POST', path: `${R}/reorder`, auth: 'room-control', body: reorderBody, writes: true },
  { name: 'set message', method: 'POST', path: `${R}/message`, auth: 'room-control', body: messageBody, writes: true },
  { name: 'clear message', method: 'DELETE', path: `${R}/message`, auth: 'room-control', writes: true },
  { name: 'room ws', method: 'GET', path: `${R}/ws`, auth: 'room-read', query: wsQuery, ws: true, writes: false },
  {
    name: 'room history',
    method: 'GET',
    path: `${R}/history`,
    auth: 'room-history',
    query: roomHistoryQuery,
    writes: false,
  },
  { name: 'runs csv', method: 'GET', path: `${R}/history/runs.csv`, auth: 'room-history', writes: false },
  { name: 'actions csv', method: 'GET', path: `${R}/history/actions.csv`, auth: 'room-history', writes: false },
  // Rundown import (JSON {csv} here; text/csv has its own tests) and export.
  {
    name: 'rundown import',
    method: 'POST',
    path: `${R}/rundown/import`,
    auth: 'room-control',
    body: rundownImportBody,
    writes: true,
    bodyLimit: RUNDOWN_CSV_MAX_BYTES,
  },
  { name: 'rundown csv', method: 'GET', path: `${R}/rundown.csv`, auth: 'room-control', writes: false },
  // Event feed and the `now` reading (any link; the feed is a stream the probe closes at once).
  { name: 'room events', method: 'GET', path: `${R}/events`, auth: 'room-read', writes: false },
  { name: 'room now', method: 'GET', path: `${R}/now`, auth: 'room-read', query: nowQuery, writes: false },
  // Device control (:device names no device: 404 once admitted).
  {
    name: 'device rename',
    method: 'PUT',
    path: `${R}/devices/:device`,
    auth: 'room-control',
    body: deviceNameBody,
    writes: true,
  },
  {
    name: 'device identify',
    method: 'POST',
    path: `${R}/devices/:device/identify`,
    auth: 'room-control',
    writes: true,
  },
  { name: 'device reload', method: 'POST', path: `${R}/devices/:device/reload`, auth: 'room-control', writes: true },
  {
    name: 'device disconnect',
    method: 'POST',
    path: `${R}/devices/:device/disconnect`,
    auth: 'room-control',
    writes: true,
  },
  ...webhookRoutes('room', R, 'room-owner'),
  // ── Live sessions ──
  {
    name: 'session start',
    method: 'POST',
    path: '/api/sessions/start',
    auth: 'user',
    body: startSessionBody,
    writes: true,
  },
  { name: 'session pause', method: 'POST', path: '/api/sessions/pause', auth: 'user', body: emptyBody, writes: true },
  { name: 'session resume', method: 'POST', path: '/api/sessions/resume', auth: 'user', body: emptyBody, writes: true },
  { name: 'session stop', method: 'POST', path: '/api/sessions/stop', auth: 'user', body: emptyBody, writes: true },
  {
    name: 'session current',
    method: 'GET',
    path: '/api/sessions/current',
    auth: 'user',
    query: ownerQuery,
    writes: false,
  },
  {
    name: 'session ws',
    method: 'GET',
    path: '/api/sessions/ws',
    auth: 'user',
    query: wsQuery,
    ws: true,
    writes: false,
  },
  { name: 'sessions active', method: 'GET', path: '/api/sessions/active', auth: 'admin', writes: false },
  { name: 'session history', method: 'GET', path: '/api/sessions', auth: 'user', query: sessionsQuery, writes: false },
  { name: 'session stats', method: 'GET', path: '/api/sessions/stats', auth: 'user', query: statsQuery, writes: false },
  {
    name: 'session csv',
    method: 'GET',
    path: '/api/sessions/export.csv',
    auth: 'user',
    query: ownerQuery,
    writes: false,
  },
  // ── Racks ──
  { name: 'rack floors', method: 'GET', path: '/api/racks/floors', auth: 'user', writes: false },
  {
    name: 'racks available',
    method: 'GET',
    path: '/api/racks/available',
    auth: 'user',
    query: floorQuery,
    writes: false,
  },
  { name: 'racks user active', method: 'GET', path: '/api/racks/user/active', auth: 'user', writes: false },
  {
    name: 'rack claim',
    method: 'POST',
    path: '/api/racks/:rack/claim',
    auth: 'user',
    body: rackClaimBody,
    writes: true,
  },
  {
    name: 'rack release',
    method: 'POST',
    path: '/api/racks/:rack/release',
    auth: 'user',
    body: rackLeaseBody,
    writes: true,
  },
  {
    name: 'rack pause',
    method: 'POST',
    path: '/api/racks/:rack/pause',
    auth: 'user',
    body: rackLeaseBody,
    writes: true,
  },
  {
    name: 'rack resume',
    method: 'POST',
    path: '/api/racks/:rack/resume',
    auth: 'user',
    body: rackLeaseBody,
    writes: true,
  },
  {
    name: 'rack force release',
    method: 'POST',
    path: '/api/racks/:rack/force-release',
    auth: 'admin',
    body: rackForceReleaseBody,
    writes: true,
  },
  { name: 'rack status', method: 'GET', path: '/api/racks/:rack/status', auth: 'user', writes: false },
  { name: 'rack ws', method: 'GET', path: '/api/racks/:rack/ws', auth: 'user', ws: true, writes: false },
  { name: 'floor ws', method: 'GET', path: '/api/floors/:floor/ws', auth: 'user', ws: true, writes: false },
  // ── Rack sessions and sync ──
  { name: 'rack sessions active', method: 'GET', path: '/api/rack-sessions/active', auth: 'user', writes: false },
  {
    name: 'rack sessions history',
    method: 'GET',
    path: '/api/rack-sessions/user/history',
    auth: 'user',
    writes: false,
  },
  { name: 'rack session', method: 'GET', path: '/api/rack-sessions/:rackSession', auth: 'user', writes: false },
  {
    name: 'rack session stats',
    method: 'GET',
    path: '/api/rack-sessions/:rackSession/stats',
    auth: 'user',
    writes: false,
  },
  {
    name: 'rack heartbeat',
    method: 'POST',
    path: '/api/rack-sessions/:rackSession/heartbeat',
    auth: 'user',
    body: rackHeartbeatBody,
    writes: true,
  },
  {
    name: 'rack complete',
    method: 'POST',
    path: '/api/rack-sessions/:rackSession/complete',
    auth: 'user',
    body: rackCompleteBody,
    writes: true,
  },
  { name: 'sync batch', method: 'POST', path: '/api/sync/batch', auth: 'user', body: syncBatchBody, writes: true },
  // ── Rack conflicts (extension: the live holder or an admin) ──
  {
    name: 'rack conflicts',
    method: 'GET',
    path: '/api/racks/:rack/conflicts',
    auth: 'user',
    query: conflictListQuery,
    writes: false,
  },
  {
    name: 'rack conflict resolve',
    method: 'POST',
    path: '/api/racks/:rack/conflicts/:conflict/resolve',
    auth: 'user',
    body: resolveConflictBody,
    writes: true,
  },
  { name: 'floor conflicts', method: 'GET', path: '/api/floors/:floor/conflicts', auth: 'admin', writes: false },
  ...webhookRoutes('floor', '/api/floors/:floor', 'admin'),
  ...webhookRoutes('session', '/api/sessions', 'user'),
  // ── Warehouse layout (extension: admins) ──
  { name: 'warehouse', method: 'GET', path: '/api/warehouse', auth: 'admin', writes: false },
  {
    name: 'warehouse create floor',
    method: 'POST',
    path: '/api/warehouse/floors',
    auth: 'admin',
    body: createFloorBody,
    writes: true,
  },
  {
    name: 'warehouse rename floor',
    method: 'PUT',
    path: '/api/warehouse/floors/:floor',
    auth: 'admin',
    body: renameFloorBody,
    writes: true,
  },
  {
    name: 'warehouse add rack',
    method: 'POST',
    path: '/api/warehouse/floors/:floor/racks',
    auth: 'admin',
    body: addRackBody,
    writes: true,
  },
  {
    name: 'warehouse set expected',
    method: 'PUT',
    path: '/api/warehouse/racks/:rack/expected',
    auth: 'admin',
    body: setExpectedBody,
    writes: true,
  },
  { name: 'warehouse remove rack', method: 'DELETE', path: '/api/warehouse/racks/:rack', auth: 'admin', writes: true },
];

/** The path parameters a template names, in order. */
export const paramsOf = (path: string): string[] => [...path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1] as string);

/** Fills a template; values are URI-encoded unless `raw` is set (for hostile segments). */
export function fillPath(path: string, params: Record<string, string>, raw = false): string {
  return path.replace(/:([A-Za-z]+)/g, (_, k: string) => {
    const v = params[k];
    if (v === undefined) throw new Error(`no value for :${k} in ${path}`);
    return raw ? v : encodeURIComponent(v);
  });
}

/** Query parameters as a string; nested values are sent as their JSON text. */
export function queryString(q: unknown): string {
  if (!q || typeof q !== 'object' || Array.isArray(q)) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q))
    if (v !== undefined) p.append(k, typeof v === 'string' ? v : JSON.stringify(v));
  return p.toString();
}
