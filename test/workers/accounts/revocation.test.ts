/**
 * Finding 4 (no revocation): logout revokes the token it came with (Bearer or cookie), logout-all revokes every
 * token, a password change revokes every other token; a revoked token is 401 unauthenticated.
 */
import { describe, expect, it } from 'vitest';
import { PASSWORD, call, createRoom, expectError, login, signup } from '../../support/workers.ts';

const me = (token: string) => call('/api/me', { auth: token });
const meByCookie = (token: string) => call('/api/me', { headers: { Cookie: `kt_session=${token}` } });
const cookieToken = (h: Headers) => /kt_session=([^;]+)/.exec(h.get('Set-Cookie') ?? '')?.[1] ?? '';

describe('logout', () => {
  it('revokes the Bearer token it was called with, and only that one', async () => {
    const s = await signup();
    const other = (await login(s.email, s.password)).body.token as string;
    expect((await me(s.token)).status).toBe(200);
    expect((await call('/api/auth/logout', { method: 'POST', auth: s.token })).status).toBe(204);
    expectError(await me(s.token), 401, 'unauthenticated');
    expect((await me(other)).status).toBe(200);
  });

  it('revokes a cookie session too', async () => {
    const s = await signup();
    const token = (await login(s.email, s.password)).body.token as string;
    expect((await meByCookie(token)).status).toBe(200);
    const out = await call('/api/auth/logout', { method: 'POST', headers: { Cookie: `kt_session=${token}` } });
    expect(out.status).toBe(204);
    expectError(await meByCookie(token), 401, 'unauthenticated');
    expectError(await me(token), 401, 'unauthenticated');
    expect((await me(s.token)).status).toBe(200);
  });

  it('answers 204 without a session; a revoked Bearer token is 401 there as on every route', async () => {
    const s = await signup();
    await call('/api/auth/logout', { method: 'POST', auth: s.token });
    expectError(await call('/api/auth/logout', { method: 'POST', auth: s.token }), 401, 'unauthenticated');
    expect((await call('/api/auth/logout', { method: 'POST' })).status).toBe(204);
  });

  it('a revoked Bearer token is refused even where no login is needed; a stale cookie reads as logged out', async () => {
    const share = (await createRoom(await signup())).links.viewer;
    const s = await signup();
    expect((await call(`/api/rooms/${share}`, { auth: s.token })).status).toBe(200);
    await call('/api/auth/logout', { method: 'POST', auth: s.token });
    expectError(await call(`/api/rooms/${share}`, { auth: s.token }), 401, 'unauthenticated');
    expectError(await call(`/api/rooms/${share}/now`, { auth: s.token }), 401, 'unauthenticated');
    expect((await call(`/api/rooms/${share}`, { headers: { Cookie: `kt_session=${s.token}` } })).status).toBe(200);
  });
});

describe('logout-all', () => {
  it('revokes every token of the account; a new login works', async () => {
    const s = await signup();
    const tokens = [s.token, (await login(s.email, s.password)).body.token as string];
    expect((await call('/api/auth/logout-all', { method: 'POST', auth: s.token })).status).toBe(204);
    for (const t of tokens) expectError(await me(t), 401, 'unauthenticated');
    const again = (await login(s.email, s.password)).body.token as string;
    expect((await me(again)).status).toBe(200);
    expectError(await call('/api/auth/logout-all', { method: 'POST', auth: s.token }), 401, 'unauthenticated');
  });
});

describe('password change', () => {
  it('revokes every other token, refreshes the caller, and swaps the password', async () => {
    const s = await signup();
    const other = (await login(s.email, s.password)).body.token as string;
    const next = 'a-brand-new-password';
    const a = await call('/api/auth/password', {
      auth: s.token,
      json: { currentPassword: PASSWORD, newPassword: next },
    });
    expect(a.status, JSON.stringify(a.body)).toBe(204);
    const fresh = cookieToken(a.headers);
    expect(fresh).not.toBe('');
    expectError(await me(other), 401, 'unauthenticated');
    expectError(await me(s.token), 401, 'unauthenticated');
    expect((await me(fresh)).body.user).toEqual(s.user);
    expectError(await login(s.email, PASSWORD), 401, 'invalid_credentials');
    expect((await login(s.email, next)).status).toBe(200);
  });

  it('refuses a wrong current password (401) and a short new one (400), changing nothing', async () => {
    const s = await signup();
    expectError(
      await call('/api/auth/password', {
        auth: s.token,
        json: { currentPassword: 'wrong', newPassword: 'long-enough-1' },
      }),
      401,
      'invalid_credentials',
    );
    expectError(
      await call('/api/auth/password', { auth: s.token, json: { currentPassword: PASSWORD, newPassword: 'short' } }),
      400,
      'validation_failed',
    );
    expectError(
      await call('/api/auth/password', { json: { currentPassword: PASSWORD, newPassword: 'long-enough-1' } }),
      401,
      'unauthenticated',
    );
    expect((await me(s.token)).status).toBe(200);
  });
});
