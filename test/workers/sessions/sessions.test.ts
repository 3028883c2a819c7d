import { evictDurableObject } from 'cloudflare:test';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyBody, startSessionBody } from '../../../core/protocol.ts';
import { type Session, adminSession, call, expectError, signup, unique } from '../../support/workers.ts';
import { type Verb, act, current, does, durableState, sessionStub } from '../../support/sessions.ts';

/** The contract's fields, present on every session message. */
const CONTRACT = {
  userId: expect.any(String),
  status: expect.any(String),
  elapsedTime: expect.any(Number),
  pausedTime: expect.any(Number),
  version: expect.any(Number),
  serverTime: expect.any(Number),
};

type Situation = 'fresh' | 'running' | 'paused' | 'stopped';
async function reach(situation: Situation): Promise<Session> {
  const user = await signup();
  if (situation === 'fresh') return user;
  await does(user, 'start', { label: 'Cow 7' });
  if (situation === 'paused') await does(user, 'pause');
  if (situation === 'stopped') await does(user, 'stop');
  return user;
}

type Outcome = { status: number; code?: string; type?: string; to: string };
const ok = (type: string, to: string): Outcome => ({ status: type === 'SESSION_STARTED' ? 201 : 200, type, to });
const no = (code: string, to: string): Outcome => ({ status: 409, code, to });

const TABLE: Array<[Verb, Record<Situation, Outcome>]> = [
  [
    'start',
    {
      fresh: ok('SESSION_STARTED', 'running'),
      running: no('session_exists', 'running'),
      paused: no('session_exists', 'paused'),
      stopped: ok('SESSION_STARTED', 'running'),
    },
  ],
  [
    'pause',
    {
      fresh: no('no_active_session', 'idle'),
      running: ok('SESSION_PAUSED', 'paused'),
      paused: no('not_running', 'paused'),
      stopped: no('no_active_session', 'idle'),
    },
  ],
  [
    'resume',
    {
      fresh: no('no_active_session', 'idle'),
      running: no('not_paused', 'running'),
      paused: ok('SESSION_RESUMED', 'running'),
      stopped: no('no_active_session', 'idle'),
    },
  ],
  [
    'stop',
    {
      fresh: no('no_active_session', 'idle'),
      running: ok('SESSION_STOPPED', 'idle'),
      paused: ok('SESSION_STOPPED', 'idle'),
      stopped: no('no_active_session', 'idle'),
    },
  ],
];

describe('every command in every state, over HTTP', () => {
  for (const [verb, expected] of TABLE) {
    it.each(['fresh', 'running', 'paused', 'stopped'] as Situation[])(`${verb} when %s`, async (situation) => {
      const user = await reach(situation);
      const before = await current(user);
      const want = expected[situation];
      const a = await act(user, verb);
      const after = await current(user);
      expect(after.status).toBe(want.to);
      if (want.code) {
        expectError(a, want.status, want.code);
        expect(after.version).toBe(before.version);
        return;
      }
      expect(a.status, JSON.stringify(a.body)).toBe(want.status);
      expect(a.body).toMatchObject({ ...CONTRACT, type: want.type, userId: user.user.id, version: before.version + 1 });
      expect(after.version).toBe(before.version + 1);
    });
  }
});

describe('session routes', () => {
  it('start → pause → resume → stop: times come from the server clock and add up', async () => {
    const user = await signup();
    expect(await current(user)).toMatchObject({
      type: 'SESSION_STATE',
      userId: user.user.id,
      status: 'idle',
      startTime: null,
      elapsedTime: 0,
      pausedTime: 0,
      label: null,
      version: 0,
      last: null,
    });
    const started = await does(user, 'start', { label: '  Morning milking ' });
    expect(started).toMatchObject({
      type: 'SESSION_STARTED',
      status: 'running',
      label: 'Morning milking',
      version: 1,
      elapsedTime: 0,
      pausedTime: 0,
      id: expect.any(String),
      resumedAt: started.startTime,
      autoStopAt: started.startTime + 43_200_000,
    });
    expect(started.startTime).toBe(started.serverTime);
    const paused = await does(user, 'pause');
    expect(paused).toMatchObject({
      status: 'paused',
      version: 2,
      id: started.id,
      pauseSegments: [{ pausedAt: paused.serverTime, resumedAt: null }],
    });
    expect(paused.elapsedTime).toBe(paused.serverTime - started.startTime);
    const resumed = await does(user, 'resume');
    expect(resumed).toMatchObject({
      status: 'running',
      version: 3,
      resumedAt: resumed.serverTime,
      pauseSegments: [{ pausedAt: paused.serverTime, resumedAt: resumed.serverTime }],
    });
    const stopped = await does(user, 'stop');
    expect(stopped).toMatchObject({
      type: 'SESSION_STOPPED',
      status: 'stopped',
      version: 4,
      id: started.id,
      startTime: started.startTime,
      endTime: stopped.serverTime,
      autoStopped: false,
    });
    expect(stopped.elapsedTime + stopped.pausedTime).toBe(stopped.endTime - stopped.startTime);
    expect(stopped.pausedTime).toBe(resumed.serverTime - paused.serverTime);
    expect(await current(user)).toMatchObject({
      status: 'idle',
      version: 4,
      last: { id: started.id, status: 'stopped', elapsedTime: stopped.elapsedTime },
    });
  });

  it('start without a body, with {}, with a null or blank label', async () => {
    for (const json of [undefined, {}, { label: null }, { label: '   ' }]) {
      const user = await signup();
      expect(await does(user, 'start', json)).toMatchObject({ label: null, status: 'running' });
    }
  });

  it('rejects bad bodies and queries with a 4xx and changes nothing', async () => {
    const user = await signup();
    await does(user, 'start', { label: 'x' });
    const before = await durableState(user);
    const cases: Array<[string, Parameters<typeof call>[1], number, string]> = [
      ['/api/sessions/start', { json: { label: 'x'.repeat(201) } }, 400, 'validation_failed'],
      ['/api/sessions/start', { json: { label: 7 } }, 400, 'validation_failed'],
      ['/api/sessions/start', { json: { label: 'a', userId: 'someone' } }, 400, 'validation_failed'],
      ['/api/sessions/start', { json: [] }, 400, 'validation_failed'],
      [
        '/api/sessions/start',
        { raw: '{"label":', headers: { 'Content-Type': 'application/json' } },
        400,
        'invalid_json',
      ],
      [
        '/api/sessions/start',
        { raw: 'label=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
        415,
        'unsupported_media_type',
      ],
      ['/api/sessions/pause', { json: { now: 1 } }, 400, 'validation_failed'],
      ['/api/sessions/stop', { json: { elapsedTime: 0 } }, 400, 'validation_failed'],
      ['/api/sessions/resume', { json: 'x' }, 400, 'validation_failed'],
      ['/api/sessions/start', { json: { label: 'é'.repeat(40_000) } }, 413, 'payload_too_large'],
    ];
    for (const [path, opts, status, code] of cases)
      expectError(await call(path, { method: 'POST', auth: user.token, ...opts }), status, code);
    expectError(
      await call('/api/sessions/pause', {
        method: 'POST',
        auth: user.token,
        headers: { 'Idempotency-Key': 'k'.repeat(129) },
      }),
      400,
      'validation_failed',
    );
    // Empty and unknown parameters are not refused (client-input.test.ts); bad values of known ones are.
    for (const q of [
      'limit=0',
      'limit=201',
      'limit=abc',
      'cursor=!!',
      'cursor=' + btoa('nope'),
      'userId=' + 'u'.repeat(65),
    ])
      expectError(await call(`/api/sessions?${q}`, { auth: user.token }), 400, 'validation_failed');
    for (const q of ['days=0', 'days=366', 'days=1.5', 'tzOffset=900'])
      expectError(await call(`/api/sessions/stats?${q}`, { auth: user.token }), 400, 'validation_failed');
    expect(await durableState(user)).toEqual(before);
  });

  it('random JSON bodies that are not commands get a 4xx error body and change nothing', async () => {
    const user = await signup();
    await does(user, 'start', { label: 'steady' });
    await does(user, 'pause');
    const before = await durableState(user);
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.dictionary(fc.constantFrom('label', 'userId', 'id', 'startTime', 'x'), fc.jsonValue({ maxDepth: 2 })),
    );
    for (const [verb, schema] of [
      ['start', startSessionBody],
      ['resume', emptyBody],
      ['stop', emptyBody],
    ] as const) {
      await fc.assert(
        fc.asyncProperty(
          body.filter((b) => !schema.safeParse(b).success),
          async (json) => {
            const a = await call(`/api/sessions/${verb}`, { method: 'POST', json, auth: user.token });
            expect(a.status, JSON.stringify({ json, body: a.body })).toBeGreaterThanOrEqual(400);
            expect(a.status).toBeLessThan(500);
            expect(a.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
          },
        ),
        { numRuns: 40 },
      );
    }
    expect(await durableState(user)).toEqual(before);
  });

  it('every route wants a logged-in user', async () => {
    for (const verb of ['start', 'pause', 'resume', 'stop'])
      expectError(await call(`/api/sessions/${verb}`, { method: 'POST', json: {} }), 401, 'unauthenticated');
    for (const path of [
      '/api/sessions',
      '/api/sessions/current',
      '/api/sessions/stats',
      '/api/sessions/export.csv',
      '/api/sessions/active',
    ])
      expectError(await call(path), 401, 'unauthenticated');
    expectError(await call('/api/sessions/current', { auth: 'not-a-token' }), 401, 'unauthenticated');
  });
});

describe('Idempotency-Key', () => {
  it('the same key twice applies once and returns the same answer, even after eviction', async () => {
    const user = await signup();
    const key = unique('key');
    const first = await act(user, 'start', { json: { label: 'once' }, key });
    const again = await act(user, 'start', { json: { label: 'once' }, key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    // The same key for another command is refused, not answered with the first answer (issue 11).
    expectError(await act(user, 'start', { json: { label: 'twice' }, key }), 422, 'idempotency_key_reused');
    expect(await current(user)).toMatchObject({ version: 1, label: 'once' });
    await evictDurableObject(sessionStub(user.user.id));
    expect((await act(user, 'start', { json: { label: 'once' }, key })).body).toEqual(first.body);
    // Without the key, the same command is a new one (and here a conflict).
    expectError(await act(user, 'start'), 409, 'session_exists');
  });

  it('a rejected command keeps its rejection on retry', async () => {
    const user = await signup();
    const key = unique('key');
    const first = await act(user, 'pause', { key });
    expectError(first, 409, 'no_active_session');
    await does(user, 'start');
    const retry = await act(user, 'pause', { key });
    expect(retry.status).toBe(409);
    expect(retry.body).toEqual(first.body);
    expect(await current(user)).toMatchObject({ status: 'running', version: 1 });
  });

  it('concurrent requests with one key apply once; without keys one wins and the others get 409', async () => {
    const user = await signup();
    const burst = await Promise.all(
      Array.from({ length: 6 }, () => act(user, 'start', { json: { label: 'burst' }, key: 'burst' })),
    );
    expect(new Set(burst.map((a) => JSON.stringify([a.status, a.body])))).toEqual(
      new Set([JSON.stringify([201, burst[0]!.body])]),
    );
    const pauses = await Promise.all(Array.from({ length: 5 }, () => act(user, 'pause')));
    expect(pauses.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409]);
    for (const a of pauses.filter((x) => x.status === 409)) expectError(a, 409, 'not_running');
    expect(await current(user)).toMatchObject({ status: 'paused', version: 2 });
  });

  it('keys are per user', async () => {
    const a = await signup();
    const b = await signup();
    expect((await act(a, 'start', { key: 'shared' })).status).toBe(201);
    const theirs = await act(b, 'start', { key: 'shared' });
    expect(theirs.status).toBe(201);
    expect(theirs.body.userId).toBe(b.user.id);
  });
});

describe('who may read and control what', () => {
  it('members read and control only their own session; admins may read anyone’s', async () => {
    const alice = await signup();
    const bob = await signup();
    await does(alice, 'start', { label: 'alice' });
    // Bob's commands act on Bob's session, never Alice's, whatever he sends.
    expectError(await act(bob, 'stop'), 409, 'no_active_session');
    expectError(
      await call('/api/sessions/stop?userId=' + alice.user.id, { method: 'POST', auth: bob.token }),
      409,
      'no_active_session',
    );
    expect(await current(alice)).toMatchObject({ status: 'running', version: 1 });
    for (const path of ['/api/sessions', '/api/sessions/current', '/api/sessions/stats', '/api/sessions/export.csv']) {
      expectError(await call(`${path}?userId=${alice.user.id}`, { auth: bob.token }), 403, 'forbidden');
    }
    // Their own id is fine.
    expect((await call(`/api/sessions?userId=${bob.user.id}`, { auth: bob.token })).status).toBe(200);
    const admin = await adminSession();
    const seen = await call(`/api/sessions/current?userId=${alice.user.id}`, { auth: admin.token });
    expect(seen.body).toMatchObject({ userId: alice.user.id, status: 'running', label: 'alice' });
    expect((await call(`/api/sessions?userId=${alice.user.id}`, { auth: admin.token })).body).toMatchObject({
      userId: alice.user.id,
    });
    expectError(await call('/api/sessions/active', { auth: alice.token }), 403, 'forbidden');
  });

  it('GET /api/sessions/active lists everyone’s sessions in progress for admins', async () => {
    const running = await signup();
    const paused = await signup();
    const stopped = await signup();
    await does(running, 'start', { label: 'r' });
    await does(paused, 'start', { label: 'p' });
    await does(paused, 'pause');
    await does(stopped, 'start');
    await does(stopped, 'stop');
    const admin = await adminSession();
    // The objects report to Ops from their alarm as soon as a session starts or stops.
    let ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const a = await call('/api/sessions/active', { auth: admin.token });
      expect(a.status).toBe(200);
      ids = a.body.sessions.map((s: { userId: string }) => s.userId);
      if (ids.includes(running.user.id) && ids.includes(paused.user.id) && !ids.includes(stopped.user.id)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(ids).toEqual(expect.arrayContaining([running.user.id, paused.user.id]));
    expect(ids).not.toContain(stopped.user.id);
    const a = await call('/api/sessions/active', { auth: admin.token });
    expect(a.body.sessions.find((s: { userId: string }) => s.userId === paused.user.id)).toMatchObject({
      status: 'paused',
      label: 'p',
      type: 'SESSION_STATE',
    });
  });
});
