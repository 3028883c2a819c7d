/**
 * The live schedule in the room snapshot (issue 12): GET /api/rooms/:id and the socket's room-state carry
 * `played` and `schedule`, and follow a start, an overrun and a buffer absorbing it; `schedule-update` events
 * carry `played` to clients.
 */
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { KeeptimeObject } from '../../../durable-objects/platform/object.ts';
import { alarmAt, clockTo } from '../../support/clock.ts';
import {
  call,
  createRoom,
  createTimer,
  openSocket,
  ownerDoes,
  roomStub,
  signup,
  snapshot,
} from '../../support/workers.ts';

const SEC = 1_000;

describe('schedule in the snapshot', () => {
  it('reflects the plan, a start, an overrun and a buffer absorbing it, over HTTP and the socket', async () => {
    const room = await createRoom(await signup());
    const stub = roomStub(room.id);
    const t0 = await runInDurableObject(stub, (o: KeeptimeObject) => o.clock.now());
    const plannedStart = t0 + 10 * SEC;
    await ownerDoes(room, '', { plannedStart }, 'PUT');
    const a = await createTimer(room, { label: 'Opening', durationMs: 60 * SEC });
    const b = await createTimer(room, {
      label: 'Buffer',
      durationMs: 120 * SEC,
      buffer: { minDurationMs: 30 * SEC },
      notes: 'Absorbs drift',
    });
    const c = await createTimer(room, { label: 'Closing', durationMs: 60 * SEC });

    // Before the show: the plan follows on from the room's planned start, and nothing is late.
    let snap = await snapshot(room);
    expect(snap.played).toEqual({});
    expect(snap.schedule).toMatchObject({
      plannedStart,
      plannedEnd: plannedStart + 240 * SEC,
      projectedEnd: plannedStart + 240 * SEC,
      overUnderMs: 0,
      liveOverUnderMs: null,
    });
    expect(snap.schedule.cues.map((q: { timerId: string }) => q.timerId)).toEqual([a.id, b.id, c.id]);
    expect(snap.schedule.cues.map((q: { plannedStart: number }) => q.plannedStart)).toEqual([
      plannedStart,
      plannedStart + 60 * SEC,
      plannedStart + 180 * SEC,
    ]);

    // The show starts 5 s late.
    const owner = await openSocket(room.id, { auth: room.owner.token });
    await clockTo(stub, plannedStart + 5 * SEC);
    const started = (await ownerDoes(room, `/timers/${a.id}/start`)).body.timer;
    const update = await owner.next('schedule-update');
    expect(update.played).toEqual({ [a.id]: { actualStart: started.startedAt, actualEnd: null, absorbedMs: 0 } });
    const late = started.startedAt - plannedStart;
    expect(late).toBeGreaterThanOrEqual(5 * SEC);

    // It overruns: 40 s into overtime, the whole show is that much behind, and the buffer would absorb it.
    const overtimeAt = started.startedAt + 100 * SEC;
    await alarmAt(stub, started.startedAt + 60 * SEC);
    await clockTo(stub, overtimeAt);
    snap = await snapshot(room);
    const [qa, qb, qc] = snap.schedule.cues;
    expect(qa).toMatchObject({ actualStart: started.startedAt, actualEnd: null });
    expect(qa.projectedEnd).toBeGreaterThanOrEqual(overtimeAt);
    const behind = qa.projectedEnd - (plannedStart + 60 * SEC);
    expect(snap.schedule.overUnderMs).toBe(behind);
    expect(behind).toBeGreaterThanOrEqual(40 * SEC + late);
    expect(snap.schedule.liveOverUnderMs).toBe(qa.projectedEnd - started.startedAt - 60 * SEC);
    expect(qb).toMatchObject({ projectedStart: qa.projectedEnd, absorbedMs: behind, actualStart: null });
    expect(qc.projectedStart).toBe(plannedStart + 180 * SEC);

    // Moving on: the opening's actual end is recorded, and the buffer shrinks by the delay when it starts.
    await ownerDoes(room, '/next');
    snap = await snapshot(room);
    const movedAt = snap.played[a.id].actualEnd as number;
    expect(movedAt).toBeGreaterThanOrEqual(overtimeAt);
    const absorbed = movedAt - (plannedStart + 60 * SEC);
    expect(snap.played[b.id]).toEqual({ actualStart: movedAt, actualEnd: null, absorbedMs: absorbed });
    expect(snap.timers.find((t: { id: string }) => t.id === b.id).adjustMs).toBe(-absorbed);
    expect(snap.schedule.cues[1]).toMatchObject({ projectedEnd: plannedStart + 180 * SEC, absorbedMs: absorbed });
    expect(snap.schedule.cues[2].projectedStart).toBe(plannedStart + 180 * SEC);
    expect(snap.schedule.overUnderMs).toBe(0);
    expect(snap.schedule.projectedEnd).toBe(plannedStart + 240 * SEC);
    const moved = await owner.next('schedule-update', 2000, (m) => m.played[b.id] !== undefined);
    expect(moved.played).toEqual(snap.played);

    // A new socket's room-state carries the same played and schedule.
    const viewer = await openSocket(room.id, { token: room.links.viewer });
    const state = viewer.log.find((m) => m.type === 'room-state');
    expect(state?.played).toEqual(snap.played);
    expect(state?.schedule.cues[1]).toMatchObject({ actualStart: movedAt, absorbedMs: absorbed });
    expect(state?.schedule.projectedEnd).toBe(plannedStart + 240 * SEC);

    // A reset forgets the cue's record.
    await ownerDoes(room, `/timers/${a.id}/reset`);
    snap = await snapshot(room);
    expect(snap.played[a.id]).toBeUndefined();
    expect(snap.schedule.cues[0]).toMatchObject({ actualStart: null, actualEnd: null });
    owner.close();
    viewer.close();
  });

  it('refuses a buffer whose minimum exceeds the duration, changing nothing', async () => {
    const room = await createRoom(await signup());
    const a = await createTimer(room, { label: 'A', durationMs: 60 * SEC });
    const before = await snapshot(room);
    const r = await call(`/api/rooms/${room.id}/timers/${a.id}`, {
      method: 'PUT',
      json: { buffer: { minDurationMs: 90 * SEC } },
      auth: room.owner.token,
    });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.body.error.code).toEqual(expect.any(String));
    const after = await snapshot(room);
    expect(after.version).toBe(before.version);
    expect(after.timers).toEqual(before.timers);
  });
});
