import { evictDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import {
  call,
  createRoom,
  createTimer,
  durableView,
  expectError,
  openSocket,
  ownerDoes,
  roomStub,
  signup,
  tryOpenSocket,
} from '../../support/workers.ts';

describe('share-link rotation', () => {
  it('closes every socket opened with the old viewer token (4001); the old token gets 403, the new one works', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const oldViewer = room.links.viewer;
    const viewers = [await openSocket(room.id, { token: oldViewer }), await openSocket(room.id, { token: oldViewer })];
    const controller = await openSocket(room.id, { token: room.links.controller });
    const ownerWs = await openSocket(room.id, { auth: owner.token });

    const rotated = (await ownerDoes(room, '/links/rotate', { role: 'viewer' })).body.links;
    for (const v of viewers) expect(await v.closed()).toEqual({ code: 4001, reason: 'share link rotated' });

    // Every open owner panel hears of the rotation with a room-state that carries no links (a socket never
    // does: a same-site page could open one); the panel rereads them over HTTP, which has the new ones.
    expect((await ownerWs.next('room-state', 2000)).links).toBeUndefined();
    expect(ownerWs.log.some((m) => m.type === 'room-state' && m.links)).toBe(false);
    expect((await call(`/api/rooms/${room.id}`, { auth: owner.token })).body.links).toEqual(rotated);
    // The others stay connected and see the new head count.
    expect(await ownerWs.next('user-count', 2000, (m) => m.viewers === 0)).toMatchObject({
      viewers: 0,
      controllers: 2,
    });
    expect(controller.log.some((m) => m.type === 'room-state' && m.links)).toBe(false);
    controller.send({ type: 'ping', t0: 1 });
    expect(await controller.next('pong')).toMatchObject({ t0: 1 });

    expectError(await call(`/api/rooms/${oldViewer}`), 403, 'forbidden');
    expectError(await call(`/api/rooms/${room.id}?token=${oldViewer}`), 403, 'forbidden');
    const refused = await tryOpenSocket(room.id, { token: oldViewer });
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });

    expect((await call(`/api/rooms/${rotated.viewer}`)).status).toBe(200);
    const fresh = await openSocket(room.id, { token: rotated.viewer });
    fresh.send({ type: 'request-sync' });
    expect(await fresh.next('room-state')).toMatchObject({ room: { id: room.id }, viewers: 1 });
    for (const ws of [controller, ownerWs, fresh]) ws.close();
  });

  it('rotating the controller token revokes its sockets and its control, and leaves viewers alone', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const t = await createTimer(room);
    const oldController = room.links.controller;
    const controller = await openSocket(room.id, { token: oldController });
    const viewer = await openSocket(room.id, { token: room.links.viewer });

    const rotated = (await ownerDoes(room, '/links/rotate', { role: 'controller' })).body.links;
    expect(rotated.viewer).toBe(room.links.viewer);
    expect(await controller.closed()).toMatchObject({ code: 4001 });

    const before = await durableView(room);
    expectError(
      await call(`/api/rooms/${room.id}/timers/${t.id}/start?token=${oldController}`, { method: 'POST' }),
      403,
      'forbidden',
    );
    expectError(await call(`/api/rooms/${oldController}/next`, { method: 'POST' }), 403, 'forbidden');
    expect(await durableView(room)).toEqual(before);

    const ok = await call(`/api/rooms/${room.id}/timers/${t.id}/start`, {
      method: 'POST',
      headers: { 'X-Room-Token': rotated.controller },
    });
    expect(ok.status).toBe(200);
    expect(await viewer.next('timer-update')).toMatchObject({ timer: { id: t.id, state: 'running' } });
    viewer.close();
  });

  it('also closes old-token sockets that were hibernating when the link rotated', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const viewer = await openSocket(room.id, { token: room.links.viewer });
    const controller = await openSocket(room.id, { token: room.links.controller });
    await evictDurableObject(roomStub(room.id), { webSockets: 'hibernate' });

    await ownerDoes(room, '/links/rotate', { role: 'viewer' });
    expect(await viewer.closed()).toMatchObject({ code: 4001 });
    expect(await controller.next('user-count', 2000, (m) => m.viewers === 0)).toMatchObject({ controllers: 1 });
    controller.close();
  });

  it('a retried rotation (same Idempotency-Key) returns the same tokens and rotates once', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const rotate = () =>
      call(`/api/rooms/${room.id}/links/rotate`, {
        json: { role: 'viewer' },
        auth: owner.token,
        headers: { 'Idempotency-Key': 'rot-1' },
      });
    const first = await rotate();
    const second = await rotate();
    expect(first.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect((await call(`/api/rooms/${first.body.links.viewer}`)).status).toBe(200);
  });

  it('each rotation issues a token unlike any before it', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const seen = new Set([room.links.viewer, room.links.controller]);
    for (let i = 0; i < 5; i++) {
      const links = (await ownerDoes(room, '/links/rotate', { role: i % 2 ? 'viewer' : 'controller' })).body.links;
      seen.add(links.viewer).add(links.controller);
    }
    expect(seen.size).toBe(7);
  });
});
