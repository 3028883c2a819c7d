/** Link holders (viewer and controller links) never see a user id: no ownerId in their snapshots or broadcasts. */
import { describe, expect, it } from 'vitest';
import { call, createRoom, createTimer, openSocket, ownerDoes, signup } from '../../support/workers.ts';

describe('link-holder views', () => {
  it('HTTP snapshots through a viewer or controller link carry no ownerId; the owner’s does', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    await createTimer(room);
    const own = await call(`/api/rooms/${room.id}`, { auth: owner.token });
    expect(own.body.room.ownerId).toBe(owner.user.id);
    for (const token of [room.links.viewer, room.links.controller]) {
      for (const path of [`/api/rooms/${token}`, `/api/rooms/${room.id}?token=${token}`]) {
        const seen = await call(path);
        expect(seen.status, JSON.stringify(seen.body)).toBe(200);
        expect(seen.body.room).toMatchObject({ id: room.id, name: room.room.name });
        expect(seen.body.room).not.toHaveProperty('ownerId');
        expect(JSON.stringify(seen.body)).not.toContain(owner.user.id);
      }
    }
  });

  it('sockets opened with a link never receive the owner’s user id, even when the room is renamed', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const viewer = await openSocket(room.id, { token: room.links.viewer });
    const controller = await openSocket(room.id, { token: room.links.controller });
    const ownerWs = await openSocket(room.id, { auth: owner.token });
    ownerWs.send({ type: 'request-sync' });
    expect((await ownerWs.next('room-state')).room.ownerId).toBe(owner.user.id);

    await ownerDoes(room, '', { name: 'Renamed for the show' }, 'PUT');
    for (const ws of [viewer, controller]) {
      const update = await ws.next('room-update', 3000);
      expect(update.room).toMatchObject({ name: 'Renamed for the show' });
      expect(update.room).not.toHaveProperty('ownerId');
      ws.send({ type: 'request-sync' });
      expect(
        (await ws.next('room-state', 3000, (m) => m.room.name === 'Renamed for the show')).room,
      ).not.toHaveProperty('ownerId');
      expect(JSON.stringify(ws.log)).not.toContain(owner.user.id);
    }
    for (const ws of [viewer, controller, ownerWs]) ws.close();
  });
});
