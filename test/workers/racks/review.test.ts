import { describe, expect, it } from 'vitest';
import { openWs } from '../../support/racks.ts';
import { adminSession, call, expectError, signup } from '../../support/workers.ts';
import { claim, complete, scan, stockedFloor } from './grade.ts';

const decide = (admin: { token: string }, auditId: string, item: string, json: unknown) =>
  call(`/api/reviews/${auditId}/items/${item}`, { auth: admin.token, json });

describe('variance review', () => {
  it('no thresholds: an audit with variance is posted at once, as before', async () => {
    const [admin, w] = await Promise.all([adminSession(), signup()]);
    const { floor, racks } = await stockedFloor(admin, 1, { A: 5 });
    const rack = racks[0] as string;
    const lease = await claim(w, rack, floor);
    expect(lease.mode).toBe('audit');
    await scan(w, lease, { A: 2 });
    const done = await complete(w, lease);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ audit_status: 'posted', flagged: [], audit_id: lease.session_id, mode: 'audit' });
    expect((await call(`/api/reviews?floor=${floor}`, { auth: admin.token })).body.reviews).toEqual([]);
  });

  it('over a threshold: needs_review; accept, override and a recount by a named worker, then posted, with its history', async () => {
    const [admin, w, other, recounter] = await Promise.all([adminSession(), signup(), signup(), signup()]);
    const { floor, racks } = await stockedFloor(admin, 1, { A: 10, B: 10, C: 10, D: 10 });
    const rack = racks[0] as string;
    const set = await call(`/api/warehouse/floors/${floor}/review`, {
      auth: admin.token,
      method: 'PUT',
      json: { qty: 1, items: { D: { pct: 50 } } },
    });
    expect(set.body).toEqual({ floor, review: { qty: 1, pct: null, items: { D: { qty: null, pct: 50 } } } });
    const lease = await claim(w, rack, floor);
    await scan(w, lease, { A: 7, B: 12, C: 10, D: 7 });
    const done = await complete(w, lease);
    expect(done.body).toMatchObject({ audit_status: 'needs_review', flagged: ['A', 'B'] });
    const auditId = done.body.audit_id as string;

    const list = await call(`/api/reviews?floor=${floor}`, { auth: admin.token });
    expect(list.body.reviews).toHaveLength(1);
    expect(list.body.reviews[0]).toMatchObject({ audit_id: auditId, status: 'needs_review', counter_id: w.user.id });
    expect(list.body.reviews[0].items.find((i: { item_code: string }) => i.item_code === 'A')).toMatchObject({
      expected_qty: 10,
      counted_qty: 7,
      variance: -3,
      flagged: true,
      decision: null,
    });
    const board = await openWs(`/api/floors/${floor}/ws`, admin.token, 'floor-state');
    // Members may not review.
    expectError(await decide(w, auditId, 'A', { decision: 'accept' }), 403, 'forbidden');
    expectError(await decide(admin, auditId, 'C', { decision: 'accept' }), 409, 'item_not_flagged');
    expectError(await decide(admin, auditId, 'Z', { decision: 'accept' }), 404, 'review_item_not_found');
    expectError(await decide(admin, auditId, 'A', { decision: 'override' }), 400, 'validation_failed');
    expectError(await decide(admin, `${rack}:999`, 'A', { decision: 'accept' }), 404, 'review_not_found');

    const over = await decide(admin, auditId, 'A', { decision: 'override', qty: 8, reason: 'two on the floor' });
    expect(over.body.review.items[0]).toMatchObject({ decision: 'override', final_qty: 8, reason: 'two on the floor' });
    // A retry is the same answer, journaled once.
    expect(
      (await decide(admin, auditId, 'A', { decision: 'override', qty: 8, reason: 'two on the floor' })).status,
    ).toBe(200);
    expectError(await decide(admin, auditId, 'A', { decision: 'accept' }), 409, 'already_decided');
    const rc = await decide(admin, auditId, 'B', { decision: 'recount', assignee: recounter.user.id });
    expect(rc.body.review).toMatchObject({
      status: 'recount',
      recount: { items: ['B'], assignee: recounter.user.id, session_id: null },
    });
    await board.next('rack-status', 3000, (m) => m.rack_id === rack && m.audit_status === 'recount');

    // Only the named worker may claim the recount.
    expectError(
      await call(`/api/racks/${rack}/claim`, { auth: other.token, json: { floor } }),
      409,
      'recount_assigned',
    );
    const re = await claim(recounter, rack, floor);
    expect(re).toMatchObject({ mode: 'recount', audit_id: auditId, items: ['B'] });
    const synced = await scan(recounter, re, { B: 10, C: 3 });
    expect(synced.body.accepted).toHaveLength(1);
    expect(synced.body.rejected).toEqual([{ client_record_id: expect.any(String), code: 'not_in_recount' }]);
    const recounted = await complete(recounter, re);
    expect(recounted.body).toMatchObject({ mode: 'recount', audit_id: auditId, audit_status: 'posted' });

    const final = (await call(`/api/reviews/${auditId}`, { auth: admin.token })).body.review;
    expect(final.status).toBe('posted');
    expect(final.items.find((i: { item_code: string }) => i.item_code === 'B')).toMatchObject({
      counted_qty: 12,
      recount: { counted_qty: 10, variance: 0, by: recounter.user.id, session_id: re.session_id },
      decision: 'accept',
      final_qty: 10,
    });
    expect(final.history.map((h: { type: string }) => h.type)).toEqual([
      'completed',
      'decision',
      'decision',
      'recount-started',
      'recount-done',
      'posted',
    ]);
    board.close();
    // The floor's open list is empty again; `all` still has it.
    expect((await call(`/api/reviews?floor=${floor}`, { auth: admin.token })).body.reviews).toEqual([]);
    expect((await call(`/api/reviews?floor=${floor}&status=all`, { auth: admin.token })).body.reviews).toHaveLength(1);
  });

  it('a recount handed to another worker is fenced anew: the old recount lease cannot complete it', async () => {
    const [admin, a, b] = await Promise.all([adminSession(), signup(), signup()]);
    const { floor, racks } = await stockedFloor(admin, 1, { A: 4 });
    const rack = racks[0] as string;
    await call(`/api/warehouse/floors/${floor}/review`, { auth: admin.token, method: 'PUT', json: { qty: 0 } });
    const first = await claim(a, rack, floor);
    await scan(a, first, { A: 1 });
    const auditId = (await complete(a, first)).body.audit_id as string;
    await decide(admin, auditId, 'A', { decision: 'recount' });
    const re = await claim(a, rack, floor);
    await scan(a, re, { A: 9 });
    const handed = await call(`/api/racks/${rack}/handoff`, {
      auth: admin.token,
      json: { to_user_id: b.user.id, reason: 'shift change' },
    });
    expect(handed.status, JSON.stringify(handed.body)).toBe(200);
    expect(handed.body).toMatchObject({ mode: 'recount', audit_id: auditId, holder: b.user.id });
    expect(handed.body.records.map((r: { item_code: string }) => r.item_code)).toEqual(['A']);
    expectError(await complete(a, re), 409, 'stale_fencing_token');
    const done = await complete(b, {
      ...re,
      session_id: handed.body.session_id,
      fencing_token: handed.body.fencing_token,
    });
    expect(done.body).toMatchObject({ mode: 'recount', audit_status: 'needs_review' });
    const review = (await call(`/api/reviews/${auditId}`, { auth: admin.token })).body.review;
    expect(review.items[0].recount).toMatchObject({ counted_qty: 9, session_id: handed.body.session_id });
  });
});
