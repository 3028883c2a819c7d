import { evictDurableObject, runDurableObjectAlarm } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { type Session, adminSession, call, expectError, signup, unique } from '../../support/workers.ts';
import { alarmAt, clockAhead } from '../../support/clock.ts';
import { freshRack, openWs, rackStub, record } from '../../support/racks.ts';

const claim = (who: Session, rackId: string, floor: string) =>
  call(`/api/racks/${rackId}/claim`, { auth: who.token, json: { floor } });

async function claimed(
  who: Session,
  rackId: string,
  floor: string,
): Promise<{ session_id: string; fencing_token: number; expires_at: number }> {
  const a = await claim(who, rackId, floor);
  expect(a.status, JSON.stringify(a.body)).toBe(200);
  return a.body;
}

describe('claims', () => {
  it('200 concurrent claims on one rack: exactly one winner, the others see the holder', async () => {
    await freshRack('G01');
    const users = Array.from({ length: 200 }, (_, i) => `claimer-${i}-${unique()}`);
    const answers = await Promise.all(users.map((u) => rackStub('G01').claim('G01', u)));
    const winners = answers.filter((a) => a.ok);
    expect(winners).toHaveLength(1);
    const win = winners[0] as Extract<(typeof answers)[number], { ok: true }>;
    const holder = (await rackStub('G01').inspect()).lease?.holderId;
    expect(users).toContain(holder);
    for (const a of answers)
      if (!a.ok)
        expect(a).toMatchObject({ code: 'rack_claimed', details: { holder, expires_at: win.value.expires_at } });
  });

  it('over HTTP: claim, idempotent re-claim, 409 rack_claimed for another user, release with the token', async () => {
    await freshRack('G02');
    const [a, b] = await Promise.all([signup(), signup()]);
    const first = await claimed(a, 'G02', 'ground');
    expect(first).toMatchObject({
      success: true,
      rack_id: 'G02',
      floor: 'ground',
      lock_ttl: 60,
      lock_ttl_ms: 60_000,
      session_id: `G02:${first.fencing_token}`,
    });
    expect(await claimed(a, 'G02', 'ground')).toEqual(first);
    const available = await call('/api/racks/available?floor=ground', { auth: b.token });
    expect(available.body).toMatchObject({ floor: 'ground', cached: false });
    expect(available.body.racks.map((r: { rack_id: string }) => r.rack_id)).not.toContain('G02');
    expect(available.body.racks[0]).toEqual({
      rack_id: expect.any(String),
      floor: 'ground',
      status: 'available',
      item_estimate: expect.any(Number),
      blind: false,
    });
    const refused = await claim(b, 'G02', 'ground');
    expectError(refused, 409, 'rack_claimed');
    expect(refused.body.error.details).toEqual({
      holder: a.user.id,
      holder_name: a.user.name,
      expires_at: first.expires_at,
    });
    expectError(
      await call('/api/racks/G02/release', {
        auth: a.token,
        json: { session_id: first.session_id, fencing_token: first.fencing_token - 1 },
      }),
      409,
      'stale_fencing_token',
    );
    expect(
      (
        await call('/api/racks/G02/release', {
          auth: a.token,
          json: { session_id: first.session_id, fencing_token: first.fencing_token },
        })
      ).status,
    ).toBe(200);
    const second = await claimed(b, 'G02', 'ground');
    expect(second.fencing_token).toBe(first.fencing_token + 1);
    const status = await call('/api/racks/G02/status', { auth: a.token });
    expect(status.body).toMatchObject({
      rack_id: 'G02',
      status: 'claimed',
      holder: b.user.id,
      fencing_token: second.fencing_token,
    });
  });
});

describe('lease timing', () => {
  it('the alarm expires a lease, tells the holder lease-lost, and a stale-token sync is refused', async () => {
    await freshRack('G03', { ttlMs: 300, pauseHoldMs: 600 });
    const a = await signup();
    const socket = await openWs('/api/racks/G03/ws', a.token, 'rack-status');
    const lease = await claimed(a, 'G03', 'ground');
    expect((await rackStub('G03').inspect()).boundary).toBe(lease.expires_at);
    await alarmAt(rackStub('G03'), lease.expires_at + 10);
    const lost = await socket.next('lease-lost', 3000);
    expect(lost).toMatchObject({
      rack_id: 'G03',
      session_id: lease.session_id,
      fencing_token: lease.fencing_token,
      reason: 'expired',
    });
    const sync = await call('/api/sync/batch', {
      auth: a.token,
      json: { session_id: lease.session_id, fencing_token: lease.fencing_token, records: [record()] },
    });
    expectError(sync, 409, 'stale_fencing_token');
    expectError(
      await call(`/api/rack-sessions/${lease.session_id}/heartbeat`, {
        auth: a.token,
        json: { fencing_token: lease.fencing_token },
      }),
      409,
      'stale_fencing_token',
    );
    expect((await rackStub('G03').inspect()).boundary).toBeNull();
    const available = await call('/api/racks/available?floor=ground', { auth: a.token });
    expect(available.body.racks.map((r: { rack_id: string }) => r.rack_id)).toContain('G03');
    // A repeated alarm changes nothing.
    await runDurableObjectAlarm(rackStub('G03'));
    expect(await socket.quiet('lease-lost', 50)).toBe(true);
    socket.close();
  });

  it('eviction mid-lease keeps the token and the expiry; the heartbeat still works', async () => {
    await freshRack('G04');
    const a = await signup();
    const lease = await claimed(a, 'G04', 'ground');
    const before = await rackStub('G04').inspect();
    await evictDurableObject(rackStub('G04'));
    const after = await rackStub('G04').inspect();
    expect(after.lease).toEqual(before.lease);
    expect(after.lastToken).toBe(lease.fencing_token);
    expect(after.boundary).toBe(lease.expires_at);
    expect(after.alarm).not.toBeNull();
    const hb = await call(`/api/rack-sessions/${lease.session_id}/heartbeat`, {
      auth: a.token,
      json: { fencing_token: lease.fencing_token },
    });
    expect(hb.status, JSON.stringify(hb.body)).toBe(200);
    expect(hb.body).toMatchObject({ success: true, rack_lock_renewed: true });
    expect(hb.body.lock_ttl_remaining).toBeGreaterThanOrEqual(59);
    expect(hb.body.lock_ttl_remaining_ms).toBeGreaterThan(58_000);
    expect(hb.body.lock_ttl_remaining_ms).toBeLessThanOrEqual(60_000);
    // The heartbeat is visible in the status (and so on the board), with the holder's name.
    const status = await call('/api/racks/G04/status', { auth: a.token });
    expect(status.body).toMatchObject({
      holder: a.user.id,
      holder_name: a.user.name,
      last_heartbeat_at: expect.any(Number),
    });
    expect(status.body.last_heartbeat_at).toBeGreaterThanOrEqual(before.lease?.grantedAt ?? Infinity);
    const session = await call(`/api/rack-sessions/${lease.session_id}`, { auth: a.token });
    expect(session.body.session).toMatchObject({
      user_name: a.user.name,
      last_heartbeat_at: status.body.last_heartbeat_at,
    });
  });

  it('paused time is excluded from the session duration', async () => {
    await freshRack('G05');
    const a = await signup();
    const lease = await claimed(a, 'G05', 'ground');
    const body = { session_id: lease.session_id, fencing_token: lease.fencing_token };
    expect((await call('/api/racks/G05/pause', { auth: a.token, json: body })).body).toMatchObject({
      status: 'paused',
    });
    const paused = await call('/api/racks/G05/status', { auth: a.token });
    expect(paused.body.expires_at).toBeGreaterThanOrEqual(Date.now() + 590_000);
    await clockAhead(rackStub('G05'), 1_200);
    expect((await call('/api/racks/G05/resume', { auth: a.token, json: body })).body).toMatchObject({
      status: 'claimed',
    });
    const s = await call(`/api/rack-sessions/${lease.session_id}`, { auth: a.token });
    expect(s.body.session.paused_ms).toBeGreaterThanOrEqual(1_200);
    const stats = await call(`/api/rack-sessions/${lease.session_id}/stats`, { auth: a.token });
    expect(stats.body).toMatchObject({ duration_seconds: 0, total_items: 0, items_per_minute: 0 });
  });

  it('an admin force-releases a lease: journaled, the holder gets lease-lost; members may not', async () => {
    await freshRack('G06');
    const [a, admin] = await Promise.all([signup(), adminSession()]);
    const socket = await openWs('/api/racks/G06/ws', a.token, 'rack-status');
    const lease = await claimed(a, 'G06', 'ground');
    expectError(
      await call('/api/racks/G06/force-release', { auth: a.token, json: { reason: 'mine' } }),
      403,
      'forbidden',
    );
    const r = await call('/api/racks/G06/force-release', {
      auth: admin.token,
      json: { reason: 'scanner left on the rack' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ success: true, status: 'available', holder: null });
    expect(await socket.next('lease-lost', 3000)).toMatchObject({
      session_id: lease.session_id,
      reason: 'force-released',
    });
    const s = await call(`/api/rack-sessions/${lease.session_id}`, { auth: a.token });
    expect(s.body.session).toMatchObject({ status: 'force-released' });
    socket.close();
  });
});

describe('batch sync', () => {
  it('the same batch sent 5 times applies once', async () => {
    await freshRack('G07');
    const a = await signup();
    const lease = await claimed(a, 'G07', 'ground');
    const batch = {
      session_id: lease.session_id,
      fencing_token: lease.fencing_token,
      records: [record({ item_code: 'G07-ITEM1' }), record({ item_code: 'G07-ITEM2' })],
    };
    const ids = batch.records.map((r) => r.client_record_id);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await call('/api/sync/batch', { auth: a.token, json: batch }));
    expect(answers[0]?.body).toEqual({ accepted: ids, duplicates: [], conflicts: [], rejected: [] });
    for (const x of answers.slice(1))
      expect(x.body).toEqual({ accepted: [], duplicates: ids, conflicts: [], rejected: [] });
    expect((await rackStub('G07').inspect()).items).toBe(2);
    const stats = await call(`/api/rack-sessions/${lease.session_id}/stats`, { auth: a.token });
    expect(stats.body).toMatchObject({ total_items: 2, verified_items: 2 });
  });

  it('a write based on an older record from another lease is a conflict, returned with the server record', async () => {
    await freshRack('G08');
    const [a, b] = await Promise.all([signup(), signup()]);
    const la = await claimed(a, 'G08', 'ground');
    await call('/api/sync/batch', {
      auth: a.token,
      json: {
        session_id: la.session_id,
        fencing_token: la.fencing_token,
        records: [record({ item_code: 'X', verified_qty: 5 })],
      },
    });
    await call('/api/racks/G08/release', {
      auth: a.token,
      json: { session_id: la.session_id, fencing_token: la.fencing_token },
    });
    const lb = await claimed(b, 'G08', 'ground');
    const w = await call('/api/sync/batch', {
      auth: b.token,
      json: {
        session_id: lb.session_id,
        fencing_token: lb.fencing_token,
        records: [record({ item_code: 'X', verified_qty: 4, base_version: 1 })],
      },
    });
    expect(w.body.accepted).toHaveLength(1);
    await call('/api/racks/G08/release', {
      auth: b.token,
      json: { session_id: lb.session_id, fencing_token: lb.fencing_token },
    });
    const la2 = await claimed(a, 'G08', 'ground');
    const stale = record({ item_code: 'X', verified_qty: 9, base_version: 1 });
    const c = await call('/api/sync/batch', {
      auth: a.token,
      json: {
        session_id: la2.session_id,
        fencing_token: la2.fencing_token,
        records: [stale, record({ item_code: 'Y', verified_qty: -1 })],
      },
    });
    expect(c.status).toBe(400);
    const d = await call('/api/sync/batch', {
      auth: a.token,
      json: { session_id: la2.session_id, fencing_token: la2.fencing_token, records: [stale] },
    });
    expect(d.body.conflicts).toEqual([
      {
        client_record_id: stale.client_record_id,
        reason: 'stale_base_version',
        server_record: expect.objectContaining({ itemCode: 'X', verifiedQty: 4, version: 2, userId: b.user.id }),
      },
    ]);
    expect(d.body.accepted).toEqual([]);
  });

  it('completing gives the summary: expected vs scanned, missing, unexpected, duplicate serials', async () => {
    await freshRack('G09');
    const a = await signup();
    const lease = await claimed(a, 'G09', 'ground');
    // G09 expects G09-ITEM1..5.
    await call('/api/sync/batch', {
      auth: a.token,
      json: {
        session_id: lease.session_id,
        fencing_token: lease.fencing_token,
        records: [
          record({ item_code: 'G09-ITEM1', verified_qty: 1, serial_numbers: ['S1'] }),
          record({ item_code: 'STRAY', verified_qty: 1, serial_numbers: ['S1'] }),
        ],
      },
    });
    const done = await call(`/api/rack-sessions/${lease.session_id}/complete`, { auth: a.token, json: {} });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({
      success: true,
      missing: ['G09-ITEM2', 'G09-ITEM3', 'G09-ITEM4', 'G09-ITEM5'],
      unexpected: ['STRAY'],
      duplicate_serials: [{ serial: 'S1', item_codes: ['G09-ITEM1', 'STRAY'] }],
      total_items: 2,
    });
    expect(done.body.variance).toContainEqual({ item_code: 'STRAY', expected_qty: 0, scanned_qty: 1, variance: 1 });
    expect((await call('/api/racks/G09/status', { auth: a.token })).body).toMatchObject({
      status: 'available',
      counts: { total: 0 },
    });
    const history = await call('/api/rack-sessions/user/history', { auth: a.token });
    expect(history.body.sessions[0]).toMatchObject({ session_id: lease.session_id, status: 'completed' });
  });
});

describe('floor board', () => {
  it('lists floors, and supervisors get rack-status for every change on the floor', async () => {
    await freshRack('F01');
    const [a, sup] = await Promise.all([signup(), signup()]);
    const floors = await call('/api/racks/floors', { auth: a.token });
    // The seed's floors come first; floors an admin adds (racks-warehouse.test.ts) follow them.
    expect(floors.body.floors.slice(0, 2)).toEqual([
      { id: 'ground', name: 'Ground', rack_count: 12, blind: false },
      { id: 'first', name: 'First', rack_count: 12, blind: false },
    ]);
    const board = await openWs('/api/floors/first/ws', sup.token, 'floor-state');
    const lease = await claimed(a, 'F01', 'first');
    expect(await board.next('rack-status', 3000, (m) => m.rack_id === 'F01' && m.status === 'claimed')).toMatchObject({
      holder: a.user.id,
      expires_at: lease.expires_at,
      counts: { total: 0 },
    });
    const active = await call('/api/racks/user/active', { auth: a.token });
    expect(active.body.racks.map((r: { rack_id: string }) => r.rack_id)).toEqual(['F01']);
    await call('/api/racks/F01/release', {
      auth: a.token,
      json: { session_id: lease.session_id, fencing_token: lease.fencing_token },
    });
    expect(await board.next('rack-status', 3000, (m) => m.rack_id === 'F01' && m.status === 'available')).toMatchObject(
      { holder: null },
    );
    board.close();
  });
});

describe('bad input', () => {
  it('answers 4xx and changes nothing', async () => {
    await freshRack('F02');
    const a = await signup();
    expectError(await call('/api/racks/F02/claim', { json: { floor: 'first' } }), 401, 'unauthenticated');
    expectError(await claim(a, 'F02', 'ground'), 404, 'rack_not_found');
    expectError(await claim(a, 'Z99', 'ground'), 404, 'rack_not_found');
    expectError(await call('/api/racks/F02/claim', { auth: a.token, json: {} }), 400, 'validation_failed');
    expectError(
      await call('/api/racks/F02/claim', {
        auth: a.token,
        raw: '{nope',
        headers: { 'Content-Type': 'application/json' },
      }),
      400,
      'invalid_json',
    );
    expectError(await call('/api/racks/available?floor=attic', { auth: a.token }), 404, 'floor_not_found');
    expectError(
      await call('/api/racks/F02/pause', { auth: a.token, json: { session_id: 'F02:1', fencing_token: 'x' } }),
      400,
      'validation_failed',
    );
    const lease = await claimed(a, 'F02', 'first');
    const base = { session_id: lease.session_id, fencing_token: lease.fencing_token };
    expectError(
      await call('/api/sync/batch', {
        auth: a.token,
        json: { ...base, records: Array.from({ length: 101 }, () => record()) },
      }),
      400,
      'validation_failed',
    );
    expectError(
      await call('/api/sync/batch', { auth: a.token, json: { ...base, records: [record({ status: 'lost' })] } }),
      400,
      'validation_failed',
    );
    expectError(
      await call('/api/sync/batch', { auth: a.token, json: { ...base, session_id: 'nope', records: [] } }),
      409,
      'stale_fencing_token',
    );
    expectError(await call('/api/rack-sessions/nope/stats', { auth: a.token }), 404, 'rack_session_not_found');
    const other = await signup();
    expectError(
      await call(`/api/rack-sessions/${lease.session_id}`, { auth: other.token }),
      404,
      'rack_session_not_found',
    );
    expectError(
      await call('/api/sync/batch', { auth: other.token, json: { ...base, records: [record()] } }),
      409,
      'stale_fencing_token',
    );
    // Per-record problems are answered per record; the rest applies.
    const mixed = await call('/api/sync/batch', {
      auth: a.token,
      json: { ...base, records: [record({ serial_numbers: ['A', 'A'] }), record({ item_code: 'OK' })] },
    });
    expect(mixed.body.rejected).toEqual([{ client_record_id: expect.any(String), code: 'duplicate_serial_in_record' }]);
    expect(mixed.body.accepted).toHaveLength(1);
    expect((await rackStub('F02').inspect()).lease?.fencingToken).toBe(lease.fencing_token);
  });
});
