import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CallOptions,
  type RoomHandle,
  type Session,
  call,
  createRoom,
  createTimer,
  durableView,
  expectError,
  ownerDoes,
  signup,
} from '../../support/workers.ts';

/** Every refused request below must leave the room exactly as it was. */
let owner: Session;
let stranger: Session;
let room: RoomHandle;
let a: { id: string };
let b: { id: string };
const UNKNOWN_ROOM = 'abcdefabcdefabcdef00';

beforeAll(async () => {
  owner = await signup();
  stranger = await signup();
  room = await createRoom(owner);
  a = await createTimer(room, { label: 'A' });
  b = await createTimer(room, { label: 'B' });
});

type Case = [
  what: string,
  method: string,
  path: (r: string) => string,
  opts: () => CallOptions,
  status: number,
  code: string,
];

const json = (body: unknown) => () => ({ json: body, auth: owner.token });
const raw =
  (text: string, type = 'application/json') =>
  () => ({ raw: text, headers: { 'Content-Type': type }, auth: owner.token });
const timers = (r: string) => `/api/rooms/${r}/timers`;
const timer = (r: string) => `/api/rooms/${r}/timers/${a.id}`;

const badBodies: Case[] = [
  // POST /api/rooms/:id/timers
  ['timer: invalid JSON', 'POST', timers, raw('{"label":'), 400, 'invalid_json'],
  [
    'timer: text/plain body',
    'POST',
    timers,
    raw('{"label":"x","durationMs":1000}', 'text/plain'),
    415,
    'unsupported_media_type',
  ],
  ['timer: empty object', 'POST', timers, json({}), 400, 'validation_failed'],
  ['timer: JSON array', 'POST', timers, json([]), 400, 'validation_failed'],
  ['timer: JSON null', 'POST', timers, json(null), 400, 'validation_failed'],
  ['timer: duration as string', 'POST', timers, json({ label: 'x', durationMs: '1000' }), 400, 'validation_failed'],
  ['timer: negative duration', 'POST', timers, json({ label: 'x', durationMs: -1 }), 400, 'validation_failed'],
  ['timer: fractional duration', 'POST', timers, json({ label: 'x', durationMs: 1.5 }), 400, 'validation_failed'],
  ['timer: absurd duration', 'POST', timers, json({ label: 'x', durationMs: 1e15 }), 400, 'validation_failed'],
  [
    'timer: unknown field',
    'POST',
    timers,
    json({ label: 'x', durationMs: 1000, colour: 'red' }),
    400,
    'validation_failed',
  ],
  [
    'timer: unknown mode',
    'POST',
    timers,
    json({ label: 'x', durationMs: 1000, mode: 'sideways' }),
    400,
    'validation_failed',
  ],
  [
    'timer: scheduled without startAt',
    'POST',
    timers,
    json({ label: 'x', durationMs: 1000, trigger: 'scheduled' }),
    400,
    'validation_failed',
  ],
  [
    'timer: time-of-day without target',
    'POST',
    timers,
    json({ label: 'x', durationMs: 0, mode: 'time-of-day' }),
    400,
    'validation_failed',
  ],
  [
    'timer: label too long',
    'POST',
    timers,
    json({ label: 'x'.repeat(201), durationMs: 1000 }),
    400,
    'validation_failed',
  ],
  [
    'timer: body over 64 KiB',
    'POST',
    timers,
    json({ label: 'x'.repeat(70_000), durationMs: 1000 }),
    413,
    'payload_too_large',
  ],
  [
    'timer: prototype pollution',
    'POST',
    timers,
    raw('{"label":"x","durationMs":1000,"__proto__":{"admin":true}}'),
    400,
    'validation_failed',
  ],
  // PUT /api/rooms/:id/timers/:timerId
  ['update timer: empty patch', 'PUT', timer, json({}), 400, 'validation_failed'],
  ['update timer: wrong type', 'PUT', timer, json({ durationMs: 'long' }), 400, 'validation_failed'],
  ['update timer: unknown field', 'PUT', timer, json({ state: 'running' }), 400, 'validation_failed'],
  ['update timer: invalid JSON', 'PUT', timer, raw('{'), 400, 'invalid_json'],
  // adjust
  ['adjust: missing delta', 'POST', (r) => `${timer(r)}/adjust`, json({}), 400, 'validation_failed'],
  ['adjust: delta as string', 'POST', (r) => `${timer(r)}/adjust`, json({ deltaMs: '5' }), 400, 'validation_failed'],
  ['adjust: fractional delta', 'POST', (r) => `${timer(r)}/adjust`, json({ deltaMs: 0.5 }), 400, 'validation_failed'],
  ['adjust: absurd delta', 'POST', (r) => `${timer(r)}/adjust`, json({ deltaMs: -1e15 }), 400, 'validation_failed'],
  [
    'adjust: no body at all',
    'POST',
    (r) => `${timer(r)}/adjust`,
    () => ({ method: 'POST', auth: owner.token }),
    400,
    'validation_failed',
  ],
  // message
  ['message: text as number', 'POST', (r) => `/api/rooms/${r}/message`, json({ text: 5 }), 400, 'validation_failed'],
  [
    'message: text too long',
    'POST',
    (r) => `/api/rooms/${r}/message`,
    json({ text: 'x'.repeat(501) }),
    400,
    'validation_failed',
  ],
  [
    'message: flash as string',
    'POST',
    (r) => `/api/rooms/${r}/message`,
    json({ text: 'x', flash: 'yes' }),
    400,
    'validation_failed',
  ],
  [
    'message: unknown field',
    'POST',
    (r) => `/api/rooms/${r}/message`,
    json({ text: 'x', colour: 'red' }),
    400,
    'validation_failed',
  ],
  [
    'message: form encoded',
    'POST',
    (r) => `/api/rooms/${r}/message`,
    raw('text=hi', 'application/x-www-form-urlencoded'),
    415,
    'unsupported_media_type',
  ],
  // reorder
  [
    'reorder: not an array',
    'POST',
    (r) => `/api/rooms/${r}/reorder`,
    json({ timerIds: 'a' }),
    400,
    'validation_failed',
  ],
  ['reorder: numbers', 'POST', (r) => `/api/rooms/${r}/reorder`, json({ timerIds: [1, 2] }), 400, 'validation_failed'],
  // room
  ['update room: empty', 'PUT', (r) => `/api/rooms/${r}`, json({}), 400, 'validation_failed'],
  ['update room: blank name', 'PUT', (r) => `/api/rooms/${r}`, json({ name: '  ' }), 400, 'validation_failed'],
  ['update room: owner change', 'PUT', (r) => `/api/rooms/${r}`, json({ ownerId: 'me' }), 400, 'validation_failed'],
  ['update room: negative warn', 'PUT', (r) => `/api/rooms/${r}`, json({ warnMs: -5 }), 400, 'validation_failed'],
  [
    'rotate: unknown role',
    'POST',
    (r) => `/api/rooms/${r}/links/rotate`,
    json({ role: 'owner' }),
    400,
    'validation_failed',
  ],
  ['rotate: no role', 'POST', (r) => `/api/rooms/${r}/links/rotate`, json({}), 400, 'validation_failed'],
  // headers and path parameters
  [
    'start: empty Idempotency-Key',
    'POST',
    (r) => `${timer(r)}/start`,
    () => ({ method: 'POST', auth: owner.token, headers: { 'Idempotency-Key': '' } }),
    400,
    'validation_failed',
  ],
  [
    'start: Idempotency-Key too long',
    'POST',
    (r) => `${timer(r)}/start`,
    () => ({ method: 'POST', auth: owner.token, headers: { 'Idempotency-Key': 'k'.repeat(129) } }),
    400,
    'validation_failed',
  ],
  [
    'start: timer id too long',
    'POST',
    (r) => `/api/rooms/${r}/timers/${'t'.repeat(65)}/start`,
    () => ({ method: 'POST', auth: owner.token }),
    400,
    'validation_failed',
  ],
];

const conflicts: Case[] = [
  [
    'pause an idle timer',
    'POST',
    (r) => `${timer(r)}/pause`,
    () => ({ method: 'POST', auth: owner.token }),
    409,
    'not_running',
  ],
  [
    'resume an idle timer',
    'POST',
    (r) => `${timer(r)}/resume`,
    () => ({ method: 'POST', auth: owner.token }),
    409,
    'not_paused',
  ],
  [
    'previous from the first timer',
    'POST',
    (r) => `/api/rooms/${r}/previous`,
    () => ({ method: 'POST', auth: owner.token }),
    409,
    'no_previous_timer',
  ],
  [
    'reorder missing a timer',
    'POST',
    (r) => `/api/rooms/${r}/reorder`,
    () => ({ json: { timerIds: [a.id] }, auth: owner.token }),
    409,
    'invalid_order',
  ],
  [
    'reorder with a duplicate',
    'POST',
    (r) => `/api/rooms/${r}/reorder`,
    () => ({ json: { timerIds: [a.id, a.id] }, auth: owner.token }),
    409,
    'invalid_order',
  ],
  [
    'reorder with a stranger',
    'POST',
    (r) => `/api/rooms/${r}/reorder`,
    () => ({ json: { timerIds: [a.id, b.id, 'zzz'] }, auth: owner.token }),
    409,
    'invalid_order',
  ],
];

const unknownTimer = (action: string, method = 'POST', body?: unknown): Case => [
  `${method} unknown timer ${action}`,
  method,
  (r) => `/api/rooms/${r}/timers/no-such-timer${action}`,
  () => ({ method, auth: owner.token, ...(body !== undefined ? { json: body } : {}) }),
  404,
  'timer_not_found',
];
const notFound: Case[] = [
  unknownTimer('/start'),
  unknownTimer('/pause'),
  unknownTimer('/resume'),
  unknownTimer('/reset'),
  unknownTimer('/select'),
  unknownTimer('/adjust', 'POST', { deltaMs: 1000 }),
  unknownTimer('', 'PUT', { label: 'x' }),
  unknownTimer('', 'DELETE'),
  [
    'timer id with odd characters',
    'POST',
    (r) => `/api/rooms/${r}/timers/%F0%9F%92%A5%00/start`,
    () => ({ method: 'POST', auth: owner.token }),
    404,
    'timer_not_found',
  ],
];

describe.each([
  ['bad bodies', badBodies],
  ['invalid transitions', conflicts],
  ['unknown timers', notFound],
])('%s change nothing', (_group, cases) => {
  it.each(cases)('%s → %i %s', async (_what, method, path, opts, status, code) => {
    const before = await durableView(room);
    expectError(await call(path(room.id), { method, ...opts() }), status, code);
    expect(await durableView(room)).toEqual(before);
  });
});

describe('unknown or malformed room ids answer 404 room_not_found', () => {
  const routes: [string, string, unknown?][] = [
    ['GET', ''],
    ['PUT', '', { name: 'x' }],
    ['DELETE', ''],
    ['POST', '/links/rotate', { role: 'viewer' }],
    ['POST', '/timers', { label: 'x', durationMs: 1000 }],
    ['PUT', '/timers/t1', { label: 'x' }],
    ['DELETE', '/timers/t1'],
    ['POST', '/timers/t1/start'],
    ['POST', '/timers/t1/adjust', { deltaMs: 5 }],
    ['POST', '/next'],
    ['POST', '/message', { text: 'x' }],
    ['DELETE', '/message'],
    ['POST', '/reorder', { timerIds: [] }],
  ];
  it.each(routes)('%s /api/rooms/<unknown>%s', async (method, suffix, body) => {
    for (const id of [
      UNKNOWN_ROOM,
      'not-a-room',
      'ABCDEFABCDEFABCDEF00',
      '%E0%A4%A',
      `${UNKNOWN_ROOM}_${'s'.repeat(24)}`,
    ]) {
      const a = await call(`/api/rooms/${id}${suffix}`, {
        method,
        auth: owner.token,
        ...(body !== undefined ? { json: body } : {}),
      });
      expectError(a, 404, 'room_not_found');
    }
  });

  it('the WebSocket route answers 404 for an unknown room', async () => {
    const res = await call(`/api/rooms/${UNKNOWN_ROOM}/ws`, { auth: owner.token, headers: { Upgrade: 'websocket' } });
    expectError(res, 404, 'room_not_found');
  });
});

describe('401 and 403 on the basics', () => {
  it('anonymous callers get 401 unauthenticated', async () => {
    const before = await durableView(room);
    expectError(await call('/api/rooms', { json: { name: 'x' } }), 401, 'unauthenticated');
    expectError(await call('/api/rooms'), 401, 'unauthenticated');
    expectError(await call(`/api/rooms/${room.id}`), 401, 'unauthenticated');
    expectError(await call(`/api/rooms/${room.id}`, { method: 'PUT', json: { name: 'x' } }), 401, 'unauthenticated');
    expectError(await call(`/api/rooms/${room.id}/timers/${a.id}/start`, { method: 'POST' }), 401, 'unauthenticated');
    expect(await durableView(room)).toEqual(before);
  });

  it("another user gets 403 forbidden on someone else's room", async () => {
    const before = await durableView(room);
    expectError(await call(`/api/rooms/${room.id}`, { auth: stranger.token }), 403, 'forbidden');
    expectError(
      await call(`/api/rooms/${room.id}`, { method: 'PUT', json: { name: 'mine' }, auth: stranger.token }),
      403,
      'forbidden',
    );
    expectError(await call(`/api/rooms/${room.id}`, { method: 'DELETE', auth: stranger.token }), 403, 'forbidden');
    expectError(
      await call(`/api/rooms/${room.id}/timers/${a.id}/start`, { method: 'POST', auth: stranger.token }),
      403,
      'forbidden',
    );
    expect(await durableView(room)).toEqual(before);
    expect((await call('/api/rooms', { auth: stranger.token })).body.rooms).toEqual([]);
  });

  it('viewer tokens get 403 forbidden on control routes', async () => {
    const before = await durableView(room);
    const q = `?token=${room.links.viewer}`;
    expectError(await call(`/api/rooms/${room.id}/timers/${a.id}/start${q}`, { method: 'POST' }), 403, 'forbidden');
    expectError(
      await call(`/api/rooms/${room.links.viewer}/timers`, { json: { label: 'x', durationMs: 1 } }),
      403,
      'forbidden',
    );
    expectError(
      await call(`/api/rooms/${room.id}/message`, {
        json: { text: 'hi' },
        headers: { 'X-Room-Token': room.links.viewer },
      }),
      403,
      'forbidden',
    );
    expect(await durableView(room)).toEqual(before);
  });
});

describe('409 on state conflicts that need a running timer', () => {
  it('start twice, next from the last timer, start a finished-and-stopped timer', async () => {
    const r = await createRoom(owner);
    const t1 = await createTimer(r, { label: 'one' });
    const t2 = await createTimer(r, { label: 'two' });
    await ownerDoes(r, `/timers/${t1.id}/start`);
    let before = await durableView(r);
    expectError(
      await call(`/api/rooms/${r.id}/timers/${t1.id}/start`, { method: 'POST', auth: owner.token }),
      409,
      'already_running',
    );
    expect(await durableView(r)).toEqual(before);
    await ownerDoes(r, '/next');
    before = await durableView(r);
    expect(before.timers).toMatchObject([
      { id: t1.id, state: 'finished' },
      { id: t2.id, state: 'running' },
    ]);
    expectError(await call(`/api/rooms/${r.id}/next`, { method: 'POST', auth: owner.token }), 409, 'no_next_timer');
    expectError(
      await call(`/api/rooms/${r.id}/timers/${t1.id}/start`, { method: 'POST', auth: owner.token }),
      409,
      'timer_finished',
    );
    expect(await durableView(r)).toEqual(before);
  });

  it('next and start on a room without timers', async () => {
    const r = await createRoom(owner);
    expectError(await call(`/api/rooms/${r.id}/next`, { method: 'POST', auth: owner.token }), 409, 'no_timers');
    expect((await durableView(r)).version).toBe(0);
  });
});
