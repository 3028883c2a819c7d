import { describe, expect, it } from 'vitest';
import {
  call,
  createRoom,
  createTimer,
  durableView,
  expectError,
  openSocket,
  ownerDoes,
  signup,
  snapshot,
  tryOpenSocket,
} from '../../support/workers.ts';

describe('room routes: the good path', () => {
  it('creates, lists, reads, renames and deletes a room', async () => {
    const owner = await signup();
    const room = await createRoom(owner, 'Main stage');
    expect(room.id).toMatch(/^[0-9a-f]{20}$/);
    expect(room.room).toMatchObject({ id: room.id, name: 'Main stage', ownerId: owner.user.id });
    expect(room.links.viewer).toMatch(new RegExp(`^${room.id}_`));
    expect(room.links.controller).toMatch(new RegExp(`^${room.id}_`));
    expect(room.links.viewer).not.toBe(room.links.controller);

    const list = await call('/api/rooms', { auth: owner.token });
    expect(list.status).toBe(200);
    expect(list.body.rooms).toEqual([expect.objectContaining({ id: room.id, name: 'Main stage' })]);

    const snap = await snapshot(room);
    expect(snap).toMatchObject({
      room: { id: room.id },
      timers: [],
      message: null,
      version: 0,
      serverTime: expect.any(Number),
    });

    const put = await ownerDoes(room, '', { name: 'Side stage', warnMs: 30_000 }, 'PUT');
    expect(put.body).toMatchObject({ room: { name: 'Side stage', warnMs: 30_000 }, version: 1 });
    expect((await call('/api/rooms', { auth: owner.token })).body.rooms).toEqual([
      expect.objectContaining({ id: room.id, name: 'Side stage' }),
    ]);

    const watcher = await openSocket(room.id, { token: room.links.viewer });
    const del = await call(`/api/rooms/${room.id}`, { method: 'DELETE', auth: owner.token });
    expect(del.status).toBe(204);
    expect(await watcher.closed()).toMatchObject({ code: 4404 });
    expect(await tryOpenSocket(room.id, { token: room.links.viewer })).toMatchObject({ status: 404 });
    expectError(await call(`/api/rooms/${room.id}`, { auth: owner.token }), 404, 'room_not_found');
    expectError(await call(`/api/rooms/${room.id}?token=${room.links.viewer}`), 404, 'room_not_found');
    expect((await call('/api/rooms', { auth: owner.token })).body.rooms).toEqual([]);
  });

  it('renames through the share-token form of the path too, and keeps the account list right', async () => {
    const owner = await signup();
    const room = await createRoom(owner, 'Before');
    const a = await call(`/api/rooms/${room.links.controller}`, {
      method: 'PUT',
      auth: owner.token,
      json: { name: 'After' },
    });
    expect(a.status).toBe(200);
    expect((await call('/api/rooms', { auth: owner.token })).body.rooms).toEqual([
      expect.objectContaining({ id: room.id, name: 'After' }),
    ]);
  });

  it('serves a viewer snapshot by share token, without the share links', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    await createTimer(room, { label: 'Keynote' });
    const byPath = await call(`/api/rooms/${room.links.viewer}`);
    const byQuery = await call(`/api/rooms/${room.id}?token=${room.links.viewer}`);
    const byHeader = await call(`/api/rooms/${room.id}`, { headers: { 'X-Room-Token': room.links.viewer } });
    for (const a of [byPath, byQuery, byHeader]) {
      expect(a.status).toBe(200);
      expect(a.body).toMatchObject({
        room: { id: room.id },
        timers: [{ label: 'Keynote' }],
        message: null,
        version: 1,
        serverTime: expect.any(Number),
      });
      expect(a.body.links).toBeUndefined();
      expect(JSON.stringify(a.body)).not.toContain(room.links.controller);
    }
    expect((await snapshot(room)).links).toEqual(room.links);
  });

  it('rotates one role and returns the new tokens', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const a = await ownerDoes(room, '/links/rotate', { role: 'viewer' });
    expect(a.body.links.controller).toBe(room.links.controller);
    expect(a.body.links.viewer).not.toBe(room.links.viewer);
    expect(a.body.links.viewer).toMatch(new RegExp(`^${room.id}_`));
  });
});

describe('timer routes: the good path', () => {
  it('creates, edits, drives and deletes timers, one version step per change', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const a = await createTimer(room, { label: 'Opening', durationMs: 600_000, warnMs: 30_000 });
    expect(a).toMatchObject({
      id: expect.any(String),
      label: 'Opening',
      mode: 'countdown',
      durationMs: 600_000,
      state: 'idle',
      startedAt: null,
      pausedAt: null,
      accumulatedMs: 0,
      adjustMs: 0,
      warnMs: 30_000,
      dangerMs: null,
      trigger: 'manual',
      startAt: null,
      order: 0,
    });
    const b = await createTimer(room, { label: 'Talk', durationMs: 1_200_000, trigger: 'linked', mode: 'countup' });
    expect(b).toMatchObject({ order: 1, trigger: 'linked', mode: 'countup' });
    let version = (await snapshot(room)).version;
    const step = async (path: string, json?: unknown, method = 'POST') => {
      const r = await ownerDoes(room, path, json, method);
      expect(r.body.version, path).toBe(++version);
      return r.body;
    };

    expect((await step(`/timers/${a.id}`, { label: 'Welcome' }, 'PUT')).timer).toMatchObject({
      id: a.id,
      label: 'Welcome',
    });
    const started = await step(`/timers/${a.id}/start`);
    expect(started.timer).toMatchObject({ state: 'running', startedAt: expect.any(Number) });
    expect((await step(`/timers/${a.id}/pause`)).timer).toMatchObject({
      state: 'paused',
      startedAt: null,
      pausedAt: expect.any(Number),
    });
    expect((await step(`/timers/${a.id}/resume`)).timer).toMatchObject({ state: 'running' });
    expect((await step(`/timers/${a.id}/adjust`, { deltaMs: 5_000 })).timer).toMatchObject({ adjustMs: 5_000 });
    expect((await step(`/timers/${a.id}/reset`)).timer).toMatchObject({
      state: 'idle',
      adjustMs: 0,
      accumulatedMs: 0,
      startedAt: null,
    });

    await step('/next');
    expect((await snapshot(room)).room.activeTimerId).toBe(b.id);
    await step('/previous');
    expect((await snapshot(room)).room.activeTimerId).toBe(a.id);

    await step('/message', { text: 'Five minutes', flash: true });
    expect((await snapshot(room)).message).toEqual({
      text: 'Five minutes',
      flash: true,
      blackout: false,
      target: 'all',
    });
    await step('/message', undefined, 'DELETE');
    expect((await snapshot(room)).message).toBeNull();

    await step('/reorder', { timerIds: [b.id, a.id] });
    expect((await snapshot(room)).timers.map((t: { id: string }) => t.id)).toEqual([b.id, a.id]);

    expect(await step(`/timers/${b.id}`, undefined, 'DELETE')).toMatchObject({ ok: true, deleted: b.id });
    expect((await snapshot(room)).timers.map((t: { id: string }) => t.id)).toEqual([a.id]);
  });

  it('a command that changes nothing keeps the version', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const t = await createTimer(room);
    const before = await durableView(room);
    expect((await ownerDoes(room, `/timers/${t.id}/reset`)).body.version).toBe(before.version);
    expect((await ownerDoes(room, '/message', undefined, 'DELETE')).body.version).toBe(before.version);
    expect(await durableView(room)).toEqual(before);
  });

  it('the WebSocket route asks for an upgrade on a plain GET', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    expectError(await call(`/api/rooms/${room.id}/ws`, { auth: owner.token }), 426, 'upgrade_required');
  });
});
