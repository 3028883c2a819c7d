import { evictDurableObject, runDurableObjectAlarm } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import {
  createRoom,
  createTimer,
  openSocket,
  ownerDoes,
  roomStub,
  signup,
  snapshot,
  tryOpenSocket,
} from '../../support/workers.ts';
import { clockAhead, runDue, scheduleDue } from '../../support/clock.ts';

/** The due time of the room's tick schedule row, or null. */
const tickDue = (roomId: string) => scheduleDue(roomStub(roomId), 'tick');

/** Moves the room's clock to the tick row's due time and runs the alarm: one tick goes out. */
async function driveTick(roomId: string): Promise<void> {
  expect(await runDue(roomStub(roomId), 'tick'), 'a tick is scheduled').toBe(true);
}

describe('presence', () => {
  it('broadcasts user-count on every connect and disconnect', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const viewer = await openSocket(room.id, { token: room.links.viewer });
    expect(viewer.log.find((m) => m.type === 'room-state')).toMatchObject({ viewers: 1, controllers: 0 });
    expect(viewer.log.find((m) => m.type === 'user-count')).toMatchObject({
      viewers: 1,
      controllers: 0,
      version: 0,
      serverTime: expect.any(Number),
    });

    const controller = await openSocket(room.id, { token: room.links.controller });
    expect(await viewer.next('user-count')).toMatchObject({ viewers: 1, controllers: 1 });
    const ownerWs = await openSocket(room.id, { auth: owner.token });
    expect(await viewer.next('user-count')).toMatchObject({ viewers: 1, controllers: 2 });
    expect(await controller.next('user-count')).toMatchObject({ viewers: 1, controllers: 2 });

    controller.close();
    expect(await viewer.next('user-count')).toMatchObject({ viewers: 1, controllers: 1 });
    expect(await ownerWs.next('user-count', 2000, (m) => m.controllers === 1)).toMatchObject({ viewers: 1 });

    // Hibernated sockets still count.
    await evictDurableObject(roomStub(room.id), { webSockets: 'hibernate' });
    const late = await openSocket(room.id, { token: room.links.viewer });
    expect(late.log.find((m) => m.type === 'user-count')).toMatchObject({ viewers: 2, controllers: 1 });
    expect(await viewer.next('user-count')).toMatchObject({ viewers: 2, controllers: 1 });
    for (const ws of [viewer, ownerWs, late]) ws.close();
  });

  it('refuses sockets without credentials or with another room’s token', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const other = await createRoom(owner);
    expect(await tryOpenSocket(room.id)).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
    expect(await tryOpenSocket(room.id, { token: other.links.viewer })).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden' } },
    });
    expect(await tryOpenSocket(room.id, { token: 'garbage' })).toMatchObject({ status: 401 });
  });
});

describe('request-sync and ping', () => {
  it('request-sync answers room-state with the full view', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const t = await createTimer(room, { label: 'Keynote' });
    await ownerDoes(room, '/message', { text: 'Hi' });
    const viewer = await openSocket(room.id, { token: room.links.viewer });
    viewer.send({ type: 'request-sync' });
    const state = await viewer.next('room-state');
    expect(state).toMatchObject({
      room: { id: room.id },
      timers: [{ id: t.id, label: 'Keynote' }],
      message: { text: 'Hi' },
      viewers: 1,
      controllers: 0,
      version: (await snapshot(room)).version,
      serverTime: expect.any(Number),
    });
    expect(state.links).toBeUndefined();
    viewer.close();
  });

  it('ping answers pong with t0 echoed and the server time', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const ws = await openSocket(room.id, { token: room.links.viewer });
    for (const t0 of [0, 1234.5678, Date.now()]) {
      const before = Date.now();
      ws.send({ type: 'ping', t0 });
      const pong = await ws.next('pong');
      expect(pong).toMatchObject({ t0, version: 0 });
      expect(pong.serverTime).toBeGreaterThanOrEqual(before - 1000);
      expect(pong.serverTime).toBeLessThanOrEqual(Date.now() + 1000);
    }
    ws.close();
  });

  it('every server message carries version and serverTime', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const ws = await openSocket(room.id, { auth: owner.token });
    const t = await createTimer(room);
    await ownerDoes(room, `/timers/${t.id}/start`);
    ws.send({ type: 'ping', t0: 1 });
    ws.send({ type: 'nonsense' });
    await ws.next('pong');
    await ws.next('error');
    await ws.next('timer-update');
    for (const m of ws.log)
      expect(m, m.type).toMatchObject({ version: expect.any(Number), serverTime: expect.any(Number) });
    ws.close();
  });
});

describe('ticks', () => {
  it('a ?ticks=1 socket gets 1 Hz ticks only while a timer runs', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const down = await createTimer(room, { label: 'down', durationMs: 600_000 });
    const ticking = await openSocket(room.id, { token: room.links.viewer, ticks: true });
    const plain = await openSocket(room.id, { token: room.links.viewer });
    // Idle room: nothing to tick, so no tick is scheduled.
    expect(await tickDue(room.id)).toBeNull();

    const started = (await ownerDoes(room, `/timers/${down.id}/start`)).body.timer;
    await driveTick(room.id);
    const tick = await ticking.next('tick', 3000);
    expect(tick).toMatchObject({
      timers: [{ id: down.id, remainingMs: expect.any(Number) }],
      version: expect.any(Number),
      serverTime: expect.any(Number),
    });
    const remaining = tick.timers[0].remainingMs as number;
    expect(remaining).toBeLessThanOrEqual(600_000);
    expect(remaining).toBe(600_000 - (tick.serverTime - started.startedAt));

    await driveTick(room.id);
    const second = await ticking.next('tick', 3000);
    expect(second.serverTime).toBeGreaterThan(tick.serverTime);
    expect(await plain.quiet('tick', 10)).toBe(true);

    const paused = (await ownerDoes(room, `/timers/${down.id}/pause`)).body.timer;
    expect(await tickDue(room.id)).toBeNull();
    // Time passes with the timer paused: whatever the alarm runs, no tick may be taken after the pause.
    await clockAhead(roomStub(room.id), 1200);
    await runDurableObjectAlarm(roomStub(room.id));
    // The pong is sent after anything the alarm sent, so once it is here every tick is in the log.
    ticking.send({ type: 'ping', t0: 1 });
    await ticking.next('pong');
    // A tick already in flight before the pause may land; none may be taken after it.
    expect(ticking.log.filter((m) => m.type === 'tick' && m.serverTime > paused.pausedAt)).toEqual([]);
    ticking.close();
    plain.close();
  });

  it('count-up timers tick elapsedMs; the tick schedule stops once the last ticks socket leaves', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const up = await createTimer(room, { label: 'up', mode: 'countup', durationMs: 0 });
    await ownerDoes(room, `/timers/${up.id}/start`);
    // Connecting with ticks=1 to a running room starts the stream.
    const ticking = await openSocket(room.id, { auth: owner.token, ticks: true });
    await driveTick(room.id);
    const tick = await ticking.next('tick', 3000);
    expect(tick.timers).toEqual([{ id: up.id, elapsedMs: expect.any(Number) }]);
    expect(tick.timers[0].elapsedMs).toBeGreaterThanOrEqual(0);

    ticking.close();
    // The next tick finds no one listening and stops the stream (the real alarm may get there first).
    for (let i = 0; i < 3; i++) {
      if ((await tickDue(room.id)) === null) break;
      await driveTick(room.id);
    }
    expect(await tickDue(room.id)).toBeNull();
  });
});
