import { describe, expect, it } from 'vitest';
import { type Session, adminSession, call, expectError, signup } from '../../support/workers.ts';
import { freshRack, openWs, rackStub, record } from '../../support/racks.ts';
import { type Journal, recordOutbox } from '../../support/journal.ts';

async function claimed(
  who: Session,
  rackId: string,
  floor: string,
): Promise<{ session_id: string; fencing_token: number }> {
  const a = await call(`/api/racks/${rackId}/claim`, { auth: who.token, json: { floor } });
  expect(a.status, JSON.stringify(a.body)).toBe(200);
  return { session_id: a.body.session_id, fencing_token: a.body.fencing_token };
}

/** Ann writes `item` and releases; Bob claims and writes it without having seen Ann's version: one conflict. */
async function conflictOn(
  rackId: string,
  floor: string,
  item: string,
  mine: Record<string, unknown>,
  theirs: Record<string, unknown>,
) {
  await freshRack(rackId);
  await recordJournal(rackId);
  const [ann, bob] = await Promise.all([signup({ name: 'Ann' }), signup({ name: 'Bob' })]);
  const la = await claimed(ann, rackId, floor);
  const first = await call('/api/sync/batch', {
    auth: ann.token,
    json: { ...la, records: [record({ item_code: item, ...theirs })] },
  });
  expect(first.body.accepted).toHaveLength(1);
  await call(`/api/racks/${rackId}/release`, { auth: ann.token, json: la });
  const lb = await claimed(bob, rackId, floor);
  const refused = record({ item_code: item, ...mine });
  const w = await call('/api/sync/batch', { auth: bob.token, json: { ...lb, records: [refused] } });
  expect(w.body.conflicts).toEqual([
    expect.objectContaining({ client_record_id: refused.client_record_id, reason: 'stale_base_version' }),
  ]);
  return { ann, bob, la, lb, id: refused.client_record_id };
}

/** Records every outbox row the rack appends from now on (the drain may empty the outbox at once). */
const recordJournal = (rackId: string) => recordOutbox(rackStub(rackId));

async function outboxKinds(rackId: string): Promise<Journal> {
  return (await recordOutbox(rackStub(rackId)))();
}

describe('conflicts', () => {
  it('the holder lists and resolves a conflict: journaled, version bumped, board and socket told; twice is 409', async () => {
    const { ann, bob, lb, id } = await conflictOn(
      'G10',
      'ground',
      'G10-ITEM1',
      { verified_qty: 2, serial_numbers: ['S1', 'S2'] },
      { verified_qty: 4, serial_numbers: ['S2', 'S3'] },
    );
    const board = await openWs('/api/floors/ground/ws', ann.token, 'floor-state');
    const rackWs = await openWs('/api/racks/G10/ws', bob.token, 'rack-status');

    const status = await call('/api/racks/G10/status', { auth: bob.token });
    expect(status.body.counts.conflicts).toBe(1);
    const list = await call('/api/racks/G10/conflicts', { auth: bob.token });
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(list.body.conflicts).toEqual([
      expect.objectContaining({
        id,
        item_code: 'G10-ITEM1',
        user_id: bob.user.id,
        mine: expect.objectContaining({ verified_qty: 2, serial_numbers: ['S1', 'S2'], base_version: null }),
        theirs: expect.objectContaining({
          verified_qty: 4,
          serial_numbers: ['S2', 'S3'],
          version: 1,
          user_id: ann.user.id,
        }),
        merged: { verified_qty: 4, damage_qty: 0, serial_numbers: ['S2', 'S3', 'S1'], status: 'verified' },
        resolution: null,
      }),
    ]);

    // Not the holder, not an admin: refused. Bad input: 4xx.
    expectError(await call('/api/racks/G10/conflicts', { auth: ann.token }), 403, 'forbidden');
    expectError(
      await call(`/api/racks/G10/conflicts/${id}/resolve`, { auth: ann.token, json: { choice: 'mine' } }),
      403,
      'forbidden',
    );
    expectError(
      await call(`/api/racks/G10/conflicts/${id}/resolve`, { auth: bob.token, json: { choice: 'both' } }),
      400,
      'validation_failed',
    );
    expectError(
      await call(`/api/racks/G10/conflicts/${id}/resolve`, { auth: bob.token, json: { choice: 'mine', extra: 1 } }),
      400,
      'validation_failed',
    );
    expectError(
      await call(`/api/racks/G10/conflicts/${id}/resolve`, {
        auth: bob.token,
        raw: '{',
        headers: { 'Content-Type': 'application/json' },
      }),
      400,
      'invalid_json',
    );
    expectError(
      await call('/api/racks/G10/conflicts/nope/resolve', { auth: bob.token, json: { choice: 'mine' } }),
      404,
      'conflict_not_found',
    );
    expectError(
      await call(`/api/racks/Z99/conflicts/${id}/resolve`, { auth: bob.token, json: { choice: 'mine' } }),
      404,
      'rack_not_found',
    );
    expectError(
      await call(`/api/racks/G10/conflicts/${id}/resolve`, { json: { choice: 'mine' } }),
      401,
      'unauthenticated',
    );
    expectError(
      await call(`/api/racks/G10/conflicts/${'x'.repeat(200)}/resolve`, { auth: bob.token, json: { choice: 'mine' } }),
      400,
      'validation_failed',
    );

    const r = await call(`/api/racks/G10/conflicts/${encodeURIComponent(id)}/resolve`, {
      auth: bob.token,
      json: { choice: 'merged' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.conflict.resolution).toMatchObject({ choice: 'merged', by: bob.user.id, version: 2 });
    expect(await rackWs.next('conflict-resolved', 3000)).toMatchObject({ id, choice: 'merged', version: 2 });
    expect(
      await board.next(
        'rack-status',
        3000,
        (m) => m.rack_id === 'G10' && (m.counts as { conflicts: number }).conflicts === 0,
      ),
    ).toMatchObject({ holder: bob.user.id, holder_name: 'Bob' });
    expectError(
      await call(`/api/racks/G10/conflicts/${id}/resolve`, { auth: bob.token, json: { choice: 'mine' } }),
      409,
      'conflict_resolved',
    );

    expect((await call('/api/racks/G10/conflicts', { auth: bob.token })).body.conflicts).toEqual([]);
    // Resolved conflicts are listed with ?all=1 until their resolution is mirrored, then pruned (storage.test.ts).
    await rackStub('G10').kick();
    const all = await call('/api/racks/G10/conflicts?all=1', { auth: bob.token });
    expect(all.body.conflicts).toEqual([]);
    expect(all.body.nextCursor).toBeNull();

    // The merged item is the item's version 2: a write based on version 1 from another lease conflicts again.
    const again = await call('/api/sync/batch', {
      auth: bob.token,
      json: { ...lb, records: [record({ item_code: 'G10-ITEM1', base_version: 2, verified_qty: 6 })] },
    });
    expect(again.body.accepted).toHaveLength(1);
    const stats = await call(`/api/rack-sessions/${lb.session_id}/stats`, { auth: bob.token });
    expect(stats.body.total_items).toBe(1);

    // Journaled: the conflict with the batch, then its resolution with the written item.
    const rows = await outboxKinds('G10');
    const resolved = rows.find((x) => x.kind === 'rack.conflict-resolved');
    expect(
      rows.some(
        (x) =>
          x.kind === 'rack.batch' &&
          x.payload.conflicts.some((c: { clientRecordId: string }) => c.clientRecordId === id),
      ),
    ).toBe(true);
    expect(resolved?.payload).toMatchObject({
      event: 'conflict-resolved',
      actor: { id: bob.user.id, role: 'user' },
      resolved: { clientRecordId: id, resolution: { choice: 'merged' } },
      records: [{ itemCode: 'G10-ITEM1', version: 2, serialNumbers: ['S2', 'S3', 'S1'] }],
    });
    board.close();
    rackWs.close();
  });

  it('admins resolve on any rack, with or without a lease, and list a floor’s open conflicts', async () => {
    const { bob, lb, id } = await conflictOn('G11', 'ground', 'G11-ITEM2', { verified_qty: 9 }, { verified_qty: 1 });
    const admin = await adminSession();
    expectError(await call('/api/floors/ground/conflicts', { auth: bob.token }), 403, 'forbidden');
    expectError(await call('/api/floors/attic/conflicts', { auth: admin.token }), 404, 'floor_not_found');
    const floor = await call('/api/floors/ground/conflicts', { auth: admin.token });
    expect(floor.status, JSON.stringify(floor.body)).toBe(200);
    expect(floor.body.conflicts.map((x: { id: string }) => x.id)).toContain(id);

    await call('/api/racks/G11/release', { auth: bob.token, json: lb });
    // Without a lease, only admins may.
    expectError(await call('/api/racks/G11/conflicts', { auth: bob.token }), 403, 'forbidden');
    const r = await call(`/api/racks/G11/conflicts/${id}/resolve`, { auth: admin.token, json: { choice: 'mine' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.conflict.resolution).toMatchObject({ choice: 'mine', by: admin.user.id, version: 2 });
    expect((await call('/api/racks/G11/status', { auth: admin.token })).body.counts).toMatchObject({
      conflicts: 0,
      total: 1,
    });
    const after = await call('/api/floors/ground/conflicts', { auth: admin.token });
    expect(after.body.conflicts.map((x: { id: string }) => x.id)).not.toContain(id);
    const row = (await outboxKinds('G11')).find((x) => x.kind === 'rack.conflict-resolved');
    expect(row?.payload).toMatchObject({
      actor: { role: 'admin' },
      records: [{ verifiedQty: 9, sessionId: lb.session_id }],
    });
  });
});
