import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import {
  call,
  createRoom,
  createTimer,
  durableView,
  openSocket,
  roomStub,
  signup,
  snapshot,
  unique,
} from '../../support/workers.ts';

describe('Idempotency-Key over HTTP', () => {
  it('the same key twice applies once and returns the same body', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const t = await createTimer(room);
    const v0 = (await snapshot(room)).version;
    const key = unique('key');
    const adjust = () =>
      call(`/api/rooms/${room.id}/timers/${t.id}/adjust`, {
        json: { deltaMs: 5_000 },
        auth: owner.token,
        headers: { 'Idempotency-Key': key },
      });
    const first = await adjust();
    const second = await adjust();
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(first.body.version).toBe(v0 + 1);
    const view = await durableView(room);
    expect(view.version).toBe(v0 + 1);
    expect(view.timers).toMatchObject([{ adjustMs: 5_000 }]);

    // A retry after the object was evicted still gets the stored answer.
    await evictDurableObject(roomStub(room.id));
    expect((await adjust()).body).toEqual(first.body);
    expect(await durableView(room)).toEqual(view);

    // A new key is a new command.
    const third = await call(`/api/rooms/${room.id}/timers/${t.id}/adjust`, {
      json: { deltaMs: 5_000 },
      auth: owner.token,
      headers: { 'Idempotency-Key': unique('key') },
    });
    expect(third.body.version).toBe(v0 + 2);
  });

  it('concurrent requests with one key apply once', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const t = await createTimer(room);
    const v0 = (await snapshot(room)).version;
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        call(`/api/rooms/${room.id}/timers/${t.id}/adjust`, {
          json: { deltaMs: 1000 },
          auth: owner.token,
          headers: { 'Idempotency-Key': 'burst' },
        }),
      ),
    );
    expect(new Set(answers.map((a) => JSON.stringify([a.status, a.body])))).toEqual(
      new Set([JSON.stringify([200, answers[0]!.body])]),
    );
    expect(await durableView(room)).toMatchObject({ version: v0 + 1, timers: [{ adjustMs: 1000 }] });
  });

  it('a PUT /api/rooms/:id reusing a key with another body is refused (422) and renames nothing, not even the account list', async () => {
    const owner = await signup();
    const room = await createRoom(owner, 'First');
    const put = (name: string) =>
      call(`/api/rooms/${room.id}`, {
        method: 'PUT',
        json: { name },
        auth: owner.token,
        headers: { 'Idempotency-Key': 'rename' },
      });
    expect((await put('Second')).body.room.name).toBe('Second');
    // Before issue 11 this answered 200 with the first answer; a different body under one key is now refused.
    const reused = await put('Third');
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    const replay = await put('Second');
    expect(replay.status).toBe(200);
    expect(replay.body.room.name).toBe('Second');
    expect((await call('/api/rooms', { auth: owner.token })).body.rooms).toEqual([
      expect.objectContaining({ id: room.id, name: 'Second' }),
    ]);
  });

  it('a repeated create returns the one timer it created', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const create = () =>
      call(`/api/rooms/${room.id}/timers`, {
        json: { label: 'Once', durationMs: 1000 },
        auth: owner.token,
        headers: { 'Idempotency-Key': 'create-1' },
      });
    const first = await create();
    const second = await create();
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect((await snapshot(room)).timers).toHaveLength(1);
  });

  it('a refused command is remembered too: its retry is refused the same way, even once it would succeed', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const t = await createTimer(room);
    const pause = () =>
      call(`/api/rooms/${room.id}/timers/${t.id}/pause`, {
        method: 'POST',
        auth: owner.token,
        headers: { 'Idempotency-Key': 'pause-1' },
      });
    const first = await pause();
    expect(first.status).toBe(409);
    await call(`/api/rooms/${room.id}/timers/${t.id}/start`, { method: 'POST', auth: owner.token });
    const before = await durableView(room);
    const second = await pause();
    expect(second).toMatchObject({ status: 409, body: first.body });
    expect(await durableView(room)).toEqual(before);
  });

  it('keys belong to their caller: the owner and a controller using the same key are two commands', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const t = await createTimer(room);
    const headers = { 'Idempotency-Key': 'shared' };
    await call(`/api/rooms/${room.id}/timers/${t.id}/adjust`, { json: { deltaMs: 1000 }, auth: owner.token, headers });
    await call(`/api/rooms/${room.id}/timers/${t.id}/adjust?token=${room.links.controller}`, {
      json: { deltaMs: 1000 },
      headers,
    });
    expect((await snapshot(room)).timers[0].adjustMs).toBe(2000);
  });
});

describe('command ids over the WebSocket', () => {
  it('the same id twice is applied once, and both get an ack with the same version', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const t = await createTimer(room);
    const controller = await openSocket(room.id, { token: room.links.controller });
    const watcher = await openSocket(room.id, { token: room.links.viewer });
    const v0 = (await snapshot(room)).version;

    const cmd = { type: 'command', id: 'cmd-1', command: { type: 'adjust', timerId: t.id, deltaMs: 7_000 } };
    controller.send(cmd);
    controller.send(cmd);
    const acks = [await controller.next('ack'), await controller.next('ack')];
    expect(acks.map((a) => [a.id, a.version])).toEqual([
      ['cmd-1', v0 + 1],
      ['cmd-1', v0 + 1],
    ]);
    expect(acks.every((a) => typeof a.serverTime === 'number')).toBe(true);

    await watcher.next('timer-update');
    expect(await watcher.quiet('timer-update', 50)).toBe(true);
    expect(await durableView(room)).toMatchObject({ version: v0 + 1, timers: [{ adjustMs: 7_000 }] });

    // A long (random) id sent again from another socket of the same role is the same command (a reconnect
    // retrying); short ids such as "cmd-1" belong to their connection (see the next describe).
    const long = { ...cmd, id: `retry-${crypto.randomUUID()}` };
    controller.send(long);
    const v1 = (await controller.next('ack')).version;
    const again = await openSocket(room.id, { token: room.links.controller });
    again.send(long);
    expect(await again.next('ack')).toMatchObject({ id: long.id, version: v1 });
    expect((await durableView(room)).version).toBe(v1);
    for (const ws of [controller, watcher, again]) ws.close();
  });

  it('a refused command id answers the same error on retry', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const t = await createTimer(room);
    const ws = await openSocket(room.id, { auth: owner.token });
    const cmd = { type: 'command', id: 'bad-1', command: { type: 'resume', timerId: t.id } };
    ws.send(cmd);
    ws.send(cmd);
    const errors = [await ws.next('error'), await ws.next('error')];
    expect(errors.map((e) => [e.id, e.code])).toEqual([
      ['bad-1', 'not_paused'],
      ['bad-1', 'not_paused'],
    ]);
    expect((await snapshot(room)).version).toBe(1);
    ws.close();
  });
});

describe('issue 11, finding 9: ids that cannot eat commands', () => {
  it('device B\'s short id "1" is its own command: not acked with device A\'s answer, and the pause is applied', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const t = await createTimer(room);
    const a = await openSocket(room.id, { token: room.links.controller });
    const b = await openSocket(room.id, { token: room.links.controller });
    a.send({ type: 'command', id: '1', command: { type: 'start', timerId: t.id } });
    const started = await a.next('ack');
    b.send({ type: 'command', id: '1', command: { type: 'pause', timerId: t.id } });
    const paused = await b.next('ack');
    expect(paused.version).toBe(started.version + 1);
    const timer = (await snapshot(room)).timers[0];
    expect(timer.pausedAt).not.toBeNull();
    // The same owner on two devices: the same.
    const c = await openSocket(room.id, { auth: owner.token });
    c.send({ type: 'command', id: '1', command: { type: 'resume', timerId: t.id } });
    expect((await c.next('ack')).version).toBe(paused.version + 1);
    for (const ws of [a, b, c]) ws.close();
  });

  it('one Idempotency-Key for a different command is refused with 422 idempotency_key_reused, and changes nothing', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const t = await createTimer(room);
    const headers = { 'Idempotency-Key': unique('key') };
    const first = await call(`/api/rooms/${room.id}/timers/${t.id}/adjust`, {
      json: { deltaMs: 1_000 },
      auth: owner.token,
      headers,
    });
    expect(first.status).toBe(200);
    const before = await durableView(room);
    const other = await call(`/api/rooms/${room.id}/timers/${t.id}/adjust`, {
      json: { deltaMs: 60_000 },
      auth: owner.token,
      headers,
    });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    // Another route with the same key is another command too.
    const start = await call(`/api/rooms/${room.id}/timers/${t.id}/start`, {
      method: 'POST',
      auth: owner.token,
      headers,
    });
    expect(start.status).toBe(422);
    expect(await durableView(room)).toEqual(before);
    // The same command again is still a replay.
    const replay = await call(`/api/rooms/${room.id}/timers/${t.id}/adjust`, {
      json: { deltaMs: 1_000 },
      auth: owner.token,
      headers,
    });
    expect(replay).toMatchObject({ status: 200, body: first.body });
  });

  it('a long socket id reused for a different command gets an idempotency_key_reused error, not the old ack', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const t = await createTimer(room);
    const ws = await openSocket(room.id, { auth: owner.token });
    const id = crypto.randomUUID();
    ws.send({ type: 'command', id, command: { type: 'start', timerId: t.id } });
    await ws.next('ack');
    const before = await durableView(room);
    ws.send({ type: 'command', id, command: { type: 'pause', timerId: t.id } });
    expect(await ws.next('error')).toMatchObject({ id, code: 'idempotency_key_reused' });
    expect(await durableView(room)).toEqual(before);
    ws.close();
  });

  it('stored answers are capped: 3,000 commands leave at most 1,000 rows (oldest evicted), and the newest still replay', {
    timeout: 90_000,
  }, async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const t = await createTimer(room);
    const stub = roomStub(room.id);
    const access = { userId: owner.user.id, token: null };
    // Straight into the object (no RPC hop per command), so 3,000 commands fit the test's time.
    await runInDurableObject(stub, async (o) => {
      for (let i = 0; i < 3_000; i++) {
        const a = await o.command(access, { type: 'adjust', timerId: t.id, deltaMs: 1 }, `bulk-${i}`);
        if (!a.ok) throw new Error(JSON.stringify(a));
      }
    });
    const stored = await runInDurableObject(stub, (o) => {
      const sql = (o as unknown as { ctx: DurableObjectState }).ctx.storage.sql;
      return {
        rows: sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM idempotency').one().n,
        oldest: sql.exec<{ k: string }>('SELECT key AS k FROM idempotency ORDER BY at, rowid LIMIT 1').one().k,
        bytes: sql.exec<{ n: number }>('SELECT SUM(LENGTH(answer)) AS n FROM idempotency').one().n,
      };
    });
    expect(stored.rows).toBe(1_000);
    expect(stored.oldest).toBe(`${owner.user.id}:bulk-2000`);
    expect(stored.bytes).toBeLessThan(1_000_000);
    const v = (await snapshot(room)).version;
    const replay = await stub.command(access, { type: 'adjust', timerId: t.id, deltaMs: 1 }, 'bulk-2999');
    expect(replay).toMatchObject({ ok: true, value: { version: v } });
    expect((await snapshot(room)).version).toBe(v);
  });
});
