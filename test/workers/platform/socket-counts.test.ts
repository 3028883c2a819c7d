/**
 * Issue 17: SocketHub.count, the O(1) socket counts the upgrade caps read. Each count must equal what the runtime
 * lists (`ctx.getWebSockets(tag).length`) after opens, client closes, server closes, and a hibernation.
 */
import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { TimerRoom } from '../../../worker/index.ts';
import { ipPrefix } from '../../../durable-objects/platform/limits-config.ts';
import type { SocketHub } from '../../../durable-objects/platform/sockets.ts';
import {
  call,
  createRoom,
  freshIp,
  roomStub,
  signup,
  sleep,
  tryOpenWs,
  wsPath,
  type RoomHandle,
  type TestSocket,
} from '../../support/workers.ts';

type Counts = Record<string, { count: number; runtime: number }>;

/** The hub's count and the runtime's list length for each tag (undefined: all sockets), read inside the object. */
async function counts(roomId: string, tags: Array<string | undefined>): Promise<Counts> {
  return runInDurableObject(roomStub(roomId), (instance: TimerRoom, state) => {
    const hub = (instance as unknown as { hub: SocketHub }).hub;
    const out: Counts = {};
    for (const tag of tags) out[tag ?? 'all'] = { count: hub.count(tag), runtime: state.getWebSockets(tag).length };
    return out;
  });
}

/** Waits until every count equals `expected` (the runtime handles a close asynchronously), then returns them. */
async function settle(roomId: string, tags: Array<string | undefined>, expected: Record<string, number>) {
  let last: Counts = {};
  for (let i = 0; i < 60; i++) {
    last = await counts(roomId, tags);
    const done = Object.entries(expected).every(([k, n]) => last[k]?.count === n && last[k]?.runtime === n);
    if (done) return last;
    await sleep(50);
  }
  return last;
}

async function open(room: RoomHandle, token: string, ip: string): Promise<TestSocket> {
  const r = await tryOpenWs(wsPath(room.id, { token }), { headers: { 'CF-Connecting-IP': ip } });
  if (!('socket' in r)) throw new Error(`socket refused: ${r.status} ${JSON.stringify(r.body)}`);
  await r.socket.next('room-state');
  return r.socket;
}

const expectAgree = (c: Counts, expected: Record<string, number>) => {
  for (const [k, n] of Object.entries(expected)) expect(c[k], k).toEqual({ count: n, runtime: n });
};

describe('socket counts', () => {
  it('follow opens and client closes, by role and by address, exactly once per socket', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const [ipA, ipB] = [freshIp(), freshIp()];
    const [peerA, peerB] = [`ip:${ipPrefix(ipA)}`, `ip:${ipPrefix(ipB)}`];
    const tags = [undefined, 'viewer', 'controller', peerA, peerB];
    expectAgree(await counts(room.id, tags), { all: 0, viewer: 0, controller: 0, [peerA]: 0 });

    const viewers = [];
    for (let i = 0; i < 5; i++) viewers.push(await open(room, room.links.viewer, i < 3 ? ipA : ipB));
    const controller = await open(room, room.links.controller, ipA);
    expectAgree(await counts(room.id, tags), { all: 6, viewer: 5, controller: 1, [peerA]: 4, [peerB]: 2 });

    viewers[0]?.close();
    viewers[4]?.close();
    expectAgree(await settle(room.id, tags, { all: 4, viewer: 3, [peerA]: 3, [peerB]: 1 }), {
      all: 4,
      viewer: 3,
      controller: 1,
      [peerA]: 3,
      [peerB]: 1,
    });
    controller.close();
    for (const v of viewers.slice(1, 4)) v.close();
    expectAgree(await settle(room.id, tags, { all: 0 }), { all: 0, viewer: 0, controller: 0, [peerA]: 0, [peerB]: 0 });
  });

  it('are counted again from the runtime after a hibernation, then kept', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const ip = freshIp();
    const peer = `ip:${ipPrefix(ip)}`;
    const tags = [undefined, 'viewer', 'controller', peer];
    const viewers = [];
    for (let i = 0; i < 4; i++) viewers.push(await open(room, room.links.viewer, ip));
    const controller = await open(room, room.links.controller, ip);
    const stub = roomStub(room.id);
    await runInDurableObject(stub, (instance: TimerRoom) => {
      (instance as unknown as { marker?: string }).marker = 'old instance';
    });

    await evictDurableObject(stub, { webSockets: 'hibernate' });
    // A new instance (its memory is empty), with the hibernated sockets still attached.
    expect(
      await runInDurableObject(stub, (instance: TimerRoom) => (instance as unknown as { marker?: string }).marker),
    ).toBeUndefined();
    expectAgree(await counts(room.id, tags), { all: 5, viewer: 4, controller: 1, [peer]: 5 });

    // Closes and opens after the wake are kept on top of the recount.
    viewers[0]?.close();
    expectAgree(await settle(room.id, tags, { all: 4, viewer: 3 }), { all: 4, viewer: 3, controller: 1, [peer]: 4 });
    viewers.push(await open(room, room.links.viewer, ip));
    expectAgree(await counts(room.id, tags), { all: 5, viewer: 4, controller: 1, [peer]: 5 });

    // A close that itself wakes the object (its first event after a hibernation) is counted once, not twice.
    await evictDurableObject(stub, { webSockets: 'hibernate' });
    viewers[1]?.close();
    expectAgree(await settle(room.id, tags, { all: 4, viewer: 3 }), { all: 4, viewer: 3, controller: 1, [peer]: 4 });

    controller.close();
    for (const v of viewers.slice(2)) v.close();
    expectAgree(await settle(room.id, tags, { all: 0 }), { all: 0, viewer: 0, controller: 0, [peer]: 0 });
  });

  it('drop sockets the server closed (a deleted room closes every socket)', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const ip = freshIp();
    const peer = `ip:${ipPrefix(ip)}`;
    const sockets = [];
    for (let i = 0; i < 3; i++) sockets.push(await open(room, room.links.viewer, ip));
    sockets.push(await open(room, room.links.controller, ip));
    expectAgree(await counts(room.id, [undefined, peer]), { all: 4, [peer]: 4 });

    const deleted = await call(`/api/rooms/${room.id}`, { method: 'DELETE', auth: owner.token });
    expect(deleted.status, JSON.stringify(deleted.body)).toBeLessThan(300);
    for (const s of sockets) expect((await s.closed(3000)).code).toBeGreaterThanOrEqual(4000);
    expectAgree(await settle(room.id, [undefined, 'viewer', peer], { all: 0 }), { all: 0, viewer: 0, [peer]: 0 });
  });

  it('let the per-address cap refuse at the limit and admit again once a socket closed', {
    timeout: 90_000,
  }, async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const ip = freshIp();
    const peer = `ip:${ipPrefix(ip)}`;
    const limit = await runInDurableObject(
      roomStub(room.id),
      (instance: TimerRoom) => (instance as unknown as { limits: { socketsPerIp: number } }).limits.socketsPerIp,
    );
    const sockets: TestSocket[] = [];
    for (let i = 0; i < limit; i++) sockets.push(await open(room, room.links.viewer, ip));
    const refused = await tryOpenWs(wsPath(room.id, { token: room.links.viewer }), {
      headers: { 'CF-Connecting-IP': ip },
    });
    expect(refused).toMatchObject({ status: 429, body: { error: { code: 'too_many_connections' } } });
    expectAgree(await counts(room.id, [peer]), { [peer]: limit });
    sockets.shift()?.close();
    expectAgree(await settle(room.id, [peer], { [peer]: limit - 1 }), { [peer]: limit - 1 });
    sockets.push(await open(room, room.links.viewer, ip));
    expectAgree(await counts(room.id, [peer]), { [peer]: limit });
    for (const s of sockets) s.close();
  });
});
