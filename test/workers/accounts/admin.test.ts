/**
 * Finding 1 (admin by signing up first): no email makes an admin in production; the role lives on the account; the
 * first admin comes from the one-time bootstrap secret, later ones from admins; a production deployment with demo
 * admin addresses or localhost CORS origins refuses to serve.
 */
import { describe, expect, it } from 'vitest';
import { PASSWORD, call, expectError, freshIp, signup, unique, adminSession } from '../../support/workers.ts';
import { callWith, devToken, productionEnv } from '../../support/accounts.ts';

const BOOTSTRAP = 'bootstrap-secret-0123456789abcdef';

describe('production: no admin by choosing an email', () => {
  it('an address listed in ADMIN_EMAILS signs up as a member, and ops stays closed to it', async () => {
    const email = `${unique('boss')}@example.com`;
    const prod = productionEnv({ ADMIN_EMAILS: email });
    const a = await callWith(prod, '/api/auth/signup', {
      json: { email, password: PASSWORD, name: 'Claimer' },
      headers: { 'CF-Connecting-IP': freshIp() },
    });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(a.body.user.role).toBe('member');
    expectError(await callWith(prod, '/api/ops/stats', { auth: a.body.token }), 403, 'forbidden');
    // Logging in again does not promote either.
    const b = await callWith(prod, '/api/auth/login', {
      json: { email, password: PASSWORD },
      headers: { 'CF-Connecting-IP': freshIp() },
    });
    expect(b.body.user.role).toBe('member');
  });

  it.each([
    ['demo admin addresses', { ADMIN_EMAILS: 'admin@keeptime.test' }],
    ['a localhost CORS origin', { CORS_ORIGINS: 'https://keeptime.example,http://localhost:4321' }],
    ['a 127.0.0.1 CORS origin', { CORS_ORIGINS: 'http://127.0.0.1:4321' }],
  ])('refuses to serve with %s: 503 misconfigured', async (_what, overrides) => {
    expectError(await callWith(productionEnv(overrides), '/health'), 503, 'misconfigured');
    expectError(await callWith(productionEnv(overrides), '/api/me'), 503, 'misconfigured');
  });

  it('serves a clean production configuration', async () => {
    expect((await callWith(productionEnv({ CORS_ORIGINS: 'https://keeptime.example' }), '/health')).status).toBe(200);
  });
});

describe('the role lives on the account', () => {
  it('a token claiming admin for a member account gets member rights', async () => {
    const s = await signup();
    const forged = await devToken({ ...s.user, role: 'admin' });
    expect((await call('/api/me', { auth: forged })).body.user.role).toBe('member');
    expectError(await call('/api/ops/stats', { auth: forged }), 403, 'forbidden');
  });
});

describe('bootstrap and promotion', () => {
  it('the bootstrap secret makes the first admin once; wrong or missing secrets are refused', async () => {
    const prod = productionEnv({ ADMIN_BOOTSTRAP_SECRET: BOOTSTRAP });
    const sign = async () => {
      const email = `${unique('first')}@example.com`;
      const a = await callWith(prod, '/api/auth/signup', {
        json: { email, password: PASSWORD, name: 'First' },
        headers: { 'CF-Connecting-IP': freshIp() },
      });
      expect(a.status).toBe(201);
      return a.body as { user: { email: string; role: string }; token: string };
    };
    const first = await sign();
    const second = await sign();
    const boot = (token: string | null, secret: string, e = prod) =>
      callWith(e, '/api/auth/bootstrap', { auth: token, json: { secret }, headers: { 'CF-Connecting-IP': freshIp() } });

    expectError(await boot(null, BOOTSTRAP), 401, 'unauthenticated');
    expectError(await boot(first.token, 'not-the-secret'), 403, 'forbidden');
    expectError(await boot(first.token, BOOTSTRAP, productionEnv()), 403, 'forbidden');
    const ok = await boot(first.token, BOOTSTRAP);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.user.role).toBe('admin');
    // The same token now carries admin rights: the role is read from the account.
    expect((await callWith(prod, '/api/ops/stats', { auth: first.token })).status).toBe(200);
    expectError(await boot(second.token, BOOTSTRAP), 409, 'bootstrap_used');
    expect((await callWith(prod, '/api/me', { auth: second.token })).body.user.role).toBe('member');
  });

  it('an admin promotes and demotes by email; a demoted admin loses admin at once', async () => {
    const admin = await adminSession();
    const s = await signup();
    const path = `/api/admin/users/${encodeURIComponent(s.email)}/role`;
    expectError(await call(path, { method: 'PUT', auth: s.token, json: { role: 'admin' } }), 403, 'forbidden');
    const up = await call(path, { method: 'PUT', auth: admin.token, json: { role: 'admin' } });
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    expect(up.body.user).toMatchObject({ email: s.email, role: 'admin' });
    expect((await call('/api/ops/stats', { auth: s.token })).status).toBe(200);
    const down = await call(path, { method: 'PUT', auth: admin.token, json: { role: 'member' } });
    expect(down.body.user.role).toBe('member');
    expectError(await call('/api/ops/stats', { auth: s.token }), 403, 'forbidden');
    expectError(
      await call(`/api/admin/users/${encodeURIComponent(admin.email)}/role`, {
        method: 'PUT',
        auth: admin.token,
        json: { role: 'member' },
      }),
      409,
      'cannot_demote_self',
    );
    expectError(
      await call(`/api/admin/users/${encodeURIComponent(`${unique('nobody')}@example.com`)}/role`, {
        method: 'PUT',
        auth: admin.token,
        json: { role: 'admin' },
      }),
      404,
    );
  });
});
