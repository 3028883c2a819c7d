/**
 * Finding 2 (the dev secret accepted unless the deploy script is used): production is the default. Without
 * ENVIRONMENT=development, stated by the dev and test scripts only, the dev JWT secret is refused.
 */
import { describe, expect, it } from 'vitest';
import { DEV_JWT_SECRET, readConfig } from '../../../durable-objects/platform/env.ts';
import { expectError, signup } from '../../support/workers.ts';
import { PROD_SECRET, callWith, devToken, envWith } from '../../support/accounts.ts';

describe('production is the default', () => {
  it('an environment that states nothing is production, and refuses the dev secret', () => {
    const r = readConfig({} as never);
    expect(r).toMatchObject({ ok: false, message: expect.stringContaining('JWT_SECRET') });
    expect(readConfig({ JWT_SECRET: DEV_JWT_SECRET } as never)).toMatchObject({ ok: false });
    expect(readConfig({ ENVIRONMENT: 'staging', JWT_SECRET: DEV_JWT_SECRET } as never)).toMatchObject({ ok: false });
    expect(readConfig({ JWT_SECRET: PROD_SECRET } as never)).toMatchObject({ ok: true, config: { production: true } });
  });

  it('only ENVIRONMENT=development accepts the dev secret and honours ADMIN_EMAILS', () => {
    const dev = readConfig({ ENVIRONMENT: 'development', ADMIN_EMAILS: 'Admin@keeptime.test' } as never);
    expect(dev).toMatchObject({
      ok: true,
      config: { production: false, jwtSecret: DEV_JWT_SECRET, adminEmails: ['admin@keeptime.test'] },
    });
    const prod = readConfig({ JWT_SECRET: PROD_SECRET, ADMIN_EMAILS: 'owner@example.com' } as never);
    expect(prod).toMatchObject({ ok: true, config: { adminEmails: [] } });
  });

  it('a Worker whose config does not state development answers 503 misconfigured, forged dev tokens included', async () => {
    const unstated = envWith({ ENVIRONMENT: undefined, JWT_SECRET: undefined });
    const s = await signup();
    const forged = await devToken({ ...s.user, role: 'admin' });
    expectError(await callWith(unstated, '/api/ops/dlq', { auth: forged }), 503, 'misconfigured');
    expectError(await callWith(unstated, '/health'), 503, 'misconfigured');
    // With a real secret the dev-signed token is just a bad token.
    const real = envWith({
      ENVIRONMENT: undefined,
      JWT_SECRET: PROD_SECRET,
      ADMIN_EMAILS: undefined,
      CORS_ORIGINS: undefined,
    });
    expectError(await callWith(real, '/api/ops/dlq', { auth: forged }), 401, 'unauthenticated');
  });
});
