import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { UserSession } from '../../../worker/index.ts';
import { call, expectError, signup } from '../../support/workers.ts';
import { clockTo } from '../../support/clock.ts';
import {
  alarmAfter,
  current,
  does,
  durableState,
  openSessionSocket,
  sessionStub,
  setSessionLimit,
} from '../../support/sessions.ts';

describe('auto-stop', () => {
  it('by default a session stops itself 12 hours after it started (SESSION_MAX_MS)', async () => {
    const user = await signup();
    // Idleness off, so the next boundary is the hard cut-off (live-clock.test.ts covers the idle ones).
    const off = await call('/api/sessions/settings', {
      method: 'PUT',
      auth: user.token,
      json: { idleLimitMs: null, autoStopIdleMs: null },
    });
    expect(off.status).toBe(200);
    const started = await does(user, 'start');
    expect(started.autoStopAt).toBe(started.startTime + 43_200_000);
    const stats = await sessionStub(user.user.id).inspect();
    expect(stats).toMatchObject({
      boundary: started.startTime + 43_200_000,
      alarm: expect.any(Number),
      status: 'running',
    });
    // Pausing does not move it: the limit is wall time since the start.
    await does(user, 'pause');
    expect((await sessionStub(user.user.id).inspect()).boundary).toBe(started.startTime + 43_200_000);
    await does(user, 'stop');
    expect((await sessionStub(user.user.id).inspect()).boundary).toBeNull();
  });

  it('the alarm stops a running session at its limit, tells every device, and a repeated alarm changes nothing', async () => {
    const user = await signup();
    const id = user.user.id;
    await setSessionLimit(id, 400);
    const a = await openSessionSocket({ auth: user.token });
    const b = await openSessionSocket({ auth: user.token });
    const started = await does(user, 'start', { label: 'Long one' });
    expect(started.autoStopAt).toBe(started.startTime + 400);
    expect((await sessionStub(id).inspect()).boundary).toBe(started.startTime + 400);

    await alarmAfter(id, started.startTime + 400);

    for (const ws of [a, b]) {
      const stopped = await ws.next('SESSION_STOPPED', 3000);
      expect(stopped).toMatchObject({
        id: started.id,
        status: 'stopped',
        autoStopped: true,
        startTime: started.startTime,
        endTime: started.startTime + 400,
        elapsedTime: 400,
        pausedTime: 0,
        version: 2,
        label: 'Long one',
      });
    }
    const after = await durableState(user);
    expect(after).toMatchObject({
      status: 'idle',
      version: 2,
      last: { id: started.id, autoStopped: true, endTime: started.startTime + 400 },
    });
    // Alarms are at-least-once: running it again must not stop anything twice.
    await runDurableObjectAlarm(sessionStub(id));
    expect(await durableState(user)).toEqual(after);
    expect(await a.quiet('SESSION_STOPPED', 50)).toBe(true);
    expect((await sessionStub(id).inspect()).boundary).toBeNull();
    // The stopped session is in the history, marked.
    const history = await call('/api/sessions', { auth: user.token });
    expect(history.body.sessions[0]).toMatchObject({
      id: started.id,
      autoStopped: true,
      duration: 400,
      elapsedTime: 400,
    });
    a.close();
    b.close();
  });

  it('a paused session is stopped at its limit with its pause closed there', async () => {
    const user = await signup();
    const id = user.user.id;
    await setSessionLimit(id, 300);
    const started = await does(user, 'start');
    const paused = await does(user, 'pause');
    await alarmAfter(id, started.startTime + 300);
    const state = await current(user);
    expect(state.last).toMatchObject({
      autoStopped: true,
      endTime: started.startTime + 300,
      elapsedTime: paused.serverTime - started.startTime,
      pausedTime: started.startTime + 300 - paused.serverTime,
      pauseSegments: [{ pausedAt: paused.serverTime, resumedAt: started.startTime + 300 }],
    });
  });

  it('a session keeps the limit it started with, across eviction', async () => {
    const user = await signup();
    const id = user.user.id;
    await setSessionLimit(id, 500);
    const ws = await openSessionSocket({ auth: user.token });
    const started = await does(user, 'start');
    // The new instance reads SESSION_MAX_MS (12 h) again; the running session still stops at 500 ms.
    await evictDurableObject(sessionStub(id), { webSockets: 'hibernate' });
    await alarmAfter(id, started.startTime + 500);
    expect(await ws.next('SESSION_STOPPED', 3000)).toMatchObject({
      autoStopped: true,
      endTime: started.startTime + 500,
    });
    const next = await does(user, 'start');
    expect(next.autoStopAt).toBe(next.startTime + 43_200_000);
    ws.close();
  });

  it('after the limit, commands meet the stopped session; a new start opens a new one', async () => {
    const user = await signup();
    const id = user.user.id;
    await setSessionLimit(id, 200);
    const ws = await openSessionSocket({ auth: user.token });
    const first = await does(user, 'start');
    await clockTo(sessionStub(id), first.startTime + 250);
    expectError(await call('/api/sessions/pause', { method: 'POST', auth: user.token }), 409, 'no_active_session');
    expect(await ws.next('SESSION_STOPPED', 3000)).toMatchObject({ id: first.id, autoStopped: true, version: 2 });
    const second = await does(user, 'start');
    expect(second).toMatchObject({ version: 3, status: 'running' });
    expect(second.id).not.toBe(first.id);
    ws.close();
  });
});

describe('eviction', () => {
  it('loses nothing mid-session: state, history, idempotency answers and hibernated sockets', async () => {
    const user = await signup();
    const id = user.user.id;
    const stub = sessionStub(id);
    const phone = await openSessionSocket({ auth: user.token });
    const laptop = await openSessionSocket({ auth: user.token });
    phone.send({ type: 'SESSION_START', id: 'm1', label: 'Through eviction' });
    const started = await phone.next('SESSION_STARTED');
    await does(user, 'pause');
    const before = await durableState(user);
    await runInDurableObject(stub, (instance: UserSession) => {
      (instance as unknown as { marker?: string }).marker = 'old instance';
    });

    await evictDurableObject(stub, { webSockets: 'hibernate' });

    // A new instance, rebuilt from storage alone.
    expect(
      await runInDurableObject(stub, (instance: UserSession) => (instance as unknown as { marker?: string }).marker),
    ).toBeUndefined();
    expect(await durableState(user)).toEqual(before);
    expect(await stub.inspect()).toMatchObject({ sockets: 2, status: 'paused', userId: id });
    // The retried message gets its first answer, not a second session.
    phone.send({ type: 'SESSION_START', id: 'm1', label: 'Through eviction' });
    expect(await phone.next('SESSION_STARTED')).toEqual(started);

    await evictDurableObject(stub, { webSockets: 'hibernate' });
    laptop.send({ type: 'SESSION_RESUME', id: 'm2' });
    for (const ws of [phone, laptop])
      expect(await ws.next('SESSION_RESUMED', 3000)).toMatchObject({
        version: 3,
        status: 'running',
        pauseSegments: [{ resumedAt: expect.any(Number) }],
      });

    await evictDurableObject(stub, { webSockets: 'hibernate' });
    phone.send({ type: 'SESSION_STOP', id: 'm3' });
    const stopped = await laptop.next('SESSION_STOPPED', 3000);
    expect(stopped.elapsedTime + stopped.pausedTime).toBe(stopped.endTime - started.startTime);
    await evictDurableObject(stub);
    const history = await call('/api/sessions', { auth: user.token });
    expect(history.body.sessions).toEqual([
      expect.objectContaining({ id: started.id, elapsedTime: stopped.elapsedTime, pausedTime: stopped.pausedTime }),
    ]);
    phone.close();
    laptop.close();
  });
});
