/**
 * Every way the server ends or refuses a live socket is one the site's socket
 * acts on. An open socket's close code must be in the site's final (or
 * deliberate-reconnect) set for that kind of socket. A refused upgrade is an
 * HTTP answer before the upgrade (a browser sees 1006 and probes over HTTP),
 * so its status must map to one of those final codes.
 */
import { runInDurableObject } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { CLOSE } from '../../../core/errors.ts';
import {
  FINAL_CLOSE_CODES,
  RECONNECT_CLOSE_CODES,
  type SocketKind,
  closeCodeForStatus,
} from '../../../site/src/lib/net/close-codes.ts';
import {
  BASE,
  type TestSocket,
  adminSession,
  call,
  createRoom,
  openSocket,
  ownerDoes,
  roomStub,
  signup,
  tryOpenSocket,
  wrapSocket,
} from '../../support/workers.ts';
import { openSessionSocket, tryOpenSessionSocket } from '../../support/sessions.ts';
import { openWs } from '../../support/racks.ts';

/** Asserts an open socket closes with `expected`, a code the site ends (or deliberately reconnects) on. */
async function expectClosedWith(kind: SocketKind, socket: TestSocket, expected: number): Promise<void> {
  const { code } = await socket.closed(5000);
  expect(code).toBe(expected);
  expect([...FINAL_CLOSE_CODES[kind], ...RECONNECT_CLOSE_CODES]).toContain(code);
}

/** Asserts a refused upgrade's status maps to `expected`, a final close code for `kind`. */
function expectRefusedAs(kind: SocketKind, status: number, expected: number): void {
  expect(status).not.toBe(101);
  const code = closeCodeForStatus(status);
  expect(code, `HTTP ${status}`).toBe(expected);
  expect(FINAL_CLOSE_CODES[kind]).toContain(code);
}

/** Asserts the HTTP request the site probes with after a failed upgrade is refused as `expected` too. */
async function expectProbedAs(
  kind: SocketKind,
  path: string,
  token: string | undefined,
  expected: number,
): Promise<void> {
  const a = await call(path, { auth: token ?? null });
  expect(closeCodeForStatus(a.status), `${path}: HTTP ${a.status}`).toBe(expected);
  expect(FINAL_CLOSE_CODES[kind]).toContain(expected);
}

/** Opens `path` as a WebSocket; the HTTP status when the upgrade is refused. */
async function upgradeStatus(path: string, token?: string): Promise<number> {
  const headers: Record<string, string> = { Upgrade: 'websocket' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await exports.default.fetch(new Request(`${BASE}${path}`, { headers }));
  if (res.webSocket) wrapSocket(res.webSocket).close();
  else await res.arrayBuffer();
  return res.status;
}

const refusedStatus = (r: { socket: TestSocket } | { status: number }): number => {
  if ('socket' in r) {
    r.socket.close();
    return 101;
  }
  return r.status;
};

describe('room sockets (viewer, controller, owner)', () => {
  it('a rotated share link closes viewer and controller sockets with the code the site stops on', async () => {
    const room = await createRoom(await signup());
    const viewer = await openSocket(room.id, { token: room.links.viewer });
    const controller = await openSocket(room.id, { token: room.links.controller });
    await ownerDoes(room, '/links/rotate', { role: 'viewer' });
    await expectClosedWith('room', viewer, CLOSE.rotated);
    await ownerDoes(room, '/links/rotate', { role: 'controller' });
    await expectClosedWith('room', controller, CLOSE.rotated);
    // The old links are refused before the upgrade from now on.
    expectRefusedAs('room', refusedStatus(await tryOpenSocket(room.id, { token: room.links.viewer })), CLOSE.forbidden);
    await expectProbedAs('room', `/api/rooms/${room.links.viewer}`, undefined, CLOSE.forbidden);
    expectRefusedAs(
      'room',
      refusedStatus(await tryOpenSocket(room.id, { token: room.links.controller })),
      CLOSE.forbidden,
    );
  });

  it('a deleted room closes every socket (owner, controller, viewer) as deleted', async () => {
    const room = await createRoom(await signup());
    const owner = await openSocket(room.id, { auth: room.owner.token });
    const controller = await openSocket(room.id, { token: room.links.controller });
    const viewer = await openSocket(room.id, { token: room.links.viewer });
    await ownerDoes(room, '', undefined, 'DELETE');
    for (const s of [owner, controller, viewer]) await expectClosedWith('room', s, CLOSE.deleted);
    expectRefusedAs('room', refusedStatus(await tryOpenSocket(room.id, { auth: room.owner.token })), CLOSE.deleted);
    await expectProbedAs('room', `/api/rooms/${room.id}`, room.owner.token, CLOSE.deleted);
  });

  it('a socket whose stored attachment no longer validates is closed with a code the site reconnects on', async () => {
    const room = await createRoom(await signup());
    const viewer = await openSocket(room.id, { token: room.links.viewer });
    await runInDurableObject(roomStub(room.id), (_instance, state) => {
      for (const ws of state.getWebSockets()) ws.serializeAttachment({ garbage: true });
    });
    viewer.send({ type: 'request-sync' });
    await expectClosedWith('room', viewer, CLOSE.invalidSession);
  });

  it('refused upgrades: no credentials, another account, an unknown room', async () => {
    const room = await createRoom(await signup());
    const stranger = await signup();
    expectRefusedAs('room', refusedStatus(await tryOpenSocket(room.id)), CLOSE.unauthenticated);
    expectRefusedAs('room', refusedStatus(await tryOpenSocket(room.id, { auth: stranger.token })), CLOSE.forbidden);
    expectRefusedAs('room', refusedStatus(await tryOpenSocket('nope', { auth: stranger.token })), CLOSE.deleted);
    await expectProbedAs('room', `/api/rooms/${room.id}`, undefined, CLOSE.unauthenticated);
    await expectProbedAs('room', `/api/rooms/${room.id}`, stranger.token, CLOSE.forbidden);
    await expectProbedAs('room', '/api/rooms/nope', stranger.token, CLOSE.deleted);
  });
});

describe('session socket', () => {
  it('refuses an anonymous upgrade as unauthenticated', async () => {
    expectRefusedAs('session', refusedStatus(await tryOpenSessionSocket()), CLOSE.unauthenticated);
    await expectProbedAs('session', '/api/sessions/current', undefined, CLOSE.unauthenticated);
  });

  it('closes a socket whose stored attachment names another user as forbidden (the code the site stops on)', async () => {
    const me = await signup();
    const socket = await openSessionSocket({ auth: me.token });
    const stub = env.USER_SESSION.get(env.USER_SESSION.idFromName(me.user.id));
    await runInDurableObject(stub, (_instance, state) => {
      for (const ws of state.getWebSockets()) ws.serializeAttachment(renameUser(ws.deserializeAttachment(), 'other'));
    });
    socket.send({ type: 'SESSION_SYNC' });
    expect(await socket.next('error')).toMatchObject({ code: 'forbidden' });
    await expectClosedWith('session', socket, CLOSE.forbidden);
  });
});

describe('rack and floor board sockets', () => {
  it('refused upgrades: anonymous, an unknown rack or floor', async () => {
    const member = await signup();
    expectRefusedAs('rack', await upgradeStatus('/api/racks/G01/ws'), CLOSE.unauthenticated);
    expectRefusedAs('rack', await upgradeStatus('/api/racks/NO-SUCH-RACK/ws', member.token), CLOSE.deleted);
    expectRefusedAs('floor', await upgradeStatus('/api/floors/first/ws'), CLOSE.unauthenticated);
    expectRefusedAs('floor', await upgradeStatus('/api/floors/attic/ws', member.token), CLOSE.deleted);
    expectRefusedAs('floor', await upgradeStatus('/api/floors/NOT_A_FLOOR/ws', member.token), CLOSE.deleted);
    // What the site probes with after a refused upgrade says the same.
    await expectProbedAs('rack', '/api/racks/G01/status', undefined, CLOSE.unauthenticated);
    await expectProbedAs('rack', '/api/racks/NO-SUCH-RACK/status', member.token, CLOSE.deleted);
    await expectProbedAs('floor', '/api/racks/available?floor=first', undefined, CLOSE.unauthenticated);
    await expectProbedAs('floor', '/api/racks/available?floor=attic', member.token, CLOSE.deleted);
  });

  it('a lost lease is a lease-lost message, not a close: the socket stays usable', async () => {
    const [holder, admin] = await Promise.all([signup(), adminSession()]);
    const rackId = 'G07';
    await call(`/api/racks/${rackId}/force-release`, { auth: admin.token, json: { reason: 'test reset' } });
    const claim = await call(`/api/racks/${rackId}/claim`, { auth: holder.token, json: { floor: 'ground' } });
    expect(claim.status, JSON.stringify(claim.body)).toBeLessThan(300);
    const socket = await openWs(`/api/racks/${rackId}/ws`, holder.token, 'rack-status');
    await call(`/api/racks/${rackId}/force-release`, { auth: admin.token, json: { reason: 'close-code test' } });
    await socket.next('lease-lost', 5000);
    socket.send({ type: 'request-sync' });
    await socket.next('rack-status', 5000);
    socket.close();
  });
});

describe('ops feed socket', () => {
  it('refused upgrades: anonymous and a member who is not an admin', async () => {
    expectRefusedAs('ops', await upgradeStatus('/api/ops/ws'), CLOSE.unauthenticated);
    const member = await signup();
    expectRefusedAs('ops', await upgradeStatus('/api/ops/ws', member.token), CLOSE.forbidden);
    await expectProbedAs('ops', '/api/ops/stats', undefined, CLOSE.unauthenticated);
    await expectProbedAs('ops', '/api/ops/stats', member.token, CLOSE.forbidden);
  });
});

/** Replaces every `userId` in a stored attachment (its shape is the platform's business, not this test's). */
function renameUser(v: unknown, userId: string): unknown {
  if (Array.isArray(v)) return v.map((x) => renameUser(x, userId));
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [k, k === 'userId' && typeof x === 'string' ? userId : renameUser(x, userId)]),
  );
}
