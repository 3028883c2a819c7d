import { describe, expect, it } from 'vitest';
import { openWs } from '../../support/racks.ts';
import { adminSession, call, expectError, signup } from '../../support/workers.ts';
import { claim, complete, scan, stockedFloor } from './grade.ts';

describe('lease hand-off and break', () => {
  it('the new holder gets a new token and the scans so far; the old holder is told and its syncs are stale', async () => {
    const [admin, a, b] = await Promise.all([adminSession(), signup({ name: 'Ann' }), signup({ name: 'Bo' })]);
    const { floor, racks } = await stockedFloor(admin, 1, { A: 3, B: 2 });
    const rack = racks[0] as string;
    const lease = await claim(a, rack, floor);
    expect((await scan(a, lease, { A: 3 })).body.accepted).toHaveLength(1);
    const oldSocket = await openWs(`/api/racks/${rack}/ws`, a.token, 'rack-status');
    const newSocket = await openWs(`/api/racks/${rack}/ws`, b.token, 'rack-status');

    expectError(
      await call(`/api/racks/${rack}/handoff`, { auth: a.token, json: { to_user_id: b.user.id, reason: 'x' } }),
      403,
      'forbidden',
    );
    expectError(
      await call(`/api/racks/${rack}/handoff`, { auth: admin.token, json: { to_user_id: a.user.id, reason: 'x' } }),
      409,
      'same_holder',
    );
    const handed = await call(`/api/racks/${rack}/handoff`, {
      auth: admin.token,
      json: { to_user_id: b.user.id, reason: 'end of shift' },
    });
    expect(handed.status, JSON.stringify(handed.body)).toBe(200);
    expect(handed.body).toMatchObject({
      holder: b.user.id,
      fencing_token: lease.fencing_token + 1,
      session_id: `${rack}:${lease.fencing_token + 1}`,
      previous: { holder: a.user.id, session_id: lease.session_id, fencing_token: lease.fencing_token },
      records: [expect.objectContaining({ item_code: 'A', verified_qty: 3, user_id: a.user.id })],
    });
    const lost = await oldSocket.next('lease-lost', 3000);
    expect(lost).toMatchObject({ reason: 'handed-off', session_id: lease.session_id });
    const granted = await newSocket.next('lease-granted', 3000);
    expect(granted).toMatchObject({ session_id: handed.body.session_id, fencing_token: handed.body.fencing_token });

    // The old holder is stale everywhere.
    expectError(await scan(a, lease, { B: 2 }), 409, 'stale_fencing_token');
    expectError(
      await call(`/api/rack-sessions/${lease.session_id}/heartbeat`, {
        auth: a.token,
        json: { fencing_token: lease.fencing_token },
      }),
      409,
      'stale_fencing_token',
    );
    expectError(await complete(a, lease), 409, 'stale_fencing_token');
    // The new holder reads the scans so far, adds to them and completes with them all.
    const newLease = { ...lease, session_id: handed.body.session_id, fencing_token: handed.body.fencing_token };
    const recs = await call(`/api/rack-sessions/${newLease.session_id}/records`, { auth: b.token });
    expect(recs.body.records.map((r: { item_code: string }) => r.item_code)).toEqual(['A']);
    expectError(await call(`/api/rack-sessions/${newLease.session_id}/records`, { auth: a.token }), 404);
    expect((await scan(b, newLease, { B: 2 })).body.accepted).toHaveLength(1);
    const done = await complete(b, newLease, 1);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ scanned_total: 5, missing: [] });
    oldSocket.close();
    newSocket.close();
  });

  it('break: the holder is told `broken`, the board shows lease and heartbeat age; members may not break', async () => {
    const [admin, a] = await Promise.all([adminSession(), signup()]);
    const { floor, racks } = await stockedFloor(admin, 1, { A: 1 });
    const rack = racks[0] as string;
    const lease = await claim(a, rack, floor);
    await call(`/api/rack-sessions/${lease.session_id}/heartbeat`, {
      auth: a.token,
      json: { fencing_token: lease.fencing_token },
    });
    const board = await call(`/api/racks/${rack}/status`, { auth: admin.token });
    expect(board.body).toMatchObject({
      granted_at: expect.any(Number),
      lease_age_ms: expect.any(Number),
      heartbeat_age_ms: expect.any(Number),
      mode: 'audit',
      blind: false,
    });
    const sock = await openWs(`/api/racks/${rack}/ws`, a.token, 'rack-status');
    expectError(await call(`/api/racks/${rack}/break`, { auth: a.token, json: { reason: 'x' } }), 403, 'forbidden');
    expectError(await call(`/api/racks/${rack}/break`, { auth: admin.token, json: { reason: '' } }), 400);
    const broke = await call(`/api/racks/${rack}/break`, { auth: admin.token, json: { reason: 'device lost' } });
    expect(broke.body).toMatchObject({ success: true, broken: true, reason: 'device lost', status: 'available' });
    expect(await sock.next('lease-lost', 3000)).toMatchObject({ reason: 'broken' });
    expectError(
      await call(`/api/racks/${rack}/break`, { auth: admin.token, json: { reason: 'again' } }),
      409,
      'no_lease',
    );
    sock.close();
  });
});

describe('never-lost scans', () => {
  it('completion is refused while the server holds fewer records than the device declares; nothing changes', async () => {
    const [admin, a] = await Promise.all([adminSession(), signup()]);
    const { floor, racks } = await stockedFloor(admin, 1, { A: 1, B: 1, C: 1 });
    const rack = racks[0] as string;
    const lease = await claim(a, rack, floor);
    const first = await scan(a, lease, { A: 1, B: 1 });
    expect(first.body.accepted).toHaveLength(2);
    // A retried batch is a duplicate, not a new record.
    const refused = await complete(a, lease, 3);
    expectError(refused, 409, 'unsynced_records');
    expect(refused.body.error.details).toEqual({ declared: 3, received: 2 });
    expect((await call(`/api/racks/${rack}/status`, { auth: a.token })).body.holder).toBe(a.user.id);
    expectError(await complete(a, { ...lease }, -1), 400, 'validation_failed');
    expect((await scan(a, lease, { C: 1 })).body.accepted).toHaveLength(1);
    const done = await complete(a, lease, 3);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.scanned_total).toBe(3);
    // Old clients that declare nothing still complete.
    const again = await claim(a, rack, floor);
    expect((await complete(a, again)).status).toBe(200);
  });
});
