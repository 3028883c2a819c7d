/**
 * The owner's room list hears of a rename made over the socket through the
 * room's outbox: the drain delivers it, and a failed delivery is retried.
 */
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { accountStub } from '../../../durable-objects/platform/stubs.ts';
import { describe, expect, it } from 'vitest';
import type { TimerRoom } from '../../../durable-objects/rooms/timer-room.ts';
import { call, createRoom, openSocket, roomStub, signup } from '../../support/workers.ts';

async function listed(token: string): Promise<string[]> {
  return (await call('/api/rooms', { auth: token })).body.rooms.map((r: { name: string }) => r.name);
}

async function renameOverSocket(roomId: string, auth: string, name: string): Promise<void> {
  const ws = await openSocket(roomId, { auth });
  ws.send({ type: 'command', id: `rename-${name}`, command: { type: 'update-room', name } });
  await ws.next('ack');
  ws.close();
}

describe("the owner's room list", () => {
  it('hears of a rename over the socket once the outbox drains', async () => {
    const owner = await signup();
    const room = await createRoom(owner, 'Before');
    await renameOverSocket(room.id, owner.token, 'After');
    await runDurableObjectAlarm(roomStub(room.id));
    expect(await listed(owner.token)).toEqual(['After']);
  });

  it('keeps a rename whose delivery failed in the outbox and delivers it on the retry', async () => {
    const owner = await signup();
    const room = await createRoom(owner, 'Before');
    const stub = roomStub(room.id);
    await runInDurableObject(stub, (instance: TimerRoom) => {
      Object.assign(instance, {
        deliver: async () => {
          throw new Error('account unreachable');
        },
      });
    });
    await renameOverSocket(room.id, owner.token, 'After');
    await runDurableObjectAlarm(stub);
    expect(await listed(owner.token)).toEqual(['Before']);
    expect((await stub.stats()).pending).toBeGreaterThan(0);

    await runInDurableObject(stub, (instance: TimerRoom) => {
      Reflect.deleteProperty(instance, 'deliver');
    });
    await stub.kick();
    expect(await listed(owner.token)).toEqual(['After']);
    expect((await stub.stats()).pending).toBe(0);
  });

  it('ignores deliveries that arrive after a newer rename or the delete', async () => {
    const owner = await signup();
    const room = await createRoom(owner, 'First');
    const account = accountStub(env, owner.user.email);
    await account.renameRoom(room.id, 'Newest', 10);
    await account.renameRoom(room.id, 'Older', 5);
    await account.addRoom({ id: room.id, name: 'First', createdAt: 0 });
    expect(await listed(owner.token)).toEqual(['Newest']);
    await account.removeRoom(room.id);
    await account.addRoom({ id: room.id, name: 'First', createdAt: 0 });
    await account.renameRoom(room.id, 'Later', 20);
    expect(await listed(owner.token)).toEqual([]);
  });
});
