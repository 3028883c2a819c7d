import { runDurableObjectAlarm } from 'cloudflare:test';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sessionClientMessage } from '../../../core/protocol.ts';
import { call, expectError, signup } from '../../support/workers.ts';
import { clockAhead, runDue, scheduleDue } from '../../support/clock.ts';
import {
  current,
  does,
  durableState,
  openSessionSocket,
  sessionStub,
  tryOpenSessionSocket,
} from '../../support/sessions.ts';

const EVENTS = ['SESSION_STARTED', 'SESSION_PAUSED', 'SESSION_RESUMED', 'SESSION_STOPPED'];

describe('connecting', () => {
  it('starts every connection with SESSION_STATE; cookie-less clients may use Bearer or ?token=', async () => {
    const user = await signup();
    await does(user, 'start', { label: 'Cow 3' });
    const viaHeader = await openSessionSocket({ auth: user.token });
    const viaQuery = await openSessionSocket({ token: user.token });
    for (const ws of [viaHeader, viaQuery]) {
      expect(ws.log[0]).toMatchObject({
        type: 'SESSION_STATE',
        userId: user.user.id,
        status: 'running',
        label: 'Cow 3',
        version: 1,
        startTime: expect.any(Number),
        elapsedTime: expect.any(Number),
        pausedTime: 0,
        serverTime: expect.any(Number),
      });
    }
    viaHeader.close();
    viaQuery.close();
  });

  it('refuses sockets without a valid session, and plain GETs', async () => {
    expect(await tryOpenSessionSocket()).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
    expect(await tryOpenSessionSocket({ token: 'garbage' })).toMatchObject({ status: 401 });
    expect(await tryOpenSessionSocket({ auth: 'eyJhbGciOiJIUzI1NiJ9.e30.forged' })).toMatchObject({ status: 401 });
    const user = await signup();
    expectError(await call('/api/sessions/ws', { auth: user.token }), 426, 'upgrade_required');
  });

  it('a socket only ever reaches its own user’s session, whatever the query says', async () => {
    const alice = await signup();
    const bob = await signup();
    await does(alice, 'start', { label: 'alice' });
    const ws = await openSessionSocket({ auth: bob.token, query: { userId: alice.user.id } });
    expect(ws.log[0]).toMatchObject({ userId: bob.user.id, status: 'idle' });
    // A message naming another user is refused, and changes nothing for either.
    ws.send({ type: 'SESSION_STOP', id: 'x', userId: alice.user.id });
    expect(await ws.next('error')).toMatchObject({ id: 'x', code: 'forbidden' });
    expect(await current(alice)).toMatchObject({ status: 'running', version: 1 });
    expect(await current(bob)).toMatchObject({ status: 'idle', version: 0 });
    // Naming yourself is fine (older clients send it).
    ws.send({ type: 'SESSION_START', id: 'y', userId: bob.user.id, label: 'bob' });
    expect(await ws.next('SESSION_STARTED')).toMatchObject({ userId: bob.user.id, label: 'bob', replyTo: 'y' });
    ws.close();
  });
});

describe('commands over the socket', () => {
  it('every device of the user gets every event; another user’s sockets get none', async () => {
    const user = await signup();
    const other = await signup();
    const phone = await openSessionSocket({ auth: user.token });
    const laptop = await openSessionSocket({ auth: user.token });
    const stranger = await openSessionSocket({ auth: other.token });

    phone.send({ type: 'SESSION_START', id: 'c1', label: 'Evening' });
    laptop.send({ type: 'SESSION_PAUSE', id: 'c2' });
    await laptop.next('SESSION_PAUSED');
    await does(user, 'resume'); // HTTP reaches the sockets too
    phone.send({ type: 'SESSION_STOP' });

    for (const ws of [phone, laptop]) {
      await ws.next('SESSION_STOPPED', 3000);
      const seen = ws.log.filter((m) => EVENTS.includes(m.type));
      expect(seen.map((m) => [m.type, m.version, m.userId])).toEqual([
        ['SESSION_STARTED', 1, user.user.id],
        ['SESSION_PAUSED', 2, user.user.id],
        ['SESSION_RESUMED', 3, user.user.id],
        ['SESSION_STOPPED', 4, user.user.id],
      ]);
      expect(seen[0]).toMatchObject({ label: 'Evening', status: 'running' });
      expect(seen[3]).toMatchObject({ status: 'stopped', endTime: expect.any(Number) });
    }
    // Only the sender's own copy names its message id.
    expect(phone.log.find((m) => m.type === 'SESSION_STARTED')?.replyTo).toBe('c1');
    expect(laptop.log.find((m) => m.type === 'SESSION_STARTED')?.replyTo).toBeUndefined();
    expect(laptop.log.find((m) => m.type === 'SESSION_PAUSED')?.replyTo).toBe('c2');
    expect(await stranger.quiet('SESSION_STARTED', 100)).toBe(true);
    expect(stranger.log.map((m) => m.type)).toEqual(['SESSION_STATE']);
    for (const ws of [phone, laptop, stranger]) ws.close();
  });

  it('conflicting commands from two devices are serialised: same final state, one clear 409', async () => {
    const user = await signup();
    await does(user, 'start');
    const a = await openSessionSocket({ auth: user.token });
    const b = await openSessionSocket({ auth: user.token });
    a.send({ type: 'SESSION_PAUSE', id: 'a' });
    b.send({ type: 'SESSION_PAUSE', id: 'b' });
    const replies = await Promise.all([
      a.next(['SESSION_PAUSED', 'error'], 3000, (m) => m.replyTo === 'a' || m.id === 'a'),
      b.next(['SESSION_PAUSED', 'error'], 3000, (m) => m.replyTo === 'b' || m.id === 'b'),
    ]);
    expect(replies.map((m) => m.type).sort()).toEqual(['SESSION_PAUSED', 'error']);
    expect(replies.find((m) => m.type === 'error')).toMatchObject({ code: 'not_running', message: expect.any(String) });
    // Both devices saw the one pause, and nothing else.
    for (const ws of [a, b])
      expect(ws.log.filter((m) => EVENTS.includes(m.type)).map((m) => [m.type, m.version])).toEqual([
        ['SESSION_PAUSED', 2],
      ]);

    // Stop and resume race: whichever lands first, the session ends stopped on both devices.
    a.send({ type: 'SESSION_STOP', id: 's1' });
    b.send({ type: 'SESSION_RESUME', id: 'r1' });
    await a.next(['SESSION_STOPPED', 'error'], 3000, (m) => m.replyTo === 's1' || m.id === 's1');
    const resume = await b.next(['SESSION_RESUMED', 'error'], 3000, (m) => m.replyTo === 'r1' || m.id === 'r1');
    if (resume.type === 'error') expect(resume.code).toBe('no_active_session');
    a.send({ type: 'SESSION_SYNC' });
    b.send({ type: 'SESSION_SYNC' });
    const [sa, sb] = await Promise.all([a.next('SESSION_STATE'), b.next('SESSION_STATE')]);
    expect(sa).toMatchObject({ status: 'idle', last: { status: 'stopped' } });
    expect({ ...sb, serverTime: 0, last: { ...sb.last, serverTime: 0 } }).toEqual({
      ...sa,
      serverTime: 0,
      last: { ...sa.last, serverTime: 0 },
    });
    a.close();
    b.close();
  });

  it('a message id makes it idempotent: a retry gets the same answer and applies nothing', async () => {
    const user = await signup();
    const ws = await openSessionSocket({ auth: user.token });
    const other = await openSessionSocket({ auth: user.token });
    // A long (random) id: shared across the user's connections and with HTTP keys (short ids stay on their socket).
    const id = `start-${crypto.randomUUID()}`;
    ws.send({ type: 'SESSION_START', id, label: 'once' });
    const first = await ws.next('SESSION_STARTED');
    ws.send({ type: 'SESSION_START', id, label: 'once' });
    const retry = await ws.next('SESSION_STARTED');
    expect(retry).toEqual(first);
    // The same id for another command is refused (issue 11), not acked with the first answer.
    ws.send({ type: 'SESSION_START', id, label: 'twice' });
    expect(await ws.next('error')).toMatchObject({ id, code: 'idempotency_key_reused' });
    // The other device saw the start once.
    await other.next('SESSION_STARTED');
    expect(await other.quiet('SESSION_STARTED', 100)).toBe(true);
    // A rejected message is rejected the same way on retry; an id is shared with the HTTP Idempotency-Key space.
    ws.send({ type: 'SESSION_RESUME', id: 'r' });
    const err = await ws.next('error');
    ws.send({ type: 'SESSION_RESUME', id: 'r' });
    expect({ ...(await ws.next('error')), serverTime: 0 }).toEqual({ ...err, serverTime: 0 });
    const http = await call('/api/sessions/start', {
      json: { label: 'once' },
      auth: user.token,
      headers: { 'Idempotency-Key': id },
    });
    expect(http.status).toBe(201);
    const { replyTo: _r, ...withoutReply } = first;
    expect(http.body).toEqual(withoutReply);
    expect(await current(user)).toMatchObject({ version: 1, label: 'once' });
    ws.close();
    other.close();
  });

  it('ping answers pong with t0 echoed and the server time; SESSION_SYNC answers SESSION_STATE', async () => {
    const user = await signup();
    const ws = await openSessionSocket({ auth: user.token });
    for (const t0 of [0, 1234.5678, Date.now()]) {
      const before = Date.now();
      ws.send({ type: 'ping', t0 });
      const pong = await ws.next('pong');
      expect(pong).toMatchObject({ t0, version: 0 });
      expect(pong.serverTime).toBeGreaterThanOrEqual(before - 1000);
      expect(pong.serverTime).toBeLessThanOrEqual(Date.now() + 1000);
    }
    ws.send({ type: 'ping', t0: 5, id: 'p1', offset: 1.5, rtt: 3 });
    expect(await ws.next('pong')).toMatchObject({ t0: 5, replyTo: 'p1' });
    await does(user, 'start', { label: 'sync me' });
    ws.send({ type: 'SESSION_SYNC', id: 'sync' });
    expect(await ws.next('SESSION_STATE')).toMatchObject({
      status: 'running',
      label: 'sync me',
      version: 1,
      replyTo: 'sync',
    });
    ws.send('{"type":"keepalive"}');
    ws.close();
  });
});

describe('ticks', () => {
  const tickDue = (userId: string) => scheduleDue(sessionStub(userId), 'tick');
  /** Moves the session's clock to the tick row's due time and runs the alarm: one tick goes out. */
  async function driveTick(userId: string): Promise<void> {
    expect(await runDue(sessionStub(userId), 'tick'), 'a tick is scheduled').toBe(true);
  }

  it('a ?ticks=1 socket gets SESSION_TICK at 1 Hz only while the session runs', async () => {
    const user = await signup();
    const id = user.user.id;
    const ticking = await openSessionSocket({ auth: user.token, ticks: true });
    const plain = await openSessionSocket({ auth: user.token });
    expect(await tickDue(id)).toBeNull();
    const started = await does(user, 'start');
    await driveTick(id);
    const tick = await ticking.next('SESSION_TICK', 3000);
    expect(tick).toMatchObject({ status: 'running', version: 1, userId: id });
    expect(tick.elapsedTime).toBe(tick.serverTime - started.startTime);
    await driveTick(id);
    expect((await ticking.next('SESSION_TICK', 3000)).serverTime).toBeGreaterThan(tick.serverTime);
    expect(await plain.quiet('SESSION_TICK', 10)).toBe(true);

    const paused = await does(user, 'pause');
    expect(await tickDue(id)).toBeNull();
    // Time passes with the session paused: whatever the alarm runs, no tick may be taken after the pause.
    await clockAhead(sessionStub(id), 1100);
    await runDurableObjectAlarm(sessionStub(id));
    // The pong is sent after anything the alarm sent, so once it is here every tick is in the log.
    ticking.send({ type: 'ping', t0: 1 });
    await ticking.next('pong');
    expect(ticking.log.filter((m) => m.type === 'SESSION_TICK' && m.serverTime > paused.serverTime)).toEqual([]);
    // Resuming restarts them; the last ticks socket leaving stops them.
    await does(user, 'resume');
    expect(await tickDue(id)).not.toBeNull();
    ticking.close();
    for (let i = 0; i < 3; i++) {
      if (!(await runDue(sessionStub(id), 'tick'))) break;
    }
    expect(await tickDue(id)).toBeNull();
    plain.close();
  });
});

describe('WebSocket fuzz', () => {
  const isValid = (text: string): boolean => {
    try {
      return sessionClientMessage.safeParse(JSON.parse(text)).success;
    } catch {
      return false;
    }
  };

  it('answers every malformed frame with an error and changes nothing', async () => {
    const user = await signup();
    await does(user, 'start', { label: 'steady' });
    await does(user, 'pause');
    const before = await durableState(user);
    // A fresh socket every FRESH_EVERY frames: each stays within its frame budget (WS_FRAME_BURST, default 40), which
    // test/workers/platform/limits.test.ts covers; this fuzzes the parsing.
    const FRESH_EVERY = 30;
    let ws = await openSessionSocket({ auth: user.token });
    const sockets = [ws];
    let sent = 0;
    const anyValue = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom<unknown>(-1, 1e308, '', null, [], {}, 'x'.repeat(300)),
    );
    const nearMiss = fc.record(
      {
        type: fc.oneof(
          fc.constantFrom(
            'SESSION_START',
            'SESSION_PAUSE',
            'SESSION_RESUME',
            'SESSION_STOP',
            'SESSION_SYNC',
            'ping',
            'session_start',
            'command',
            '',
          ),
          fc.string(),
        ),
        id: anyValue,
        label: anyValue,
        t0: anyValue,
        userId: anyValue,
        extra: anyValue,
      },
      { requiredKeys: [] },
    );
    const frames = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.oneof(fc.jsonValue({ maxDepth: 3 }), nearMiss).map((v) => JSON.stringify(v) ?? 'undefined'),
      },
      {
        weight: 2,
        arbitrary: fc.oneof(
          fc.string({ maxLength: 100 }),
          fc.constantFrom('{', '{"type":"ping"', 'NaN', '\u0000', '\uD800'),
        ),
      },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 100 }) },
    );
    await fc.assert(
      fc.asyncProperty(
        frames.filter((f) => typeof f !== 'string' || !isValid(f)),
        async (frame) => {
          if (++sent % FRESH_EVERY === 0) {
            ws = await openSessionSocket({ auth: user.token });
            sockets.push(ws);
          }
          ws.send(frame);
          const err = await ws.next('error', 2000);
          expect(err).toMatchObject({
            code: expect.stringMatching(/^(invalid_message|payload_too_large)$/),
            message: expect.any(String),
            version: 2,
            serverTime: expect.any(Number),
          });
        },
      ),
      { numRuns: 250 },
    );
    // Valid messages that are refused also change nothing.
    ws.send({ type: 'SESSION_PAUSE', id: 'p' });
    expect(await ws.next('error')).toMatchObject({ id: 'p', code: 'not_running' });
    ws.send({ type: 'SESSION_START' });
    expect(await ws.next('error')).toMatchObject({ code: 'session_exists' });
    ws.send(JSON.stringify({ type: 'SESSION_START', id: 'big', label: 'x'.repeat(17_000) }));
    expect(await ws.next('error')).toMatchObject({ code: 'payload_too_large' });
    ws.send(JSON.stringify({ type: 'SESSION_STOP', id: 'named', bogus: 1 }));
    expect(await ws.next('error')).toMatchObject({ code: 'invalid_message', id: 'named' });
    for (const s of sockets) {
      expect(new Set(s.log.slice(1).map((m) => m.type))).toEqual(new Set(['error']));
      expect(s.strays).toEqual([]);
    }
    expect(await durableState(user)).toEqual(before);
    ws.send({ type: 'ping', t0: 42 });
    expect(await ws.next('pong')).toMatchObject({ t0: 42, version: 2 });
    for (const s of sockets) s.close();
  });
});
