/**
 * Input that clients migrating from the original apps send: ISO-8601 instants (and epoch seconds, refused by
 * name), rack claims naming the floor by its display name, and query strings with empty or unknown parameters.
 */
import { describe, expect, it } from 'vitest';
import { recordOutbox } from '../../support/journal.ts';
import { freshRack, rackStub, record } from '../../support/racks.ts';
import { call, createRoom, createTimer, expectError, openSocket, signup, snapshot } from '../../support/workers.ts';

const SECONDS = /looks like epoch seconds; send milliseconds \(×1000\) or an ISO-8601 string/;

describe('instants', () => {
  it('a room timer takes its scheduled start and time-of-day target as ISO-8601 strings, over HTTP and the socket', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const startIso = new Date(Date.UTC(2099, 0, 2, 9, 30)).toISOString();
    const scheduled = await createTimer(room, { trigger: 'scheduled', startAt: startIso });
    expect(scheduled.startAt).toBe(Date.UTC(2099, 0, 2, 9, 30));
    const target = await createTimer(room, {
      mode: 'time-of-day',
      durationMs: 0,
      targetTime: '2099-01-02T10:00:00+01:00',
    });
    expect(target.targetTime).toBe(Date.UTC(2099, 0, 2, 9, 0));

    const ws = await openSocket(room.id, { auth: owner.token });
    ws.send({
      type: 'command',
      id: crypto.randomUUID(),
      command: { type: 'update-timer', timerId: scheduled.id, patch: { startAt: '2099-01-03T00:00:00Z' } },
    });
    await ws.next('ack');
    ws.close();
    const timers = (await snapshot(room)).timers as Array<{ id: string; startAt: number | null }>;
    expect(timers.find((t) => t.id === scheduled.id)?.startAt).toBe(Date.UTC(2099, 0, 3));
  });

  it('epoch seconds are refused with validation_failed naming the unit, and change nothing', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const before = await snapshot(room);
    const seconds = Math.floor(Date.UTC(2099, 0, 1) / 1000);
    const refused = await call(`/api/rooms/${room.id}/timers`, {
      auth: owner.token,
      json: { label: 'x', durationMs: 1000, trigger: 'scheduled', startAt: seconds },
    });
    expectError(refused, 400, 'validation_failed');
    expect(refused.body.error.message).toMatch(SECONDS);
    expect(refused.body.error.details).toEqual([{ path: 'startAt', message: expect.stringMatching(SECONDS) }]);
    for (const bad of ['2099-01-01T00:00:00', 'tomorrow', '2099-02-30T00:00:00Z'])
      expectError(
        await call(`/api/rooms/${room.id}/timers`, {
          auth: owner.token,
          json: { label: 'x', durationMs: 1000, trigger: 'scheduled', startAt: bad },
        }),
        400,
        'validation_failed',
      );
    expect((await snapshot(room)).version).toBe(before.version);
  });

  it('a rack batch with ISO created_at (as the original rack app sends) is accepted and stored as epoch ms', async () => {
    await freshRack('G12');
    const user = await signup();
    const claim = await call('/api/racks/G12/claim', { auth: user.token, json: { floor: 'ground' } });
    expect(claim.status, JSON.stringify(claim.body)).toBe(200);
    const journal = await recordOutbox(rackStub('G12'));
    const at = new Date(Date.now() - 60_000);
    const scan = record({ item_code: 'G12-ISO', created_at: at.toISOString(), updated_at: at.toISOString() });
    const lease = { session_id: claim.body.session_id, fencing_token: claim.body.fencing_token };
    const sync = await call('/api/sync/batch', { auth: user.token, json: { ...lease, records: [scan] } });
    expect(sync.status, JSON.stringify(sync.body)).toBe(200);
    expect(sync.body.accepted).toEqual([scan.client_record_id]);
    const written = JSON.stringify(await journal());
    expect(written).toContain(String(at.getTime()));
    expect(written).not.toContain(at.toISOString());

    const stale = record({ item_code: 'G12-SECONDS', created_at: Math.floor(Date.now() / 1000) });
    const refused = await call('/api/sync/batch', { auth: user.token, json: { ...lease, records: [stale] } });
    expectError(refused, 400, 'validation_failed');
    expect(refused.body.error.message).toMatch(SECONDS);
    await rackStub('G12').forceRelease('G12', 'test done', 'test');
  });
});

describe('rack claims by floor name', () => {
  it('{"floor":"Ground"} (any case) resolves to the floor id; an unknown name is refused as before', async () => {
    await freshRack('G12');
    const user = await signup();
    const byName = await call('/api/racks/G12/claim', { auth: user.token, json: { floor: 'Ground' } });
    expect(byName.status, JSON.stringify(byName.body)).toBe(200);
    expect(byName.body).toMatchObject({ rack_id: 'G12', floor: 'ground' });
    // The same user's re-claim is idempotent, whichever way the floor is named.
    const again = await call('/api/racks/G12/claim', { auth: user.token, json: { floor: ' gROUND ' } });
    expect(again.body).toEqual(byName.body);
    expectError(
      await call('/api/racks/G12/claim', { auth: user.token, json: { floor: 'First' } }),
      404,
      'rack_not_found',
    );
    expectError(
      await call('/api/racks/G12/claim', { auth: user.token, json: { floor: 'Basement' } }),
      404,
      'rack_not_found',
    );
    expectError(
      await call('/api/racks/G12/claim', { auth: user.token, json: { floor: '' } }),
      400,
      'validation_failed',
    );
    await rackStub('G12').forceRelease('G12', 'test done', 'test');
  });
});

describe('query strings', () => {
  it('empty parameters mean "not given" and unknown ones (cache-busters) are ignored', async () => {
    const user = await signup();
    const list = await call('/api/sessions?userId=&limit=&cursor=&_=1712345678901', { auth: user.token });
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(list.body).toMatchObject({ userId: user.user.id, sessions: [] });
    const stats = await call('/api/sessions/stats?days=&tzOffset=&userId=&nocache=1', { auth: user.token });
    expect(stats.status, JSON.stringify(stats.body)).toBe(200);
    expect(stats.body).toMatchObject({ userId: user.user.id, days: 7 });
    expect((await call('/api/sessions/current?_=1', { auth: user.token })).status).toBe(200);
    expect((await call('/api/sessions/export.csv?_=1&userId=', { auth: user.token })).status).toBe(200);
    expect((await call('/api/racks/available?floor=ground&_=1', { auth: user.token })).status).toBe(200);

    const owner = await signup();
    const room = await createRoom(owner);
    const history = await call(`/api/rooms/${room.id}/history?limit=&_=123`, { auth: owner.token });
    expect(history.status, JSON.stringify(history.body)).toBe(200);
  });

  it('a given parameter is still validated', async () => {
    const user = await signup();
    for (const q of ['limit=0', 'limit=abc', 'cursor=!!', 'days=0'])
      expectError(
        await call(`/api/sessions${q.startsWith('days') ? '/stats' : ''}?${q}&_=1`, { auth: user.token }),
        400,
        'validation_failed',
      );
    expectError(await call('/api/racks/available?floor=&_=1', { auth: user.token }), 400, 'validation_failed');
  });
});
