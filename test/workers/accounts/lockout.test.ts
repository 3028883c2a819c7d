/**
 * Low findings: login lock-out counts failures only, keyed by email and IP prefix (IPv6 by /64), and trusts
 * CF-Connecting-IP only; internationalised email addresses sign up and log in.
 */
import { describe, expect, it } from 'vitest';
import { ipBucket } from '../../../worker/middleware/rate-limit.ts';
import { PASSWORD, call, expectError, freshIp, signup, unique } from '../../support/workers.ts';

const loginFrom = (email: string, password: string, headers: Record<string, string>) =>
  call('/api/auth/login', { json: { email, password }, headers });

/** Wrong passwords from `headers` until 429 (the test budget is AUTH_RATE_PER_MIN=10 failures a minute). */
async function lockOut(email: string, headers: Record<string, string>) {
  for (let i = 0; i < 30; i++) {
    const a = await loginFrom(email, `guess-${i}`, headers);
    if (a.status === 429) return a;
    expectError(a, 401, 'invalid_credentials');
  }
  throw new Error('never rate limited');
}

describe('login lock-out', () => {
  it('failures from one address lock that address out of that email, not the owner elsewhere', async () => {
    const s = await signup();
    const attacker = { 'CF-Connecting-IP': freshIp() };
    const limited = await lockOut(s.email, attacker);
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
    // Still locked from there, even with the right password.
    expectError(await loginFrom(s.email, s.password, attacker), 429, 'rate_limited');
    // The owner, from their own address, logs in.
    expect((await loginFrom(s.email, s.password, { 'CF-Connecting-IP': freshIp() })).status).toBe(200);
  });

  it('successful logins do not count', async () => {
    const s = await signup();
    const from = { 'CF-Connecting-IP': freshIp() };
    for (let i = 0; i < 14; i++) expect((await loginFrom(s.email, s.password, from)).status).toBe(200);
  });

  it('buckets IPv6 by /64: another address in the prefix is still locked', async () => {
    const s = await signup();
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:1`;
    await lockOut(s.email, { 'CF-Connecting-IP': `${prefix}::1` });
    expectError(await loginFrom(s.email, s.password, { 'CF-Connecting-IP': `${prefix}:ffff::2` }), 429, 'rate_limited');
  });

  it('ignores X-Forwarded-For: a forged header does not escape the lock', async () => {
    const s = await signup();
    const ip = freshIp();
    await lockOut(s.email, { 'CF-Connecting-IP': ip });
    expectError(
      await loginFrom(s.email, s.password, { 'CF-Connecting-IP': ip, 'X-Forwarded-For': freshIp() }),
      429,
      'rate_limited',
    );
  });

  it('ipBucket keeps IPv4 whole and cuts IPv6 to /64', () => {
    expect(ipBucket('203.0.113.7')).toBe('203.0.113.7');
    expect(ipBucket('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(ipBucket('2001:DB8:0001:0002::9')).toBe('2001:db8:1:2::/64');
    expect(ipBucket('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(ipBucket('::1')).toBe('0:0:0:0::/64');
  });
});

describe('internationalised email addresses', () => {
  it.each(['用户', 'josé', 'δοκιμή'])('a %s@… address signs up and logs in', async (local) => {
    const email = `${local}.${unique('i')}@bücher.example`;
    const s = await signup({ email });
    expect(s.user.email).toBe(email.normalize('NFC').toLowerCase());
    expect(
      (
        await call('/api/auth/login', {
          json: { email, password: PASSWORD },
          headers: { 'CF-Connecting-IP': freshIp() },
        })
      ).status,
    ).toBe(200);
    expect((await call('/api/me', { auth: s.token })).body.user.email).toBe(s.user.email);
  });
});
