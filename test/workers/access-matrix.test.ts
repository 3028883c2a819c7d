/**
 * Who may do what: every caller kind × every room route, table-driven.
 * Each cell gets its own room, prepared so the action would succeed for someone allowed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type RoomHandle, type Session, adminSession, call, createRoom, createTimer, durableView, expectError, ownerDoes, signup, tryOpenSocket } from './helpers.ts';

type Caller = 'anonymous' | 'owner' | 'member' | 'admin' | 'viewer' | 'controller' | 'rotated';
const CALLERS: Caller[] = ['anonymous', 'owner', 'member', 'admin', 'viewer', 'controller', 'rotated'];

interface Cell {
  room: RoomHandle;
  a: string;
  b: string;
  /** The current controller token (the room's first one was rotated out). */
  controller: string;
  rotated: string;
}

interface Action {
  method: string;
  path: (c: Cell) => string;
  body?: (c: Cell) => unknown;
  /** Owner-run preparation, so the action itself is valid. */
  prepare?: (c: Cell) => Promise<unknown>;
}

const pre = (path: (c: Cell) => string, body?: unknown, method = 'POST') => (c: Cell) => ownerDoes(c.room, path(c), body, method);

const ACTIONS: Record<string, Action> = {
  'GET snapshot': { method: 'GET', path: () => '' },
  'PUT room': { method: 'PUT', path: () => '', body: () => ({ name: 'Renamed' }) },
  'DELETE room': { method: 'DELETE', path: () => '' },
  'rotate link': { method: 'POST', path: () => '/links/rotate', body: () => ({ role: 'viewer' }) },
  'create timer': { method: 'POST', path: () => '/timers', body: () => ({ label: 'New', durationMs: 1000 }) },
  'update timer': { method: 'PUT', path: (c) => `/timers/${c.a}`, body: () => ({ label: 'Edited' }) },
  'delete timer': { method: 'DELETE', path: (c) => `/timers/${c.a}` },
  start: { method: 'POST', path: (c) => `/timers/${c.a}/start` },
  pause: { method: 'POST', path: (c) => `/timers/${c.a}/pause`, prepare: pre((c) => `/timers/${c.a}/start`) },
  resume: {
    method: 'POST',
    path: (c) => `/timers/${c.a}/resume`,
    prepare: async (c) => {
      await ownerDoes(c.room, `/timers/${c.a}/start`);
      await ownerDoes(c.room, `/timers/${c.a}/pause`);
    },
  },
  reset: { method: 'POST', path: (c) => `/timers/${c.a}/reset`, prepare: pre((c) => `/timers/${c.a}/start`) },
  adjust: { method: 'POST', path: (c) => `/timers/${c.a}/adjust`, body: () => ({ deltaMs: 1000 }) },
  next: { method: 'POST', path: () => '/next' },
  previous: { method: 'POST', path: () => '/previous', prepare: pre(() => '/next') },
  'set message': { method: 'POST', path: () => '/message', body: () => ({ text: 'Wrap up' }) },
  'clear message': { method: 'DELETE', path: () => '/message', prepare: pre(() => '/message', { text: 'Wrap up' }) },
  reorder: { method: 'POST', path: () => '/reorder', body: (c) => ({ timerIds: [c.b, c.a] }) },
  'ws command': { method: 'WS', path: () => '/ws' },
};

// Expected status per caller. For 'ws command', 200 means an ack, 403 after a 101 means an `error` forbidden.
//                   anonymous owner member admin viewer controller rotated
const READ = [401, 200, 403, 403, 200, 200, 403];
const OWNER = (ok: number) => [401, ok, 403, 403, 403, 403, 403];
const CONTROL = (ok: number) => [401, ok, 403, 403, 403, ok, 403];
const MATRIX: Record<keyof typeof ACTIONS, number[]> = {
  'GET snapshot': READ,
  'PUT room': OWNER(200),
  'DELETE room': OWNER(204),
  'rotate link': OWNER(200),
  'create timer': CONTROL(201),
  'update timer': CONTROL(200),
  'delete timer': CONTROL(200),
  start: CONTROL(200),
  pause: CONTROL(200),
  resume: CONTROL(200),
  reset: CONTROL(200),
  adjust: CONTROL(200),
  next: CONTROL(200),
  previous: CONTROL(200),
  'set message': CONTROL(200),
  'clear message': CONTROL(200),
  reorder: CONTROL(200),
  'ws command': CONTROL(200),
};

let owner: Session;
let member: Session;
let admin: Session;

beforeAll(async () => {
  [owner, member, admin] = await Promise.all([signup(), signup(), adminSession()]);
});

async function prepareCell(action: Action): Promise<Cell> {
  const room = await createRoom(owner);
  const a = (await createTimer(room, { label: 'A' })).id;
  const b = (await createTimer(room, { label: 'B' })).id;
  const rotated = room.links.controller;
  const controller = (await ownerDoes(room, '/links/rotate', { role: 'controller' })).body.links.controller;
  const cell = { room, a, b, controller, rotated };
  await action.prepare?.(cell);
  return cell;
}

function credentials(caller: Caller, cell: Cell): { auth?: string; token?: string } {
  switch (caller) {
    case 'anonymous':
      return {};
    case 'owner':
      return { auth: owner.token };
    case 'member':
      return { auth: member.token };
    case 'admin':
      return { auth: admin.token };
    case 'viewer':
      return { token: cell.room.links.viewer };
    case 'controller':
      return { token: cell.controller };
    case 'rotated':
      return { token: cell.rotated };
  }
}

/** Runs the action as `caller`; the HTTP status, or for the socket 200 (ack) / the refusal. */
async function perform(action: Action, caller: Caller, cell: Cell): Promise<{ status: number; code?: string }> {
  const cred = credentials(caller, cell);
  if (action.method === 'WS') {
    const r = await tryOpenSocket(cell.room.id, cred);
    if (!('socket' in r)) return { status: r.status, code: r.body?.error?.code };
    const ws = r.socket;
    await ws.next('room-state');
    ws.send({ type: 'command', id: 'matrix', command: { type: 'adjust', timerId: cell.a, deltaMs: 1000 } });
    const answer = await ws.next(['ack', 'error']);
    ws.close();
    return answer.type === 'ack' ? { status: 200 } : { status: answer.code === 'forbidden' ? 403 : 0, code: answer.code };
  }
  const query = cred.token ? `?token=${cred.token}` : '';
  const body = action.body?.(cell);
  const a = await call(`/api/rooms/${cell.room.id}${action.path(cell)}${query}`, {
    method: action.method,
    ...(cred.auth ? { auth: cred.auth } : {}),
    ...(body !== undefined ? { json: body } : {}),
  });
  if (a.status >= 400) expectError(a, a.status);
  return { status: a.status, code: a.body?.error?.code };
}

const CODE: Record<number, string> = { 401: 'unauthenticated', 403: 'forbidden' };

describe.each(Object.keys(ACTIONS))('%s', (name) => {
  const action = ACTIONS[name] as Action;
  const row = MATRIX[name] as number[];
  // Refusals change nothing (each one checks), so they share one room; every allowed caller gets a fresh one.
  let shared: Cell;
  beforeAll(async () => {
    shared = await prepareCell(action);
  });
  it.each(CALLERS.map((caller, i) => [caller, row[i] as number] as const))('%s → %i', async (caller, expected) => {
    const cell = expected >= 400 ? shared : await prepareCell(action);
    const before = await durableView(cell.room);
    const got = await perform(action, caller, cell);
    expect(got.status).toBe(expected);
    if (expected >= 400) {
      expect(got.code).toBe(CODE[expected]);
      expect(await durableView(cell.room)).toEqual(before);
    } else if (name === 'DELETE room') {
      expect((await call(`/api/rooms/${cell.room.id}`, { auth: owner.token })).status).toBe(404);
    } else if (action.method !== 'GET' && name !== 'rotate link') {
      expect((await durableView(cell.room)).version).toBe(before.version + 1);
    }
  });
});

describe('room settings over the WebSocket follow PUT /api/rooms/:id', () => {
  it('a controller socket cannot rename the room; the owner socket can', async () => {
    const room = await createRoom(owner);
    const before = await durableView(room);
    const controller = await tryOpenSocket(room.id, { token: room.links.controller });
    const ownerWs = await tryOpenSocket(room.id, { auth: owner.token });
    if (!('socket' in controller) || !('socket' in ownerWs)) throw new Error('sockets refused');
    controller.socket.send({ type: 'command', id: 'rename', command: { type: 'update-room', name: 'Hijacked' } });
    expect(await controller.socket.next('error')).toMatchObject({ id: 'rename', code: 'forbidden' });
    expect(await durableView(room)).toEqual(before);
    ownerWs.socket.send({ type: 'command', id: 'rename', command: { type: 'update-room', warnMs: 10_000 } });
    expect(await ownerWs.socket.next('ack')).toMatchObject({ version: before.version + 1 });
    controller.socket.close();
    ownerWs.socket.close();
  });
});
