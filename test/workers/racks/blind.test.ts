import { describe, expect, it } from 'vitest';
import { expectedLeaks } from '../../../core/racks/blind.ts';
import { openWs, record } from '../../support/racks.ts';
import { type Session, adminSession, call, expectError, signup } from '../../support/workers.ts';
import { complete, scan, stockedFloor } from './grade.ts';

/** Expected quantities no count in this test reaches, and an item the counter never scans: a leak shows as either. */
const SECRET_QTY = 7919;
const UNSCANNED = 'NEVER-SCANNED-7907';

/** Fails with the route's name when a member answer carries an expectation (a field, the secret quantity or item). */
function clean(where: string, body: unknown): void {
  const text = JSON.stringify(body);
  expect(expectedLeaks(body), `${where}: ${text.slice(0, 400)}`).toEqual([]);
  expect(text.includes(String(SECRET_QTY)), `${where} shows an expected quantity`).toBe(false);
  expect(text.includes(UNSCANNED), `${where} names an item only the expectation knows`).toBe(false);
}

describe('blind counts', () => {
  it('no member-visible answer or socket message of a blind rack carries an expected quantity; admins see the variance', async () => {
    const [admin, w, peer] = await Promise.all([adminSession(), signup(), signup()]);
    const { floor, racks } = await stockedFloor(admin, 2, { ITEM: SECRET_QTY, [UNSCANNED]: SECRET_QTY });
    const [rack, other] = racks as [string, string];
    const set = await call(`/api/warehouse/floors/${floor}`, {
      auth: admin.token,
      method: 'PUT',
      json: { blind: true },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    await call(`/api/warehouse/floors/${floor}/review`, { auth: admin.token, method: 'PUT', json: { qty: 0 } });

    const get = async (who: Session, path: string) => {
      const a = await call(path, { auth: who.token });
      expect(a.status, `${path}: ${JSON.stringify(a.body)}`).toBeLessThan(300);
      clean(`GET ${path}`, a.body);
      return a.body;
    };
    const post = async (who: Session, path: string, json: unknown) => {
      const a = await call(path, { auth: who.token, json });
      expect(a.status, `${path}: ${JSON.stringify(a.body)}`).toBeLessThan(300);
      clean(`POST ${path}`, a.body);
      return a.body;
    };

    const board = await openWs(`/api/floors/${floor}/ws`, peer.token, 'floor-state');
    const list = await get(w, `/api/racks/available?floor=${floor}`);
    expect(list.racks.find((r: { rack_id: string }) => r.rack_id === rack)).toMatchObject({
      item_estimate: null,
      blind: true,
    });
    expect(list.racks.find((r: { rack_id: string }) => r.rack_id === other).item_estimate).toBeNull();
    await get(w, '/api/racks/floors');
    const lease = await post(w, `/api/racks/${rack}/claim`, { floor });
    const sock = await openWs(`/api/racks/${rack}/ws`, w.token, 'rack-status');
    await get(w, `/api/racks/${rack}/status`);
    await get(w, '/api/racks/user/active');
    await get(w, '/api/rack-sessions/active');
    await get(w, `/api/rack-sessions/${lease.session_id}`);
    await get(w, `/api/rack-sessions/${lease.session_id}/stats`);
    await get(w, `/api/rack-sessions/${lease.session_id}/records`);
    await post(w, `/api/rack-sessions/${lease.session_id}/heartbeat`, { fencing_token: lease.fencing_token });
    await post(w, '/api/sync/batch', {
      session_id: lease.session_id,
      fencing_token: lease.fencing_token,
      records: [record({ item_code: 'ITEM', verified_qty: 3 })],
    });
    const synced = await scan(w, lease, { ITEM: 4 });
    clean('sync', synced.body);
    await get(w, `/api/racks/${rack}/conflicts`);
    await post(w, `/api/racks/${rack}/pause`, { session_id: lease.session_id, fencing_token: lease.fencing_token });
    await post(w, `/api/racks/${rack}/resume`, { session_id: lease.session_id, fencing_token: lease.fencing_token });
    const sock2 = await openWs(`/api/racks/${rack}/ws`, w.token, 'rack-status');
    sock2.send({ type: 'request-sync' });
    await sock2.next('rack-status', 3000);

    // Completion: the counter sees what was counted, nothing of what was expected.
    const done = await complete(w, lease, 2);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    clean('complete', done.body);
    expect(done.body).toMatchObject({
      blind: true,
      counted: [{ item_code: 'ITEM', counted_qty: 4 }],
      scanned_total: 4,
    });
    expect(done.body.audit_status).toBe('needs_review');
    await get(w, `/api/rack-sessions/${lease.session_id}`);
    await get(w, '/api/rack-sessions/user/history');
    await get(w, `/api/racks/${rack}/status`);
    board.send({ type: 'request-sync' });
    await board.next('floor-state', 3000, (m) => m.type === 'floor-state');

    // Supervisor-only routes refuse members outright.
    expectError(await call(`/api/reviews?floor=${floor}`, { auth: w.token }), 403, 'forbidden');
    expectError(await call(`/api/reviews/${done.body.audit_id}`, { auth: w.token }), 403, 'forbidden');
    expectError(await call('/api/warehouse', { auth: w.token }), 403, 'forbidden');
    expectError(await call('/api/warehouse/export.csv', { auth: w.token }), 403, 'forbidden');

    // Every socket message a member got, on the rack and the floor board.
    for (const m of [...sock.log, ...sock2.log, ...board.log]) clean(`socket ${String(m.type)}`, m);
    expect(board.log.some((m) => m.type === 'rack-status')).toBe(true);
    sock.close();
    sock2.close();
    board.close();

    // Admins see it all: the variance on review, the estimate on their board.
    const review = (await call(`/api/reviews/${done.body.audit_id}`, { auth: admin.token })).body.review;
    expect(review).toMatchObject({ blind: true, status: 'needs_review' });
    expect(review.items.find((i: { item_code: string }) => i.item_code === 'ITEM')).toMatchObject({
      expected_qty: SECRET_QTY,
      counted_qty: 4,
      variance: 4 - SECRET_QTY,
    });
    const adminBoard = await openWs(`/api/floors/${floor}/ws`, admin.token, 'floor-state');
    expect(adminBoard.log[0]?.racks).toContainEqual(
      expect.objectContaining({ rack_id: rack, blind: true, item_estimate: 2 * SECRET_QTY }),
    );
    adminBoard.close();

    // A rack's own setting wins over its floor's: `other` counted openly shows its estimate to members.
    await call(`/api/warehouse/racks/${other}/blind`, { auth: admin.token, method: 'PUT', json: { blind: false } });
    const open = await call(`/api/racks/${other}/status`, { auth: w.token });
    expect(open.body).toMatchObject({ blind: false, item_estimate: 2 * SECRET_QTY });
    expect((await call(`/api/racks/${rack}/status`, { auth: w.token })).body.item_estimate).toBeNull();
  });
});
