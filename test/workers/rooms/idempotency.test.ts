import { evictDurableObject } from 'cloudflare:test';
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

  it('a replayed PUT /api/rooms/:id with another body renames nothing, not even the account list', async () => {
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
    const replay = await put('Third');
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

    // The same id from another socket of the same role is the same command (a reconnect retrying).
    const again = await openSocket(room.id, { token: room.links.controller });
    again.send(cmd);
    expect(await again.next('ack')).toMatchObject({ id: 'cmd-1', version: v0 + 1 });
    expect((await durableView(room)).version).toBe(v0 + 1);
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
