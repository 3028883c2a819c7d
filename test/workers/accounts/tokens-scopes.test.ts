/**
 * Personal API token scopes across the route matrix: every route family (rooms, sessions, racks, warehouse, floors,
 * rack sessions, conflicts, ops, admin, tokens, auth, unknown paths), each tried with a token of each scope and one
 * with all four. A refused cell is 403 insufficient_scope and never reaches the route; an allowed cell reaches it
 * (its answer, whatever the route decides, is not a scope or login refusal). Login tokens have every scope.
 * Expectations are written out per cell, not derived from the guard's table.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Answer,
  type Session,
  adminSession,
  call,
  createRoom,
  createTimer,
  expectError,
  freshIp,
  signup,
  durableView,
  tryOpenWs,
  type RoomHandle,
} from '../../support/workers.ts';
import { current } from '../../support/sessions.ts';

type Kind = 'read' | 'rooms' | 'sessions' | 'racks' | 'all';
const KINDS: Kind[] = ['read', 'rooms', 'sessions', 'racks', 'all'];
const SCOPES: Record<Kind, string[]> = {
  read: ['read'],
  rooms: ['rooms'],
  sessions: ['sessions'],
  racks: ['racks'],
  all: ['read', 'rooms', 'sessions', 'racks'],
};

interface Who {
  login: Session;
  tokens: Record<Kind, string>;
}
let member: Who;
let admin: Who;
let room: RoomHandle;
let timerId: string;

async function tokensOf(s: Session): Promise<Who> {
  const tokens = {} as Record<Kind, string>;
  for (const k of KINDS) {
    const a = await call('/api/tokens', { auth: s.token, json: { name: `matrix ${k}`, scopes: SCOPES[k] } });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    tokens[k] = a.body.secret;
  }
  return { login: s, tokens };
}

beforeAll(async () => {
  member = await tokensOf(await signup());
  admin = await tokensOf(await adminSession());
  room = await createRoom(member.login);
  timerId = (await createTimer(room, { durationMs: 60_000 })).id;
});

interface Cell {
  family: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: () => string;
  body?: (k: Kind) => unknown;
  upgrade?: true;
  who?: 'member' | 'admin';
  /** Token kinds the guard lets through. */
  allow: Kind[];
  /** The status every allowed kind gets, when the route's answer does not depend on earlier cells. */
  ok?: number;
  /** Cells whose login-token call would end the session or change the account: tried with API tokens only. */
  apiOnly?: true;
}

const R: Kind[] = ['read', 'rooms', 'all'];
const S: Kind[] = ['read', 'sessions', 'all'];
const K: Kind[] = ['read', 'racks', 'all'];
const floorSlug = (k: Kind) => `scope-${k}-${crypto.randomUUID().slice(0, 8)}`;

const CELLS: Cell[] = [
  // Rooms
  { family: 'rooms', method: 'GET', path: () => '/api/rooms', allow: R, ok: 200 },
  { family: 'rooms', method: 'GET', path: () => `/api/rooms/${room.id}`, allow: R, ok: 200 },
  { family: 'rooms', method: 'GET', path: () => `/api/rooms/${room.id}/now`, allow: R, ok: 200 },
  {
    family: 'rooms',
    method: 'POST',
    path: () => '/api/rooms',
    body: (k) => ({ name: `by ${k}` }),
    allow: ['rooms', 'all'],
    ok: 201,
  },
  {
    family: 'rooms',
    method: 'PUT',
    path: () => `/api/rooms/${room.id}`,
    body: (k) => ({ name: `renamed by ${k}` }),
    allow: ['rooms', 'all'],
    ok: 200,
  },
  {
    family: 'rooms',
    method: 'POST',
    path: () => `/api/rooms/${room.id}/timers`,
    body: () => ({ label: 'x', durationMs: 1_000 }),
    allow: ['rooms', 'all'],
    ok: 201,
  },
  {
    family: 'rooms',
    method: 'POST',
    path: () => `/api/rooms/${room.id}/timers/${timerId}/start`,
    allow: ['rooms', 'all'],
  },
  { family: 'rooms', method: 'DELETE', path: () => `/api/rooms/${room.id}/message`, allow: ['rooms', 'all'], ok: 200 },
  {
    family: 'rooms',
    method: 'GET',
    path: () => `/api/rooms/${room.id}/ws`,
    upgrade: true,
    allow: ['rooms', 'all'],
    ok: 101,
  },
  // Live sessions (projects and tasks belong to them)
  { family: 'sessions', method: 'GET', path: () => '/api/sessions/current', allow: S, ok: 200 },
  {
    family: 'sessions',
    method: 'POST',
    path: () => '/api/sessions/start',
    body: () => ({}),
    allow: ['sessions', 'all'],
  },
  { family: 'sessions', method: 'POST', path: () => '/api/sessions/stop', allow: ['sessions', 'all'] },
  {
    family: 'sessions',
    method: 'GET',
    path: () => '/api/sessions/ws',
    upgrade: true,
    allow: ['sessions', 'all'],
    ok: 101,
  },
  { family: 'sessions', method: 'GET', path: () => '/api/projects', allow: S },
  {
    family: 'sessions',
    method: 'POST',
    path: () => '/api/tasks/t1',
    body: () => ({ title: 'x' }),
    allow: ['sessions', 'all'],
  },
  // Racks, rack sessions, sync, floors and conflicts
  { family: 'racks', method: 'GET', path: () => '/api/racks/floors', allow: K, ok: 200 },
  { family: 'racks', method: 'GET', path: () => '/api/racks/available?floor=ground', allow: K, ok: 200 },
  {
    family: 'racks',
    method: 'POST',
    path: () => '/api/racks/NOPE-404/claim',
    body: () => ({ floor: 'ground' }),
    allow: ['racks', 'all'],
  },
  {
    family: 'racks',
    method: 'POST',
    path: () => '/api/sync/batch',
    body: () => ({}),
    allow: ['racks', 'all'],
    ok: 400,
  },
  { family: 'racks', method: 'GET', path: () => '/api/rack-sessions/active', allow: K },
  {
    family: 'racks',
    method: 'POST',
    path: () => '/api/rack-sessions/nope/heartbeat',
    body: () => ({ fencing_token: 1 }),
    allow: ['racks', 'all'],
  },
  { family: 'racks', method: 'GET', path: () => '/api/racks/G01/ws', upgrade: true, allow: K },
  { family: 'racks', method: 'GET', path: () => '/api/floors/ground/conflicts', who: 'admin', allow: K, ok: 200 },
  {
    family: 'racks',
    method: 'POST',
    path: () => '/api/racks/G01/conflicts/nope/resolve',
    body: () => ({ resolution: 'accept' }),
    who: 'admin',
    allow: ['racks', 'all'],
  },
  {
    family: 'racks',
    method: 'GET',
    path: () => '/api/floors/ground/ws',
    upgrade: true,
    who: 'admin',
    allow: K,
    ok: 101,
  },
  // Warehouse (admins)
  { family: 'warehouse', method: 'GET', path: () => '/api/warehouse', who: 'admin', allow: K, ok: 200 },
  {
    family: 'warehouse',
    method: 'POST',
    path: () => '/api/warehouse/floors',
    body: (k) => ({ id: floorSlug(k), name: `Floor ${k}` }),
    who: 'admin',
    allow: ['racks', 'all'],
    ok: 201,
  },
  // Ops (admins): reads with `read`, changes with a login only
  { family: 'ops', method: 'GET', path: () => '/api/ops/stats', who: 'admin', allow: ['read', 'all'], ok: 200 },
  {
    family: 'ops',
    method: 'GET',
    path: () => '/api/ops/ws',
    upgrade: true,
    who: 'admin',
    allow: ['read', 'all'],
    ok: 101,
  },
  { family: 'ops', method: 'POST', path: () => '/api/ops/outbox/kick', who: 'admin', allow: [] },
  { family: 'ops', method: 'POST', path: () => '/api/ops/dlq/1/replay', who: 'admin', allow: [] },
  // Admin, tokens and the account: a login only
  {
    family: 'admin',
    method: 'PUT',
    path: () => `/api/admin/users/${encodeURIComponent(member.login.email)}/role`,
    body: () => ({ role: 'member' }),
    who: 'admin',
    allow: [],
    apiOnly: true,
  },
  { family: 'tokens', method: 'GET', path: () => '/api/tokens', allow: [], ok: 200 },
  {
    family: 'tokens',
    method: 'POST',
    path: () => '/api/tokens',
    body: () => ({ name: 'child', scopes: ['read'] }),
    allow: [],
    apiOnly: true,
  },
  { family: 'tokens', method: 'DELETE', path: () => '/api/tokens/0123456789abcdef', allow: [], apiOnly: true },
  { family: 'auth', method: 'POST', path: () => '/api/auth/logout', allow: [], apiOnly: true },
  { family: 'auth', method: 'POST', path: () => '/api/auth/logout-all', allow: [], apiOnly: true },
  {
    family: 'auth',
    method: 'POST',
    path: () => '/api/auth/password',
    body: () => ({ currentPassword: 'correct-horse-1', newPassword: 'another-one-123' }),
    allow: [],
    apiOnly: true,
  },
  {
    family: 'auth',
    method: 'POST',
    path: () => '/api/auth/bootstrap',
    body: () => ({ secret: 'guess' }),
    allow: [],
    apiOnly: true,
  },
  { family: 'auth', method: 'GET', path: () => '/api/me', allow: KINDS, ok: 200 },
  {
    family: 'auth',
    method: 'POST',
    path: () => '/api/auth/login',
    body: () => ({ email: member.login.email, password: member.login.password }),
    allow: KINDS,
    ok: 200,
    apiOnly: true,
  },
  // A path no table row names is closed to API tokens
  { family: 'unknown', method: 'GET', path: () => '/api/not-a-route', allow: [] },
  { family: 'unknown', method: 'POST', path: () => '/api/not-a-route', body: () => ({}), allow: [] },
];

async function attempt(cell: Cell, auth: string, k: Kind | 'login'): Promise<Answer> {
  const headers = { 'CF-Connecting-IP': freshIp() };
  if (cell.upgrade) {
    const r = await tryOpenWs(cell.path(), { auth, headers });
    if ('socket' in r) {
      r.socket.close();
      return { status: 101, body: null, headers: new Headers() };
    }
    return { status: r.status, body: r.body, headers: new Headers() };
  }
  const body = cell.body?.(k === 'login' ? 'all' : k);
  return call(cell.path(), { method: cell.method, auth, headers, ...(body === undefined ? {} : { json: body }) });
}

const refusedByScope = (a: Answer) =>
  a.status === 401 ||
  (a.status === 403 && (a.body as { error?: { code?: string } })?.error?.code === 'insufficient_scope');

describe('the scope matrix', () => {
  it.each(
    CELLS.map(
      (c) =>
        [
          `${c.family}: ${c.method} ${c.path.toString().replace(/^\(\) => /, '')}${c.upgrade ? ' (WebSocket)' : ''}`,
          c,
        ] as const,
    ),
  )('%s', async (_name, cell) => {
    const who = cell.who === 'admin' ? admin : member;
    for (const k of KINDS) {
      const a = await attempt(cell, who.tokens[k], k);
      const label = `${k} token: ${a.status} ${JSON.stringify(a.body)}`;
      if (cell.allow.includes(k)) {
        expect(refusedByScope(a), label).toBe(false);
        if (cell.ok !== undefined) expect(a.status, label).toBe(cell.ok);
      } else {
        expectError(a, 403, 'insufficient_scope');
        expect(a.body.error.details.scopes, label).toEqual(SCOPES[k]);
      }
    }
    if (!cell.apiOnly) {
      const a = await attempt(cell, who.login.token, 'login');
      expect(refusedByScope(a), `login token: ${a.status} ${JSON.stringify(a.body)}`).toBe(false);
    }
  });
});

describe('refused cells change nothing', () => {
  it('room writes by read, sessions and racks tokens leave the room as it was', async () => {
    const r = await createRoom(member.login);
    const before = await durableView(r);
    for (const k of ['read', 'sessions', 'racks'] as const) {
      const auth = member.tokens[k];
      expectError(
        await call(`/api/rooms/${r.id}`, { method: 'PUT', auth, json: { name: 'hijacked' } }),
        403,
        'insufficient_scope',
      );
      expectError(
        await call(`/api/rooms/${r.id}/timers`, { auth, json: { label: 'x', durationMs: 1_000 } }),
        403,
        'insufficient_scope',
      );
      expectError(await call(`/api/rooms/${r.id}`, { method: 'DELETE', auth }), 403, 'insufficient_scope');
    }
    expect(await durableView(r)).toEqual(before);
  });

  it('a session start by read, rooms and racks tokens starts nothing', async () => {
    const s = await signup();
    const w = await tokensOf(s);
    for (const k of ['read', 'rooms', 'racks'] as const)
      expectError(await call('/api/sessions/start', { auth: w.tokens[k], json: {} }), 403, 'insufficient_scope');
    expect(await current(s)).toMatchObject({ status: 'idle' });
    expect((await call('/api/sessions/start', { auth: w.tokens.sessions, json: {} })).status).toBeLessThan(300);
    expect(await current(s)).toMatchObject({ status: 'running' });
  });

  it('a read token reads ops only on an admin account', async () => {
    expectError(await call('/api/ops/stats', { auth: member.tokens.read }), 403, 'forbidden');
    expect((await call('/api/ops/stats', { auth: admin.tokens.read })).status).toBe(200);
  });

  it('the refusal says which scopes would do', async () => {
    const a = await call(`/api/rooms/${room.id}/ws`, { auth: member.tokens.read, headers: { Upgrade: 'websocket' } });
    expectError(a, 403, 'insufficient_scope');
    expect(a.body.error).toMatchObject({ details: { required: ['rooms'], scopes: ['read'] } });
    expect(a.body.error.message).toContain('"rooms"');
  });
});
