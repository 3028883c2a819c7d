/**
 * Personal API tokens (issue 13): create (the secret once), list, revoke; validation and the per-account cap; the
 * secret stored only as its SHA-256; lastUsedAt (throttled); revocation refused at once on HTTP and on open sockets
 * (4401); token management, logout and the password need a login token.
 */
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { Account } from '../../../durable-objects/accounts/account.ts';
import { SESSION_CACHE_TTL_MS } from '../../../durable-objects/accounts/session-check.ts';
import { env } from 'cloudflare:workers';
import {
  type Session,
  type TestSocket,
  PASSWORD,
  adminSession,
  call,
  createRoom,
  expectError,
  openSocket,
  tryOpenSocket,
  signup,
  sleep,
} from '../../support/workers.ts';
import { current, openSessionSocket } from '../../support/sessions.ts';
import { clockAhead } from '../../support/clock.ts';
import { stubOf } from '../../support/stubs.ts';

const accountStub = (email: string) => stubOf(env.ACCOUNT, email.toLowerCase());

const FORMAT = /^kt_[0-9a-f]{64}_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/;

async function mint(who: Session, scopes: string[], name = 'script') {
  const a = await call('/api/tokens', { auth: who.token, json: { name, scopes } });
  expect(a.status, JSON.stringify(a.body)).toBe(201);
  return a.body as { token: Listed; secret: string };
}
interface Listed {
  id: string;
  name: string;
  scopes: string[];
  createdAt: number;
  lastUsedAt: number | null;
}
const list = async (who: Session) => (await call('/api/tokens', { auth: who.token })).body.tokens as Listed[];
const me = (auth: string) => call('/api/me', { auth });
const revoke = (who: Session, id: string) => call(`/api/tokens/${id}`, { method: 'DELETE', auth: who.token });
const sha256 = async (s: string) =>
  [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s)))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');

/** Sends pings until the socket closes (another isolate may hold the account's state for the cache TTL). */
async function closedAfterFrames(ws: TestSocket) {
  const deadline = Date.now() + SESSION_CACHE_TTL_MS + 2_000;
  while (Date.now() < deadline) {
    try {
      ws.send({ type: 'ping', t0: 1 });
    } catch {
      break;
    }
    const closed = await ws.closed(400).catch(() => null);
    if (closed) return closed;
  }
  return ws.closed(1_000);
}

describe('creating and listing', () => {
  it('answers the token and its secret once; the list never shows the secret', async () => {
    const s = await signup();
    const a = await call('/api/tokens', { auth: s.token, json: { name: '  CI deploy  ', scopes: ['read', 'rooms'] } });
    expect(a.status).toBe(201);
    expect(a.headers.get('Cache-Control')).toBe('no-store');
    expect(a.body).toEqual({
      token: {
        id: expect.stringMatching(/^[0-9a-f]{16}$/),
        name: 'CI deploy',
        scopes: ['read', 'rooms'],
        createdAt: expect.any(Number),
        lastUsedAt: null,
      },
      secret: expect.stringMatching(FORMAT),
    });
    const listed = await call('/api/tokens', { auth: s.token });
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ tokens: [a.body.token], limit: 50 });
    expect(JSON.stringify(listed.body)).not.toContain(a.body.secret.slice(-43));
    // The secret works as a Bearer token, as this account.
    const who = await me(a.body.secret);
    expect(who.status).toBe(200);
    expect(who.body.user).toMatchObject({ id: s.user.id, email: s.email });
  });

  it.each([
    [{ name: '', scopes: ['read'] }, 'name'],
    [{ name: '   ', scopes: ['read'] }, 'name'],
    [{ name: 'x'.repeat(81), scopes: ['read'] }, 'name'],
    [{ name: 'ok', scopes: [] }, 'scopes'],
    [{ name: 'ok', scopes: ['read', 'read'] }, 'scopes'],
    [{ name: 'ok', scopes: ['admin'] }, 'scopes'],
    [{ name: 'ok' }, 'scopes'],
    [{ name: 'ok', scopes: ['read'], extra: 1 }, ''],
    [{ name: 42, scopes: ['read'] }, 'name'],
  ])('refuses %j with 400 and creates nothing', async (body, path) => {
    const s = await signup();
    const a = await call('/api/tokens', { auth: s.token, json: body });
    expectError(a, 400, 'validation_failed');
    if (path)
      expect(a.body.error.details.some((d: { path: string }) => d.path === path || d.path.startsWith(`${path}.`))).toBe(
        true,
      );
    expect(await list(s)).toEqual([]);
  });

  it('names the allowed scopes when one is unknown', async () => {
    const s = await signup();
    const a = await call('/api/tokens', { auth: s.token, json: { name: 'x', scopes: ['read', 'write'] } });
    expectError(a, 400, 'validation_failed');
    expect(a.body.error.message).toContain('read, rooms, sessions, racks');
  });

  it('accepts 80-character names', async () => {
    const s = await signup();
    expect((await mint(s, ['read'], 'n'.repeat(80))).token.name).toHaveLength(80);
  });

  it('caps live tokens at 50 per account (409 quota_exceeded); revoking one frees a place', async () => {
    const s = await signup();
    const made = [];
    for (let i = 0; i < 50; i++) made.push(await mint(s, ['read'], `t${i}`));
    const over = await call('/api/tokens', { auth: s.token, json: { name: 'one more', scopes: ['read'] } });
    expectError(over, 409, 'quota_exceeded');
    expect(over.body.error.message).toContain('50');
    expect(await list(s)).toHaveLength(50);
    expect((await revoke(s, made[0]!.token.id)).status).toBe(204);
    await mint(s, ['read'], 'after a revoke');
    expect(await list(s)).toHaveLength(50);
  });
});

describe('storage', () => {
  it('keeps only the SHA-256 of the secret', async () => {
    const s = await signup();
    const { token, secret } = await mint(s, ['sessions']);
    const part = secret.slice(-43);
    const rows = await runInDurableObject(accountStub(s.email), (_i: Account, state) =>
      state.storage.sql.exec('SELECT * FROM api_tokens').toArray(),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: token.id, hash: await sha256(part), revoked: 0 });
    const dump = JSON.stringify(
      await runInDurableObject(accountStub(s.email), (_i: Account, state) =>
        state.storage.sql
          .exec(`SELECT * FROM sqlite_master`)
          .toArray()
          .map((t) =>
            t.type === 'table' && !/^(_cf_|sqlite_)/.test(String(t.name))
              ? state.storage.sql.exec(`SELECT * FROM "${t.name}"`).toArray()
              : [],
          ),
      ),
    );
    expect(dump).not.toContain(part);
  });
});

describe('refusals', () => {
  it('a wrong secret, a forged account part or a malformed token is 401 unauthenticated', async () => {
    const s = await signup();
    const { secret } = await mint(s, ['read']);
    const last = secret.at(-1) === 'A' ? 'B' : 'A';
    const other = await signup();
    const theirs = (await mint(other, ['read'])).secret;
    for (const bad of [
      `${secret.slice(0, -1)}${last}`,
      `kt_${'0'.repeat(64)}${secret.slice(67)}`,
      // Another account's object with this token's id and secret.
      `${theirs.slice(0, 67)}${secret.slice(67)}`,
      secret.slice(0, -1),
      'kt_nope',
    ])
      expectError(await me(bad), 401, 'unauthenticated');
    expect((await me(secret)).status).toBe(200);
  });

  it('is refused in ?token= outside a WebSocket upgrade', async () => {
    const s = await signup();
    const { secret } = await mint(s, ['read']);
    const a = await call(`/api/me?token=${encodeURIComponent(secret)}`);
    expectError(a, 401, 'unauthenticated');
    expect(a.body.error.message).toContain('Authorization');
  });

  it('is never read from the session cookie', async () => {
    const s = await signup();
    const { secret } = await mint(s, ['read']);
    expectError(await call('/api/me', { headers: { Cookie: `kt_session=${secret}` } }), 401, 'unauthenticated');
  });
});

describe('revocation', () => {
  it('refuses a revoked token at once; revoking again is 204, an unknown id 404', async () => {
    const s = await signup();
    const a = await mint(s, ['read', 'rooms']);
    const b = await mint(s, ['read']);
    expect((await me(a.secret)).status).toBe(200);
    expect((await revoke(s, a.token.id)).status).toBe(204);
    const refused = await me(a.secret);
    expectError(refused, 401, 'unauthenticated');
    expect((await me(b.secret)).status).toBe(200);
    expect((await list(s)).map((t) => t.id)).toEqual([b.token.id]);
    expect((await revoke(s, a.token.id)).status).toBe(204);
    expectError(await revoke(s, 'ffffffffffffffff'), 404, 'not_found');
    expectError(await revoke(s, 'not-an-id'), 404, 'not_found');
  });

  it("one account cannot revoke another's token", async () => {
    const owner = await signup();
    const stranger = await signup();
    const { token, secret } = await mint(owner, ['read']);
    expectError(await revoke(stranger, token.id), 404, 'not_found');
    expect((await me(secret)).status).toBe(200);
  });

  it('closes a session socket opened with the token (?token=) with 4401 at its next frame; it starts nothing', async () => {
    const s = await signup();
    const { token, secret } = await mint(s, ['sessions']);
    const ws = await openSessionSocket({ token: secret });
    ws.send({ type: 'ping', t0: 1 });
    await ws.next('pong');
    expect((await revoke(s, token.id)).status).toBe(204);
    ws.send({ type: 'SESSION_START', id: 'after-revoke', label: 'no' });
    expect(await closedAfterFrames(ws)).toMatchObject({ code: 4401 });
    expect(await current(s)).toMatchObject({ status: 'idle' });
  });

  it('closes a room socket opened with the token (Bearer) with 4401; a login socket stays open', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const { token, secret } = await mint(owner, ['rooms']);
    const byToken = await openSocket(room.id, { auth: secret });
    const byLogin = await openSocket(room.id, { auth: owner.token });
    expect((await revoke(owner, token.id)).status).toBe(204);
    expect(await closedAfterFrames(byToken)).toMatchObject({ code: 4401 });
    byLogin.send({ type: 'ping', t0: 2 });
    await byLogin.next('pong');
    byLogin.close();
  });
});

describe('roles', () => {
  it("a token acts with the account's current role: a demoted admin's read token loses Operations at once", async () => {
    const root = await adminSession();
    const s = await signup();
    const role = (r: string) =>
      call(`/api/admin/users/${encodeURIComponent(s.email)}/role`, {
        method: 'PUT',
        auth: root.token,
        json: { role: r },
      });
    expect((await role('admin')).status).toBe(200);
    const { secret } = await mint(s, ['read']);
    expect((await call('/api/ops/stats', { auth: secret })).status).toBe(200);
    expect((await role('member')).status).toBe(200);
    expectError(await call('/api/ops/stats', { auth: secret }), 403, 'forbidden');
    expect((await me(secret)).body.user.role).toBe('member');
  });
});

describe('sockets by ?token=', () => {
  it('opens a room socket with an API token in ?token= (the scope allows it); a read-only token is refused', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const control = await mint(owner, ['rooms']);
    const ws = await openSocket(room.id, { token: control.secret });
    ws.send({ type: 'ping', t0: 3 });
    await ws.next('pong');
    ws.close();
    const reader = await mint(owner, ['read']);
    const refused = await tryOpenSocket(room.id, { token: reader.secret });
    expect('status' in refused ? refused.status : 101).toBe(403);
  });
});

describe('lastUsedAt', () => {
  it('is null until used, then set by a request', async () => {
    const s = await signup();
    const { token, secret } = await mint(s, ['read']);
    expect((await list(s))[0]?.lastUsedAt).toBeNull();
    expect((await me(secret)).status).toBe(200);
    const used = (await list(s))[0];
    expect(used?.lastUsedAt).toEqual(expect.any(Number));
    expect(used?.lastUsedAt).toBeGreaterThanOrEqual(token.createdAt);
  });

  it('is written at most once a minute per token', async () => {
    const s = await signup();
    const { token, secret } = await mint(s, ['read']);
    const stub = accountStub(s.email);
    const hash = await sha256(secret.slice(-43));
    const first = await stub.useApiToken(token.id, hash);
    expect(first).toMatchObject({ email: s.email, scopes: ['read'] });
    const t1 = (await list(s))[0]?.lastUsedAt as number;
    expect(t1).toEqual(expect.any(Number));
    await sleep(20);
    await stub.useApiToken(token.id, hash);
    expect((await list(s))[0]?.lastUsedAt).toBe(t1);
    await clockAhead(stub, 61_000);
    await stub.useApiToken(token.id, hash);
    expect((await list(s))[0]?.lastUsedAt).toBeGreaterThanOrEqual(t1 + 60_000);
    // A wrong hash is no use, and records nothing.
    expect(await stub.useApiToken(token.id, '0'.repeat(64))).toBeNull();
  });
});

describe('login only', () => {
  it('an API token cannot list, create or revoke tokens, log out, log out everywhere or change the password', async () => {
    const s = await signup();
    const { token, secret } = await mint(s, ['read', 'rooms', 'sessions', 'racks'], 'everything');
    const attempts = [
      call('/api/tokens', { auth: secret }),
      call('/api/tokens', { auth: secret, json: { name: 'child', scopes: ['read'] } }),
      call(`/api/tokens/${token.id}`, { method: 'DELETE', auth: secret }),
      call('/api/auth/logout', { method: 'POST', auth: secret }),
      call('/api/auth/logout-all', { method: 'POST', auth: secret }),
      call('/api/auth/password', {
        auth: secret,
        json: { currentPassword: PASSWORD, newPassword: 'another-password-1' },
      }),
    ];
    for (const a of await Promise.all(attempts)) {
      expectError(a, 403, 'insufficient_scope');
      expect(a.body.error.details).toMatchObject({ required: 'login' });
    }
    expect((await list(s)).map((t) => t.id)).toEqual([token.id]);
    expect((await me(s.token)).status).toBe(200);
    expect((await me(secret)).status).toBe(200);
  });

  it('logout-all ends login tokens but not API tokens (they are revoked one by one)', async () => {
    const s = await signup();
    const { secret } = await mint(s, ['read']);
    expect((await call('/api/auth/logout-all', { method: 'POST', auth: s.token })).status).toBe(204);
    expectError(await me(s.token), 401, 'unauthenticated');
    expect((await me(secret)).status).toBe(200);
  });
});
