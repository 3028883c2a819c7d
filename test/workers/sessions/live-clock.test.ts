/**
 * The live clock (issue 14) inside workerd: the idle prompt across three sockets answered on one, the idle auto-stop
 * by alarm at the last activity, focus phase changes on the alarm, idle settings, and what activity costs (wake-ups).
 */
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { type Session, call, expectError, signup } from '../../support/workers.ts';
import { clockTo } from '../../support/clock.ts';
import { alarmAfter, current, does, openSessionSocket, sessionStub } from '../../support/sessions.ts';

const MIN = 60_000;

async function settings(who: Session, json: unknown) {
  return call('/api/sessions/settings', { method: 'PUT', auth: who.token, json });
}
async function setIdle(who: Session, idleLimitMs: number | null, autoStopIdleMs: number | null) {
  const a = await settings(who, { idleLimitMs, autoStopIdleMs });
  expect(a.status, JSON.stringify(a.body)).toBe(200);
}

describe('"Still working?"', () => {
  it('prompts every socket at the idle limit; an answer on one clears it on all three', async () => {
    const user = await signup();
    const id = user.user.id;
    await setIdle(user, MIN, 60 * MIN);
    const a = await openSessionSocket({ auth: user.token });
    const b = await openSessionSocket({ auth: user.token });
    const c = await openSessionSocket({ auth: user.token });
    const started = await does(user, 'start', { label: 'Deep work' });
    expect(started).toMatchObject({ lastActivityAt: started.startTime, idleSince: null, tags: [], focus: null });
    expect((await sessionStub(id).inspect()).boundary).toBe(started.startTime + MIN);

    await alarmAfter(id, started.startTime + MIN);
    for (const ws of [a, b, c]) {
      const idle = await ws.next('SESSION_IDLE', 5000);
      expect(idle).toMatchObject({ id: started.id, idleSince: started.startTime, cause: 'idle', status: 'running' });
      expect(idle.idleAutoStopAt).toBe(started.startTime + 60 * MIN);
    }

    a.send({ type: 'SESSION_IDLE_ANSWER', id: 'answer-1', choice: 'discard' });
    const mine = await a.next('SESSION_IDLE_CLEARED', 5000);
    expect(mine).toMatchObject({ replyTo: 'answer-1', choice: 'discard', idleSince: null, status: 'running' });
    for (const ws of [b, c])
      expect(await ws.next('SESSION_IDLE_CLEARED', 5000)).toMatchObject({ choice: 'discard', idleSince: null });
    // The idle span became a pause from the last activity; the session runs on from the answer.
    expect(mine.pauseSegments).toEqual([{ pausedAt: started.startTime, resumedAt: mine.resumedAt, kind: 'idle' }]);
    expect(mine.accumulatedMs).toBe(0);
    // Answering twice is refused (the prompt is gone).
    expectError(await call('/api/sessions/idle', { auth: user.token, json: { choice: 'keep' } }), 409, 'not_idle');
    for (const ws of [a, b, c]) ws.close();
  });

  it('with no answer the alarm stops the session at the last activity, and history says so', async () => {
    const user = await signup();
    const id = user.user.id;
    await setIdle(user, MIN, 2 * MIN);
    const ws = await openSessionSocket({ auth: user.token });
    const started = await does(user, 'start');
    await clockTo(sessionStub(id), started.startTime + 20_000);
    const seen = await call('/api/sessions/activity', { auth: user.token, json: {} });
    expect(seen.status, JSON.stringify(seen.body)).toBe(200);
    const last = seen.body.lastActivityAt as number;
    expect(last).toBeGreaterThanOrEqual(started.startTime + 20_000);
    // Activity sends nothing to the sockets; it only moves the alarm.
    expect(await ws.quiet('SESSION_IDLE', 50)).toBe(true);
    expect((await sessionStub(id).inspect()).boundary).toBe(last + MIN);

    await alarmAfter(id, last + MIN);
    expect(await ws.next('SESSION_IDLE', 5000)).toMatchObject({ idleSince: last, idleAutoStopAt: last + 2 * MIN });
    await alarmAfter(id, last + 2 * MIN);
    const stopped = await ws.next('SESSION_STOPPED', 5000);
    expect(stopped).toMatchObject({
      id: started.id,
      endTime: last,
      autoStopped: true,
      stopReason: 'idle',
      stoppedBy: { device: null, role: 'system' },
      idleSince: null,
    });
    expect(stopped.elapsedTime + stopped.pausedTime).toBe(last - started.startTime);
    expect((await current(user)).last).toMatchObject({ id: started.id, stopReason: 'idle', endTime: last });
    const history = await call('/api/sessions', { auth: user.token });
    expect(history.body.sessions[0]).toMatchObject({
      id: started.id,
      autoStopped: true,
      endTime: last,
      stopReason: 'idle',
    });
    // Alarms are at-least-once: again changes nothing.
    await runDurableObjectAlarm(sessionStub(id));
    expect(await ws.quiet('SESSION_STOPPED', 50)).toBe(true);
    ws.close();
  });
});

describe('focus cycles', () => {
  it('phase changes run on the alarm at their exact instants, as pauses', async () => {
    const user = await signup();
    const id = user.user.id;
    await setIdle(user, null, null);
    const ws = await openSessionSocket({ auth: user.token });
    const focus = { focusMs: MIN, breakMs: MIN, longBreakMs: 2 * MIN, every: 2 };
    const started = await does(user, 'start', { focus });
    const t0 = started.startTime as number;
    expect(started.focus).toEqual({
      phase: 'focus',
      phaseEndsAt: t0 + MIN,
      remainingMs: null,
      cycle: 0,
      config: focus,
    });
    expect((await sessionStub(id).inspect()).boundary).toBe(t0 + MIN);

    await alarmAfter(id, t0 + MIN);
    const brk = await ws.next('SESSION_PAUSED', 5000);
    expect(brk).toMatchObject({
      cause: 'focus',
      status: 'paused',
      focus: { phase: 'break', phaseEndsAt: t0 + 2 * MIN },
    });
    expect(brk.pauseSegments).toEqual([{ pausedAt: t0 + MIN, resumedAt: null, kind: 'focus' }]);
    await alarmAfter(id, t0 + 2 * MIN);
    expect(await ws.next('SESSION_RESUMED', 5000)).toMatchObject({
      cause: 'focus',
      resumedAt: t0 + 2 * MIN,
      focus: { phase: 'focus', phaseEndsAt: t0 + 3 * MIN, cycle: 1 },
    });
    // A late alarm still puts each change at its own instant: the long break starts at 3 min, ends at 5.
    await alarmAfter(id, t0 + 5 * MIN + 30_000);
    const late = [await ws.next('SESSION_PAUSED', 5000), await ws.next('SESSION_RESUMED', 5000)];
    expect(late.map((m) => m.focus.phase)).toEqual(['long-break', 'focus']);
    expect(late[1]?.pauseSegments.at(-1)).toEqual({ pausedAt: t0 + 3 * MIN, resumedAt: t0 + 5 * MIN, kind: 'focus' });
    const stopped = await does(user, 'stop');
    expect(stopped.elapsedTime + stopped.pausedTime).toBe(stopped.endTime - t0);
    expect(stopped.pausedTime).toBe(3 * MIN);
    ws.close();
  });
});

describe('settings and bad input', () => {
  it('settings default to 30 min / 2 h, take null for off, and refuse what is out of bounds', async () => {
    const user = await signup();
    const get = await call('/api/sessions/settings', { auth: user.token });
    expect(get.body).toEqual({ idleLimitMs: 30 * MIN, autoStopIdleMs: 120 * MIN });
    const ok = await settings(user, { idleLimitMs: null });
    expect(ok.body).toEqual({ idleLimitMs: null, autoStopIdleMs: 120 * MIN });
    for (const bad of [
      { idleLimitMs: 5 },
      { idleLimitMs: 'soon' },
      { idleLimitMs: 13 * 60 * MIN },
      { idleLimitMs: 2 * MIN, autoStopIdleMs: MIN },
      { idleLimitMs: 1.5 },
      {},
      { idleLimitMs: MIN, extra: 1 },
    ])
      expectError(await settings(user, bad), 400, 'validation_failed');
    expectError(
      await call('/api/sessions/settings', {
        method: 'PUT',
        auth: user.token,
        raw: '{',
        headers: { 'Content-Type': 'application/json' },
      }),
      400,
    );
    // Nothing changed.
    expect((await call('/api/sessions/settings', { auth: user.token })).body).toEqual(ok.body);
    expectError(await call('/api/sessions/settings'), 401);
  });

  it('a shorter idle limit that is already due prompts at once, on every socket', async () => {
    const user = await signup();
    const ws = await openSessionSocket({ auth: user.token });
    const started = await does(user, 'start');
    await clockTo(sessionStub(user.user.id), started.startTime + 10 * MIN);
    await setIdle(user, MIN, 60 * MIN);
    expect(await ws.next('SESSION_IDLE', 5000)).toMatchObject({ idleSince: started.startTime, cause: 'idle' });
    expect((await current(user)).idleSince).toBe(started.startTime);
    ws.close();
  });

  it('commands refuse bad bodies with 4xx and change nothing', async () => {
    const user = await signup();
    const bad: Array<[string, string, unknown]> = [
      ['POST', '/api/sessions/start', { focus: { focusMs: 10 } }],
      ['POST', '/api/sessions/start', { focus: { every: 0 } }],
      ['POST', '/api/sessions/start', { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }],
      ['POST', '/api/sessions/start', { tags: ['x'.repeat(41)] }],
      ['POST', '/api/sessions/start', { projectId: '' }],
      ['POST', '/api/sessions/start', { label: 'x', colour: 'red' }],
      ['POST', '/api/sessions/activity', { at: 'yesterday' }],
      ['POST', '/api/sessions/activity', { at: 1_700_000_000 }],
      ['POST', '/api/sessions/idle', { choice: 'maybe' }],
      ['POST', '/api/sessions/idle', {}],
      ['POST', '/api/sessions/pause', { sessionId: 5 }],
      ['POST', '/api/sessions/stop', { baseVersion: -1 }],
      ['PUT', '/api/sessions/current', {}],
      ['PUT', '/api/sessions/current', { tags: 'a,b' }],
    ];
    for (const [method, path, json] of bad) {
      const a = await call(path, { method, auth: user.token, json });
      expect(a.status, `${method} ${path} ${JSON.stringify(json)} → ${JSON.stringify(a.body)}`).toBe(400);
    }
    expect((await current(user)).status).toBe('idle');
    expectError(
      await call('/api/sessions/current', { method: 'PUT', auth: user.token, json: { label: 'x' } }),
      409,
      'no_active_session',
    );
    expectError(
      await call('/api/sessions/idle', { auth: user.token, json: { choice: 'keep' } }),
      409,
      'no_active_session',
    );
    const quiet = await call('/api/sessions/activity', { method: 'POST', auth: user.token });
    expect(quiet.body).toMatchObject({ lastActivityAt: null, idleSince: null });
  });

  it('start and update carry project, task and tags (trimmed, deduplicated) into every message and history', async () => {
    const user = await signup();
    const p1 = (await call('/api/projects', { auth: user.token, json: { name: 'Dairy' } })).body.project.id;
    const t1 = (await call(`/api/projects/${p1}/tasks`, { auth: user.token, json: { title: 'Invoices' } })).body.task
      .id;
    // Ids must name the user's own project and task.
    expectError(
      await call('/api/sessions/start', { auth: user.token, json: { projectId: 'nope' } }),
      404,
      'project_not_found',
    );
    expectError(
      await call('/api/sessions/start', { auth: user.token, json: { taskId: 'nope' } }),
      404,
      'task_not_found',
    );
    const ws = await openSessionSocket({ auth: user.token });
    const started = await does(user, 'start', { projectId: p1, tags: [' Client A ', 'client a', 'billable'] });
    expect(started).toMatchObject({ projectId: p1, taskId: null, tags: ['Client A', 'billable'] });
    const upd = await call('/api/sessions/current', {
      method: 'PUT',
      auth: user.token,
      json: { taskId: t1, label: 'Invoices', baseVersion: started.version },
    });
    expect(upd.status, JSON.stringify(upd.body)).toBe(200);
    expect(upd.body).toMatchObject({ type: 'SESSION_UPDATED', label: 'Invoices', projectId: p1, taskId: t1 });
    expect(await ws.next('SESSION_UPDATED', 5000)).toMatchObject({ taskId: t1, version: started.version + 1 });
    ws.send({ type: 'SESSION_UPDATE', id: 'u2', tags: [] });
    expect(await ws.next('SESSION_UPDATED', 5000)).toMatchObject({ replyTo: 'u2', tags: [] });
    const stopped = await does(user, 'stop');
    expect(stopped).toMatchObject({ label: 'Invoices', projectId: p1, taskId: t1, tags: [], stopReason: 'user' });
    // History carries them too.
    const history = await call('/api/sessions', { auth: user.token });
    expect(history.body.sessions[0]).toMatchObject({ id: started.id, projectId: p1, taskId: t1, stopReason: 'user' });
    ws.close();
  });
});

describe('wake-ups', () => {
  /**
   * The figure the issue asks for: over a simulated hour of a running session, with activity reported on, count the
   * alarms that fire and the messages sockets receive. Reported with `console.info` for the closing note.
   */
  it('an idle running session with activity reporting on: no messages and no alarms while active; one of each per idle period', async () => {
    const user = await signup();
    const id = user.user.id;
    const stub = sessionStub(id);
    const sockets = await Promise.all([1, 2].map(() => openSessionSocket({ auth: user.token })));
    const started = await does(user, 'start');
    const t0 = started.startTime as number;
    // Let the start's own follow-ups (outbox drain, ops report) run first: they are not the idle session's.
    let now = await clockTo(stub, t0 + 30_000);
    /** Runs the alarm while it is due; counts each run, and the schedule rows each ran, by kind. */
    const kinds: Record<string, number> = {};
    const runDue = async (): Promise<number> => {
      let fired = 0;
      for (let i = 0; i < 5; i++) {
        const alarm = (await stub.inspect()).alarm;
        if (alarm === null || alarm > now) break;
        const due = await runInDurableObject(stub, (_i, state) =>
          state.storage.sql
            .exec<{ kind: string }>(`SELECT kind FROM schedule WHERE due <= ?`, now)
            .toArray()
            .map((r) => r.kind),
        );
        if (await runDurableObjectAlarm(stub)) {
          fired++;
          for (const k of due) kinds[k] = (kinds[k] ?? 0) + 1;
        }
      }
      return fired;
    };
    await runDue();
    // The drain schedules its Ops report a moment later: let that run too.
    now = await clockTo(stub, t0 + 40_000);
    await runDue();
    for (const k of Object.keys(kinds)) delete kinds[k];
    const before = sockets.map((s) => s.log.length);

    // Hour 1: the user is active; a page reports once a minute (half over HTTP, half on a socket).
    let alarms = 0;
    for (let m = 1; m <= 60; m++) {
      now = await clockTo(stub, t0 + 30_000 + m * MIN);
      if (m % 2) await call('/api/sessions/activity', { auth: user.token, json: {} });
      else sockets[0]?.send({ type: 'ACTIVITY' });
      alarms += await runDue();
    }
    // Let the last socket report land.
    sockets[0]?.send({ type: 'ping', t0: 1 });
    await sockets[0]?.next('pong', 5000);
    const activeMessages = sockets.map((s, i) => s.log.length - (before[i] as number) - (i === 0 ? 1 : 0));
    expect(activeMessages).toEqual([0, 0]);
    // The session's own boundary never fired: activity only moved it. (A platform row, such as an outbox retry of
    // the start's mirror rows while no Postgres answers, may wake the object; it is counted in the figure.)
    const activeKinds = { ...kinds };
    expect(activeKinds).toEqual({});
    expect(alarms).toBe(0);
    for (const k of Object.keys(kinds)) delete kinds[k];
    const lastActivity = (await current(user)).lastActivityAt as number;

    // Hours 2 and 3: the user walks away; nobody reports.
    const quietFrom = sockets.map((s) => s.log.length);
    let idleAlarms = 0;
    for (let m = 1; m <= 120; m++) {
      now = await clockTo(stub, lastActivity + m * MIN);
      idleAlarms += await runDue();
    }
    const idleMessages = sockets.map((s, i) => s.log.slice(quietFrom[i]).map((x) => x.type));
    for (const types of idleMessages) expect(types).toEqual(['SESSION_IDLE', 'SESSION_STOPPED']);
    // The prompt's alarm, the auto-stop's alarm, and the stop's mirror follow-ups (outbox drain, ops report).
    const stopped = (await current(user)).last;
    expect(stopped).toMatchObject({ stopReason: 'idle', endTime: lastActivity });
    console.info(
      JSON.stringify({
        figure: 'wake-ups of a running session with activity reporting on, per simulated hour',
        activeHour: {
          activityReportsIn: 60,
          alarmsFired: alarms,
          rowsRun: activeKinds,
          messagesOutPerSocket: activeMessages[0],
        },
        idleTwoHours: { alarmsFired: idleAlarms, rowsRun: kinds, messagesOutPerSocket: idleMessages[0]?.length },
      }),
    );
    // The prompt and the auto-stop: one boundary alarm each.
    expect(kinds.boundary).toBe(2);
    for (const s of sockets) s.close();
  });
});
