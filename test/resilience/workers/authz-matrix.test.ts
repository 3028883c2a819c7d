/**
 * Every route × every caller → the exact status of authz-table.ts. A refused
 * call answers in the error shape and changes nothing (the whole fuzz world is
 * compared before and after); an admitted write gets its own fresh room,
 * lease or session state, prepared so the call is valid.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../../../worker/app.ts';
import { rackStub } from '../../support/stubs.ts';
import { type Session, call, ownerDoes, roomStub, signup, tryOpenSocket, unique } from '../../support/workers.ts';
import { CALLERS, type Caller, EXPECTED } from './authz-table.ts';
import { validBody } from './fuzz-inputs.ts';
import { contractBreach, send } from './fuzz-lib.ts';
import { type World, buildWorld, freshLease, quietRoom, snapshotWorld } from './fuzz-world.ts';
import { ROUTES, type RouteSpec, fillPath } from './routes.ts';

let base: World;
beforeAll(async () => {
  base = await buildWorld('F09', 'first');
});

/** The account a caller acts as (share-token callers have none). */
function account(caller: Caller, w: World): Session | null {
  return caller === 'member' ? w.owner : caller === 'other member' ? w.other : caller === 'admin' ? w.admin : null;
}

/** The share token a caller presents (account callers have none). */
function linkToken(caller: Caller, w: World): string | null {
  return caller === 'viewer token'
    ? w.viewer
    : caller === 'controller token'
      ? w.controller
      : caller === 'rotated token'
        ? w.rotated
        : null;
}

const isRoomRoute = (r: RouteSpec) => r.path.startsWith('/api/rooms/:room');
const isRackRoute = (r: RouteSpec) => /^\/api\/(racks|rack-sessions|sync|floors)\//.test(r.path);

/** The world one call meets: a fresh quiet room for room routes, a fresh live lease for rack routes. */
async function cellWorld(r: RouteSpec, w: World): Promise<World> {
  if (r.revokes) {
    // The call revokes its caller's tokens: fresh accounts (a fresh admin too, promoted by the world's admin).
    const [owner, other, admin] = await Promise.all([signup(), signup(), signup()]);
    const promoted = await call(`/api/admin/users/${encodeURIComponent(admin.email)}/role`, {
      method: 'PUT',
      auth: w.admin.token,
      json: { role: 'admin' },
    });
    expect(promoted.status, JSON.stringify(promoted.body)).toBe(200);
    return { ...w, owner, other, admin: { ...admin, user: { ...admin.user, role: 'admin' } } };
  }
  if (r.name === 'warehouse remove rack') {
    // A spare rack of its own, never held, so removing it is valid and the world's rack stays.
    const spare = `AZ${crypto.randomUUID().slice(0, 8)}`;
    const added = await call(`/api/warehouse/floors/${w.floor}/racks`, {
      auth: w.admin.token,
      json: { rack_id: spare },
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    return { ...w, params: { ...w.params, rack: spare } };
  }
  if (isRackRoute(r)) {
    const lease = await freshLease(w.owner, w.rack, w.floor);
    return { ...w, lease, params: { ...w.params, rackSession: lease.session_id } };
  }
  if (!isRoomRoute(r)) return w;
  const { room, timerIds, rotated, controller } = await quietRoom(w.owner);
  return {
    ...w,
    room,
    timerIds,
    rotated,
    controller,
    viewer: room.links.viewer,
    params: { ...w.params, room: room.id, timer: timerIds[0] },
  };
}

const sessionDoes = (who: Session, verb: string) =>
  call(`/api/sessions/${verb}`, { method: 'POST', auth: who.token, ...(verb === 'start' ? { json: {} } : {}) });

/** Puts the caller's own live session where the command is valid. */
async function sessionAt(who: Session, status: 'idle' | 'running' | 'paused'): Promise<void> {
  await sessionDoes(who, 'stop');
  if (status === 'idle') return;
  expect((await sessionDoes(who, 'start')).status).toBe(201);
  if (status === 'paused') expect((await sessionDoes(who, 'pause')).status).toBe(200);
}

/** Owner-run preparation so an admitted call is valid. */
const PREPARE: Record<string, (w: World, who: Session | null) => Promise<unknown>> = {
  'pause timer': (w) => ownerDoes(w.room, `/timers/${w.timerIds[0]}/start`),
  'reset timer': (w) => ownerDoes(w.room, `/timers/${w.timerIds[0]}/start`),
  'resume timer': async (w) => {
    await ownerDoes(w.room, `/timers/${w.timerIds[0]}/start`);
    await ownerDoes(w.room, `/timers/${w.timerIds[0]}/pause`);
  },
  // The quiet room's current timer is the second (it was started last).
  next: (w) => ownerDoes(w.room, `/timers/${w.timerIds[0]}/select`),
  'session start': (_w, who) => sessionAt(who as Session, 'idle'),
  'session pause': (_w, who) => sessionAt(who as Session, 'running'),
  'session resume': (_w, who) => sessionAt(who as Session, 'paused'),
  'session stop': (_w, who) => sessionAt(who as Session, 'running'),
  'session update': (_w, who) => sessionAt(who as Session, 'running'),
  'session idle answer': (_w, who) => sessionAt(who as Session, 'running'),
  'rack resume': (w) => call(`/api/racks/${w.rack}/pause`, { auth: w.owner.token, json: w.lease }),
  'rack claim': (w) => rackStub(w.rack).forceRelease(w.rack, 'authz matrix', 'authz'),
};

/** Reads that name the member, so members other than the member are refused and admins are not. */
const NAMES_MEMBER = new Set(['session current', 'session history', 'session stats', 'session csv']);

async function perform(
  r: RouteSpec,
  caller: Caller,
  w: World,
): Promise<{ status: number; breach: string | null; body: unknown }> {
  const who = account(caller, w);
  const query = new URLSearchParams();
  if (NAMES_MEMBER.has(r.name)) query.set('userId', w.owner.user.id);
  if (r.name === 'racks available' || r.name === 'reviews') query.set('floor', w.floor);
  const token = linkToken(caller, w);
  if (token) query.set('token', token);
  let json = validBody(r, w);
  if (r.name === 'signup')
    json = { email: `${unique('authz')}@keeptime.test`, password: 'long-enough-1', name: 'Matrix' };
  if (r.name === 'login') json = { email: w.owner.email, password: w.owner.password };
  if (r.name === 'password change' && who) json = { currentPassword: who.password, newPassword: 'matrix-new-password' };
  const qs = query.toString();
  const o = await send({
    label: `${r.name} as ${caller}`,
    method: r.method,
    path: `${fillPath(r.path, w.params)}${qs ? `?${qs}` : ''}`,
    headers: {
      ...(who ? { Authorization: `Bearer ${who.token}` } : {}),
      ...(r.ws ? { Upgrade: 'websocket' } : {}),
      ...(json === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  return { status: o.status, breach: contractBreach(o), body: o.body };
}

const CODE: Record<number, string> = { 401: 'unauthenticated', 403: 'forbidden' };

it('the table has a row of 7 statuses for every route, and only routes that exist', () => {
  expect(Object.keys(EXPECTED).sort()).toEqual(ROUTES.map((r) => r.name).sort());
  for (const row of Object.values(EXPECTED)) expect(row).toHaveLength(CALLERS.length);
});

it('the catalogue lists every route the app serves (a new route needs a row here)', () => {
  const shape = (method: string, path: string) => `${method} ${path.replace(/:[A-Za-z]+/g, ':')}`;
  const served = app.routes
    .filter((r) => ['GET', 'POST', 'PUT', 'DELETE'].includes(r.method) && r.path !== '/r/*')
    .map((r) => shape(r.method, r.path));
  expect([...new Set(served)].sort()).toEqual(ROUTES.map((r) => shape(r.method, r.path)).sort());
});

describe.each(ROUTES.map((r) => [r.name, r] as const))('%s', (_name, r) => {
  const row = EXPECTED[r.name] as number[];
  // What an admitted caller gets: the member's status, or the admin's on admin-only routes.
  const admitted = row[1] === 403 ? row[3] : row[1];
  // Refusals of room routes share one room per route (each checks nothing changed); admitted writes get their own,
  // and every rack call meets a live lease of its own.
  let shared: World;
  beforeAll(async () => {
    shared = r.writes || isRackRoute(r) ? await cellWorld(r, base) : base;
  });

  it.each(CALLERS.map((caller, i) => [caller, row[i] as number] as const))('%s → %i', async (caller, expected) => {
    const refused = expected !== admitted;
    const w = (refused || !r.writes) && !isRackRoute(r) ? shared : await cellWorld(r, base);
    if (!refused) await PREPARE[r.name]?.(w, account(caller, w));
    const before = refused ? await snapshotWorld(w) : null;
    // An admitted room command is applied exactly once. Links, devices and webhooks are not rundown state: no version.
    const counts =
      !refused &&
      isRoomRoute(r) &&
      r.writes &&
      !['rotate link', 'delete room'].includes(r.name) &&
      !/^(device |room webhook)/.test(r.name);
    const version = counts ? (await roomStub(w.room.id).stats()).version : null;
    const got = await perform(r, caller, w);
    expect(got.status, JSON.stringify(got.body)).toBe(expected);
    expect(got.breach).toBeNull();
    if (refused && CODE[expected]) expect((got.body as { error: { code: string } }).error.code).toBe(CODE[expected]);
    if (before) expect(await snapshotWorld(w)).toEqual(before);
    if (version !== null) expect((await roomStub(w.room.id).stats()).version).toBe(version + 1);
  });
});

/**
 * Commands over the room socket follow the same table: 200 is an `ack`, 403 is
 * the socket refused or an `error forbidden`; room settings stay the owner's.
 */
describe('room socket commands', () => {
  //                      anon member other admin viewer control rotated
  const COMMAND = {
    adjust: [401, 200, 403, 403, 403, 200, 403],
    'update-room': [401, 200, 403, 403, 403, 403, 403],
  } as const;
  const commands = {
    adjust: (w: World) => ({ type: 'adjust', timerId: w.timerIds[0], deltaMs: 1000 }),
    'update-room': () => ({ type: 'update-room', warnMs: 10_000 }),
  };

  async function overSocket(caller: Caller, w: World, command: unknown): Promise<{ status: number; code?: string }> {
    const who = account(caller, w);
    const token = linkToken(caller, w);
    const r = await tryOpenSocket(w.room.id, { ...(who ? { auth: who.token } : {}), ...(token ? { token } : {}) });
    if (!('socket' in r)) return { status: r.status, code: r.body?.error?.code };
    await r.socket.next('room-state');
    r.socket.send({ type: 'command', id: `matrix-${caller}`, command });
    const answer = await r.socket.next(['ack', 'error']);
    r.socket.close();
    return answer.type === 'ack'
      ? { status: 200 }
      : { status: answer.code === 'forbidden' ? 403 : 0, code: answer.code };
  }

  for (const [name, row] of Object.entries(COMMAND) as [keyof typeof COMMAND, readonly number[]][]) {
    it.each(CALLERS.map((caller, i) => [caller, row[i] as number] as const))(
      `${name}: %s → %i`,
      async (caller, expected) => {
        const w = await cellWorld(ROUTES.find((r) => r.name === 'next') as RouteSpec, base);
        const version = (await roomStub(w.room.id).stats()).version;
        const got = await overSocket(caller, w, commands[name](w));
        expect(got.status, JSON.stringify(got)).toBe(expected);
        if (expected >= 400) expect(got.code).toBe(CODE[expected]);
        expect((await roomStub(w.room.id).stats()).version).toBe(expected === 200 ? version + 1 : version);
      },
    );
  }
});
