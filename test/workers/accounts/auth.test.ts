import { describe, expect, it } from 'vitest';
import { PASSWORD, adminSession, call, expectError, freshIp, login, signup, unique } from '../../support/workers.ts';

const newEmail = () => `${unique('auth')}@keeptime.test`;
const signupAs = (json: unknown, ip = freshIp()) =>
  call('/api/auth/signup', { json, headers: { 'CF-Connecting-IP': ip } });

describe('POST /api/auth/signup', () => {
  it('creates a member and starts a session (token and HttpOnly cookie)', async () => {
    const email = newEmail();
    const a = await signupAs({ email, password: PASSWORD, name: 'Ada' });
    expect(a.status).toBe(201);
    expect(a.body).toEqual({
      user: { id: expect.any(String), email, name: 'Ada', role: 'member' },
      token: expect.any(String),
    });
    const cookie = a.headers.get('Set-Cookie') ?? '';
    expect(cookie).toContain(`kt_session=${a.body.token}`);
    expect(cookie).toMatch(/HttpOnly/i);
  });

  it('in development, makes ADMIN_EMAILS accounts admins (the seeded demo admin; production ignores the list)', async () => {
    const admin = await adminSession();
    expect(admin.user).toMatchObject({ email: 'admin@keeptime.test', role: 'admin' });
  });

  it('answers 409 email_taken for an existing email, whatever its case', async () => {
    const email = newEmail();
    await signup({ email });
    expectError(await signupAs({ email, password: PASSWORD, name: 'Again' }), 409, 'email_taken');
    expectError(await signupAs({ email: email.toUpperCase(), password: PASSWORD, name: 'Shouty' }), 409, 'email_taken');
  });

  it('concurrent signups for one email create exactly one account', async () => {
    const email = newEmail();
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) => signupAs({ email, password: PASSWORD, name: `Racer ${i}` })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const winner = answers.find((a) => a.status === 201)!;
    expect((await login(email, PASSWORD)).body.user).toEqual(winner.body.user);
  });

  it.each([
    ['missing fields', {}],
    ['wrong types', { email: 42, password: true, name: [] }],
    ['unknown fields', { email: 'x@keeptime.test', password: PASSWORD, name: 'X', role: 'admin' }],
    ['a malformed email', { email: 'not-an-email', password: PASSWORD, name: 'X' }],
    ['a short password', { email: 'short@keeptime.test', password: 'short', name: 'X' }],
    ['an empty name', { email: 'noname@keeptime.test', password: PASSWORD, name: '   ' }],
    ['an array body', [1, 2]],
    ['a null body', null],
  ])('answers 400 validation_failed for %s', async (_what, json) => {
    const a = await signupAs(json);
    expectError(a, 400, 'validation_failed');
    expect(a.body.error.details).toEqual(expect.any(Array));
  });

  it('answers 400 invalid_json for a broken body and 415 for a non-JSON content type', async () => {
    expectError(
      await call('/api/auth/signup', { raw: '{"email":', headers: { 'Content-Type': 'application/json' } }),
      400,
      'invalid_json',
    );
    const email = newEmail();
    expectError(
      await call('/api/auth/signup', {
        raw: JSON.stringify({ email, password: PASSWORD, name: 'X' }),
        headers: { 'Content-Type': 'text/plain' },
      }),
      415,
      'unsupported_media_type',
    );
    // Nothing was created by the refused request: the email is still free.
    expect((await signupAs({ email, password: PASSWORD, name: 'X' })).status).toBe(201);
  });
});

describe('POST /api/auth/login', () => {
  it('logs in with the right password', async () => {
    const s = await signup();
    const a = await login(s.email, s.password);
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ user: s.user, token: expect.any(String) });
    expect(a.headers.get('Set-Cookie') ?? '').toContain('kt_session=');
    expect((await call('/api/me', { auth: a.body.token })).body.user).toEqual(s.user);
  });

  it('answers the same 401 invalid_credentials for an unknown email and a wrong password', async () => {
    const s = await signup();
    const wrong = await login(s.email, 'not-the-password');
    const unknown = await login(newEmail(), 'not-the-password');
    expectError(wrong, 401, 'invalid_credentials');
    expect(unknown.status).toBe(wrong.status);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.headers.get('Set-Cookie')).toBeNull();
  });

  it('treats the email case-insensitively', async () => {
    const s = await signup();
    expect((await login(s.email.toUpperCase(), s.password)).status).toBe(200);
  });

  it.each([
    ['an empty password', { email: 'a@keeptime.test', password: '' }],
    ['unknown fields', { email: 'a@keeptime.test', password: 'x', remember: true }],
    ['wrong types', { email: ['a'], password: 1 }],
  ])('answers 400 for %s', async (_what, json) => {
    expectError(
      await call('/api/auth/login', { json, headers: { 'CF-Connecting-IP': freshIp() } }),
      400,
      'validation_failed',
    );
  });

  it('rate limits failed logins with 429 rate_limited and Retry-After, per email and address', async () => {
    const email = newEmail();
    const ip = freshIp();
    let limited = null;
    for (let i = 0; i < 40 && !limited; i++) {
      const a = await call('/api/auth/login', {
        json: { email, password: 'guess-' + i },
        headers: { 'CF-Connecting-IP': ip },
      });
      if (a.status === 429) limited = a;
      else expectError(a, 401, 'invalid_credentials');
    }
    expect(limited, 'never rate limited').not.toBeNull();
    expectError(limited!, 429, 'rate_limited');
    const retryAfter = Number(limited!.headers.get('Retry-After'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`).toBe(true);
    // Failures count per email and address (IPv6 by /64): another address is not locked out of the account
    // (lockout.test.ts has the rest).
    expectError(
      await call('/api/auth/login', { json: { email, password: 'x' }, headers: { 'CF-Connecting-IP': freshIp() } }),
      401,
      'invalid_credentials',
    );
  });

  it('rate limits signup attempts for one email', async () => {
    const email = newEmail();
    let status = 0;
    for (let i = 0; i < 40 && status !== 429; i++)
      status = (await signupAs({ email, password: PASSWORD, name: 'Spam' })).status;
    expect(status).toBe(429);
  });
});

describe('logout and /api/me', () => {
  it('logout answers 204 and expires the cookie', async () => {
    const s = await signup();
    const a = await call('/api/auth/logout', { method: 'POST', auth: s.token });
    expect(a.status).toBe(204);
    expect(a.headers.get('Set-Cookie') ?? '').toMatch(/kt_session=;.*Max-Age=0/i);
  });

  it('me reads the Bearer header or the kt_session cookie', async () => {
    const s = await signup();
    expect(await call('/api/me', { auth: s.token })).toMatchObject({ status: 200, body: { user: s.user } });
    expect(await call('/api/me', { headers: { Cookie: `kt_session=${s.token}` } })).toMatchObject({
      status: 200,
      body: { user: s.user },
    });
  });

  it.each([
    ['no credentials', {}],
    ['a garbage Bearer', { Authorization: 'Bearer nonsense' }],
    ['a forged token', { Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' }],
    ['a garbage cookie', { Cookie: 'kt_session=%%%' }],
  ])('me answers 401 unauthenticated with %s', async (_what, headers) => {
    expectError(await call('/api/me', { headers }), 401, 'unauthenticated');
  });

  it('rejects a token whose signature was tampered with', async () => {
    const s = await signup();
    const [h, p] = s.token.split('.');
    const claims = JSON.parse(atob((p as string).replace(/-/g, '+').replace(/_/g, '/')));
    const forged = btoa(JSON.stringify({ ...claims, role: 'admin' }))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    expectError(await call('/api/me', { auth: `${h}.${forged}.${s.token.split('.')[2]}` }), 401, 'unauthenticated');
  });
});

describe('misc routes', () => {
  it('unknown routes answer a JSON 404', async () => {
    expectError(await call('/api/nope'), 404, 'not_found');
  });

  it('serves the same viewer page for any /r/<token> path, never a 5xx', async () => {
    const [a, b] = await Promise.all([call('/r/'), call('/r/0123456789abcdef0123_abcdefghijklmnopqrstuvwx')]);
    expect(a.status).toBeLessThan(500);
    expect(b.status).toBe(a.status);
    expect(b.body).toEqual(a.body);
  });

  it('GET /health answers ok with a timestamp', async () => {
    const a = await call('/health');
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ status: 'ok', timestamp: expect.any(Number) });
  });
});
