import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { MAX_ALARM_AHEAD_MS } from '../../../durable-objects/platform/schedule.ts';
import type { TimerRoom } from '../../../worker/index.ts';
import {
  call,
  createRoom,
  createTimer,
  durableView,
  openSocket,
  ownerDoes,
  roomStub,
  signup,
  snapshot,
} from '../../support/workers.ts';
import { alarmAt, clockAhead } from '../../support/clock.ts';

/** Moves the room's clock to `instant`, then runs its alarm (the real alarm may have beaten us to it). */
const alarmAfter = (roomId: string, instant: number) => alarmAt(roomStub(roomId), instant);

describe('alarms', () => {
  it('finish a timer, then auto-start the linked one at the exact finish instant', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    // Long enough that the real alarm cannot fire before the schedule is inspected, even on a loaded machine.
    const first = await createTimer(room, { label: 'Intro', durationMs: 400 });
    const second = await createTimer(room, { label: 'Talk', durationMs: 600_000, trigger: 'linked' });
    const viewer = await openSocket(room.id, { token: room.links.viewer });
    const controller = await openSocket(room.id, { token: room.links.controller });

    const started = (await ownerDoes(room, `/timers/${first.id}/start`)).body.timer;
    const finishAt = started.startedAt + 400;
    // The boundary schedule points at the finish, the next real boundary (the single alarm is the earliest schedule row).
    expect((await roomStub(room.id).stats()).boundary).toBe(finishAt);

    await alarmAfter(room.id, finishAt);

    const snap = await snapshot(room);
    const [a, b] = snap.timers;
    expect(a).toMatchObject({ id: first.id, state: 'finished', finishedAt: finishAt, startedAt: null });
    expect(b).toMatchObject({ id: second.id, state: 'running', startedAt: finishAt, accumulatedMs: 0 });
    expect(snap.room.activeTimerId).toBe(second.id);

    for (const ws of [viewer, controller]) {
      const finished = await ws.next('timer-finished');
      expect(finished).toMatchObject({
        timerId: first.id,
        finishedAt: finishAt,
        version: snap.version,
        serverTime: expect.any(Number),
      });
      const update = await ws.next('timer-update', 2000, (m) => m.timer.id === second.id);
      expect(update.timer).toMatchObject({ state: 'running', startedAt: finishAt });
      expect(update.version).toBe(snap.version);
    }
    // The linked timer's warning threshold (the room default, 60 s before its end) is now the next boundary.
    expect((await roomStub(room.id).stats()).boundary).toBe(finishAt + 600_000 - 60_000);
    viewer.close();
    controller.close();
  });

  it('a finished timer with nothing linked counts into overtime; a repeated alarm changes nothing', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const t = await createTimer(room, { durationMs: 30 });
    const ws = await openSocket(room.id, { auth: owner.token });
    const started = (await ownerDoes(room, `/timers/${t.id}/start`)).body.timer;
    await alarmAfter(room.id, started.startedAt + 30);

    const finished = await ws.next('timer-finished');
    expect(finished).toMatchObject({ timerId: t.id, finishedAt: started.startedAt + 30 });
    const view = await durableView(room);
    expect(view.timers).toMatchObject([
      { id: t.id, state: 'finished', startedAt: started.startedAt, finishedAt: started.startedAt + 30 },
    ]);
    expect((await snapshot(room)).display[0].displayMs).toBeLessThanOrEqual(0);

    // Alarms are at-least-once: running it again must not finish the timer twice.
    await runDurableObjectAlarm(roomStub(room.id));
    expect(await durableView(room)).toEqual(view);
    expect(await ws.quiet('timer-finished', 50)).toBe(true);
    ws.close();
  });

  it('a scheduled timer starts itself at startAt', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const ws = await openSocket(room.id, { token: room.links.viewer });
    const startAt = Date.now() + 400;
    const t = await createTimer(room, { durationMs: 600_000, trigger: 'scheduled', startAt });
    expect((await roomStub(room.id).stats()).boundary).toBe(startAt);
    await alarmAfter(room.id, startAt);
    const update = await ws.next('timer-update', 2000, (m) => m.timer.id === t.id && m.timer.state === 'running');
    expect(update.timer.startedAt).toBe(startAt);
    ws.close();
  });

  it('a start centuries away keeps its row; the alarm is capped, wakes early, runs nothing and re-arms', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const startAt = Date.UTC(3000, 0, 1); // the runtime refuses alarms after 2189
    const t = await createTimer(room, { durationMs: 600_000, trigger: 'scheduled', startAt });
    expect((await roomStub(room.id).stats()).boundary).toBe(startAt);
    const alarmAt = await runInDurableObject(roomStub(room.id), (_o: TimerRoom, state) => state.storage.getAlarm());
    expect(alarmAt).not.toBeNull();
    expect(alarmAt as number).toBeLessThanOrEqual(Date.now() + MAX_ALARM_AHEAD_MS);
    await runDurableObjectAlarm(roomStub(room.id));
    const snap = await snapshot(room);
    expect(snap.timers.find((x: { id: string }) => x.id === t.id)).toMatchObject({ state: 'idle' });
    expect((await roomStub(room.id).stats()).boundary).toBe(startAt);
  });
});

describe('eviction', () => {
  it('state survives eviction, and hibernated sockets still get the finish broadcast', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const t = await createTimer(room, { durationMs: 600_000 });
    const viewer = await openSocket(room.id, { token: room.links.viewer });
    const controller = await openSocket(room.id, { token: room.links.controller });
    await ownerDoes(room, `/timers/${t.id}/start`);
    const before = await durableView(room);
    const stub = roomStub(room.id);
    await runInDurableObject(stub, (instance: TimerRoom) => {
      (instance as unknown as { marker?: string }).marker = 'old instance';
    });

    await evictDurableObject(stub, { webSockets: 'hibernate' });

    // A new instance, rebuilt from storage alone.
    expect(
      await runInDurableObject(stub, (instance: TimerRoom) => (instance as unknown as { marker?: string }).marker),
    ).toBeUndefined();
    expect(await durableView(room)).toEqual(before);
    expect((await call(`/api/rooms/${room.links.viewer}`)).status).toBe(200);
    expect(await stub.stats()).toMatchObject({ sockets: 2, running: true, alarm: expect.any(Number) });

    // Bring the finish close (one more version), then let the object hibernate again before it.
    const running = (await snapshot(room)).timers[0];
    const delta = Date.now() + 500 - (running.startedAt + running.durationMs - running.accumulatedMs);
    const adjusted = (await ownerDoes(room, `/timers/${t.id}/adjust`, { deltaMs: delta })).body.timer;
    expect(adjusted.state).toBe('running');
    const finishAt = adjusted.startedAt + adjusted.durationMs + adjusted.adjustMs - adjusted.accumulatedMs;
    await evictDurableObject(stub, { webSockets: 'hibernate' });
    await alarmAfter(room.id, finishAt);

    for (const ws of [viewer, controller]) {
      expect(await ws.next('timer-finished', 3000)).toMatchObject({
        timerId: t.id,
        finishedAt: finishAt,
        version: before.version + 2,
      });
    }
    // The sockets' roles came back from their attachments: the viewer still cannot command, the controller can.
    viewer.send({ type: 'command', id: 'v1', command: { type: 'reset', timerId: t.id } });
    expect(await viewer.next('error')).toMatchObject({ id: 'v1', code: 'forbidden' });
    await evictDurableObject(stub, { webSockets: 'hibernate' });
    controller.send({ type: 'command', id: 'c1', command: { type: 'reset', timerId: t.id } });
    expect(await controller.next('ack')).toMatchObject({ id: 'c1', version: before.version + 3 });
    expect(await viewer.next('timer-update', 2000, (m) => m.timer.state === 'idle')).toMatchObject({
      timer: { id: t.id },
      version: before.version + 3,
    });
    viewer.close();
    controller.close();
  });

  it('a paused timer stays paused across eviction, with no alarm left behind', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const t = await createTimer(room, { durationMs: 100 });
    await ownerDoes(room, `/timers/${t.id}/start`);
    await ownerDoes(room, `/timers/${t.id}/pause`);
    const before = await durableView(room);
    const stub = roomStub(room.id);
    expect(await stub.stats()).toMatchObject({ boundary: null, tick: null });
    await evictDurableObject(stub);
    await clockAhead(stub, 120);
    await runDurableObjectAlarm(stub);
    expect(await durableView(room)).toEqual(before);
    const resumed = (await ownerDoes(room, `/timers/${t.id}/resume`)).body.timer;
    expect(resumed).toMatchObject({
      state: 'running',
      accumulatedMs: (before.timers as { accumulatedMs: number }[])[0]!.accumulatedMs,
    });
  });
});
