/**
 * Finding 3 (sockets authorised only at the upgrade): a socket keeps its token's expiry and version and checks them
 * on every frame; an expired, logged-out or revoked token closes it with 4401, a demoted admin's ops socket with
 * 4403. Session JWTs ride in ?token= only on upgrades.
 */
import { describe, expect, it } from 'vitest';
import { SESSION_CACHE_TTL_MS } from '../../../durable-objects/accounts/session-check.ts';
import {
  type TestSocket,
  adminSession,
  call,
  createRoom,
  expectError,
  login,
  openSocket,
  signup,
  sleep,
  tryOpenWs,
} from '../../support/workers.ts';
import { current, openSessionSocket } from '../../support/sessions.ts';
import { devToken } from '../../support/accounts.ts';

/** Sends pings until the socket closes (another isolate may hold the account's state for the cache TTL). */
async function closedAfterFrames(ws: TestSocket, frame: unknown = { type: 'ping', t0: 1 }) {
  const deadline = Date.now() + SESSION_CACHE_TTL_MS + 2_000;
  while (Date.now() < deadline) {
    try {
      ws.send(frame);
    } catch {
      break;
    }
    const closed = await ws.closed(400).catch(() => null);
    if (closed) return closed;
  }
  return ws.closed(1_000);
}

describe('expiry is checked on every frame', () => {
  it('a session socket whose token expired closes with 4401 and starts nothing', async () => {
    const s = await signup();
    const short = await devToken(s.user, { expiresInS: 2 });
    const ws = await openSessionSocket({ auth: short });
    ws.send({ type: 'ping', t0: 1 });
    await ws.next('pong');
    await sleep(2_200);
    ws.send({ type: 'SESSION_START', id: 'late', label: 'after expiry' });
    expect(await ws.closed(2_000)).toMatchObject({ code: 4401 });
    expect(await current(s)).toMatchObject({ status: 'idle' });
  });

  it('an owner room socket whose token expired closes with 4401', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const short = await devToken(owner.user, { expiresInS: 2 });
    const ws = await openSocket(room.id, { auth: short });
    await sleep(2_200);
    ws.send({ type: 'ping', t0: 1 });
    expect(await ws.closed(2_000)).toMatchObject({ code: 4401 });
  });
});

describe('revocation reaches open sockets', () => {
  it('logout closes the sockets opened with that token at their next frame', async () => {
    const s = await signup();
    const other = (await login(s.email, s.password)).body.token as string;
    const revoked = await openSessionSocket({ auth: s.token });
    const kept = await openSessionSocket({ auth: other });
    expect((await call('/api/auth/logout', { method: 'POST', auth: s.token })).status).toBe(204);
    expect(await closedAfterFrames(revoked)).toMatchObject({ code: 4401 });
    kept.send({ type: 'ping', t0: 2 });
    await kept.next('pong');
    kept.close();
  });

  it('logout-all closes every socket of the account', async () => {
    const s = await signup();
    const ws = await openSessionSocket({ auth: s.token });
    expect((await call('/api/auth/logout-all', { method: 'POST', auth: s.token })).status).toBe(204);
    expect(await closedAfterFrames(ws)).toMatchObject({ code: 4401 });
  });

  it('/api/ops/ws: a demoted admin’s socket closes with 4403', async () => {
    const admin = await adminSession();
    const s = await signup();
    const rolePath = `/api/admin/users/${encodeURIComponent(s.email)}/role`;
    expect((await call(rolePath, { method: 'PUT', auth: admin.token, json: { role: 'admin' } })).status).toBe(200);
    const opened = await tryOpenWs('/api/ops/ws', { auth: s.token });
    if (!('socket' in opened)) throw new Error(`ops socket refused: ${opened.status}`);
    const ws = opened.socket;
    await ws.next('feed');
    expect((await call(rolePath, { method: 'PUT', auth: admin.token, json: { role: 'member' } })).status).toBe(200);
    expect(await closedAfterFrames(ws)).toMatchObject({ code: 4403 });
  });
});

describe('?token= carries a session only on upgrades', () => {
  it('refuses a session JWT in the query of an HTTP route with 401 and a message', async () => {
    const s = await signup();
    const a = await call(`/api/me?token=${s.token}`);
    expectError(a, 401, 'unauthenticated');
    expect(a.body.error.message).toMatch(/WebSocket/);
    // The same token opens a socket from the query.
    const ws = await openSessionSocket({ token: s.token });
    ws.close();
  });
});
