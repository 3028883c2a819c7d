/** Session webhooks: the user's own endpoints hear their sessions start, pause, resume and stop. */
import { describe, expect, it } from 'vitest';
import { RECEIVER, waitFor } from '../../support/webhook-receiver-client.ts';
import { call, expectError, signup, unique } from '../../support/workers.ts';

/** The first `n` event bodies endpoint `key` received. */
async function bodies(key: string, n: number): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
  return (await waitFor(key, (r) => r.length >= n)).map((r) => JSON.parse(r.body));
}

describe('session webhooks', () => {
  it('delivers the user’s session events to the user’s own endpoint, and nobody else’s', async () => {
    const user = await signup();
    const other = await signup();
    const key = unique('sess');
    const made = await call('/api/sessions/webhooks', {
      auth: user.token,
      json: { url: `${RECEIVER}/hook/${key}`, events: ['session.started', 'session.stopped'] },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect((await call('/api/sessions/webhooks', { auth: other.token })).body.webhooks).toEqual([]);
    expectError(await call('/api/sessions/webhooks'), 401, 'unauthenticated');

    expect((await call('/api/sessions/start', { auth: user.token, json: { label: 'Milking' } })).status).toBe(201);
    expect((await call('/api/sessions/pause', { auth: user.token, method: 'POST' })).status).toBe(200);
    expect((await call('/api/sessions/stop', { auth: user.token, method: 'POST' })).status).toBe(200);
    const got = await bodies(key, 2);
    expect(got.map((b) => b.type)).toEqual(['session.started', 'session.stopped']);
    expect(got[1]?.data).toMatchObject({ userId: user.user.id, session: { label: 'Milking' } });
    expect(got[1]?.data.session).not.toHaveProperty('pauseSegments');

    const bad = await call('/api/sessions/webhooks', {
      auth: user.token,
      json: { url: `${RECEIVER}/hook/x`, events: ['timer.started'] },
    });
    expectError(bad, 400, 'validation_failed');
  });
});
