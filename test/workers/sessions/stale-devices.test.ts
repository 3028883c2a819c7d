/**
 * Stale devices never overwrite newer truth (issue 14): commands queued offline on a phone arrive after the laptop
 * stopped that session and started a new one. They must not touch the new session, and they say what happened.
 */
import { describe, expect, it } from 'vitest';
import { type Session, call, expectError, signup } from '../../support/workers.ts';
import { current, does, openSessionSocket, tryOpenSessionSocket } from '../../support/sessions.ts';

/** The phone's queued command, sent over HTTP with its device name. */
function phone(who: Session, method: string, path: string, json: unknown) {
  return call(path, { method, auth: who.token, json, headers: { 'X-Keeptime-Device': 'phone' } });
}

async function laptopSocket(who: Session) {
  const r = await tryOpenSessionSocket({ auth: who.token, query: { device: 'laptop' } });
  if (!('socket' in r)) throw new Error(`socket refused: ${r.status}`);
  await r.socket.next('SESSION_STATE', 5000);
  return r.socket;
}

describe('late offline commands', () => {
  it('a queued stop, pause, resume and update of a session the laptop stopped leave the new session alone', async () => {
    const user = await signup();
    const laptop = await laptopSocket(user);
    // The phone saw the first session at version 1, then went offline.
    const first = await does(user, 'start', { label: 'Morning' });
    laptop.send({ type: 'SESSION_STOP', id: 'l-stop' });
    const stoppedOnLaptop = await laptop.next('SESSION_STOPPED', 5000);
    expect(stoppedOnLaptop.stoppedBy).toEqual({ device: 'laptop', role: 'user' });
    laptop.send({ type: 'SESSION_START', id: 'l-start', label: 'Afternoon' });
    const second = await laptop.next('SESSION_STARTED', 5000, (m) => m.replyTo === 'l-start');
    const before = await current(user);

    const queued: Array<[string, string, unknown]> = [
      ['POST', '/api/sessions/stop', { sessionId: first.id, baseVersion: first.version }],
      ['POST', '/api/sessions/pause', { sessionId: first.id, baseVersion: first.version }],
      ['POST', '/api/sessions/resume', { sessionId: first.id }],
      ['PUT', '/api/sessions/current', { sessionId: first.id, baseVersion: first.version, label: 'Renamed' }],
    ];
    for (const [method, path, json] of queued) {
      const a = await phone(user, method, path, json);
      expectError(a, 409, 'stale_session');
      expect(a.body.error.details, path).toMatchObject({
        current: { type: 'SESSION_STATE', id: second.id, status: 'running', label: 'Afternoon' },
        target: {
          id: first.id,
          status: 'stopped',
          endTime: stoppedOnLaptop.endTime,
          stopReason: 'user',
          stoppedBy: { device: 'laptop', role: 'user' },
        },
      });
    }
    // Nothing changed, and no device heard anything.
    const after = await current(user);
    expect({ ...after, serverTime: 0, elapsedTime: 0 }).toEqual({ ...before, serverTime: 0, elapsedTime: 0 });
    expect(await laptop.quiet('SESSION_STOPPED', 50)).toBe(true);
    expect(await laptop.quiet('SESSION_PAUSED', 0)).toBe(true);
    laptop.close();
  });

  it('on the socket a stale command gets an error with the same details', async () => {
    const user = await signup();
    const first = await does(user, 'start');
    await does(user, 'stop');
    const second = await does(user, 'start');
    const ws = await openSessionSocket({ auth: user.token });
    ws.send({ type: 'SESSION_PAUSE', id: 'queued-1', sessionId: first.id, baseVersion: first.version });
    const err = await ws.next('error', 5000);
    expect(err).toMatchObject({
      id: 'queued-1',
      code: 'stale_session',
      details: { current: { id: second.id, status: 'running' }, target: { id: first.id, status: 'stopped' } },
    });
    expect((await current(user)).status).toBe('running');
    ws.close();
  });

  it('a command made against an older version of the same session is refused (stop still goes through)', async () => {
    const user = await signup();
    const started = await does(user, 'start');
    await does(user, 'pause');
    const resumed = await does(user, 'resume');
    // The phone's pause was made at version 1; the laptop has since paused and resumed.
    const late = await phone(user, 'POST', '/api/sessions/pause', {
      sessionId: started.id,
      baseVersion: started.version,
    });
    expectError(late, 409, 'stale_version');
    expect(late.body.error.details.current).toMatchObject({ version: resumed.version, status: 'running' });
    const rename = await phone(user, 'PUT', '/api/sessions/current', { baseVersion: started.version, label: 'x' });
    expectError(rename, 409, 'stale_version');
    expect((await current(user)).label).toBeNull();
    // A stop names the right session: it is honoured, and says which device stopped it.
    const stop = await phone(user, 'POST', '/api/sessions/stop', {
      sessionId: started.id,
      baseVersion: started.version,
    });
    expect(stop.status, JSON.stringify(stop.body)).toBe(200);
    expect(stop.body).toMatchObject({
      id: started.id,
      status: 'stopped',
      stoppedBy: { device: 'phone', role: 'user' },
    });
    // Replayed from the queue again: refused, never applied twice.
    const again = await phone(user, 'POST', '/api/sessions/stop', { sessionId: started.id });
    expectError(again, 409, 'stale_session');
    expect(again.body.error.details.target).toMatchObject({ id: started.id, stoppedBy: { device: 'phone' } });
  });

  it('an unknown session id is stale too, and says so', async () => {
    const user = await signup();
    await does(user, 'start');
    const a = await phone(user, 'POST', '/api/sessions/stop', { sessionId: 'never-was' });
    expectError(a, 409, 'stale_session');
    expect(a.body.error.details.target).toEqual({
      id: 'never-was',
      status: 'unknown',
      endTime: null,
      stopReason: null,
      stoppedBy: null,
    });
    expect((await current(user)).status).toBe('running');
  });
});
