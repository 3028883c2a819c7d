/**
 * Variance review through the real mirrors (issue 15): an audit's decisions and its recount, made while Postgres is
 * unreachable, land in rack_audit_history exactly once each after the retries, and rack_audits ends `posted` with
 * the recount beside the first count. A second drain adds nothing.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanRecord } from '../../support/builders.ts';
import { type Harness, member, sleep, startHarness, waitFor } from '../../support/live/harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

type User = { token: string; id: string };
interface Lease {
  session_id: string;
  fencing_token: number;
}

const lease = (l: Lease) => ({ session_id: l.session_id, fencing_token: l.fencing_token });

async function claim(who: User, rackId: string, floor: string): Promise<Lease & { mode: string }> {
  const r = await h.api('POST', `/api/racks/${rackId}/claim`, { floor }, who.token);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return r.json;
}

async function scan(who: User, l: Lease, counts: Record<string, number>) {
  const records = Object.entries(counts).map(([item_code, verified_qty]) =>
    scanRecord({ item_code, verified_qty, created_at: Date.now() - 1000 }),
  );
  const r = await h.api('POST', '/api/sync/batch', { ...lease(l), records }, who.token);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
}

async function complete(who: User, l: Lease) {
  const r = await h.api(
    'POST',
    `/api/rack-sessions/${l.session_id}/complete`,
    { fencing_token: l.fencing_token },
    who.token,
  );
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return r.json;
}

async function history(auditId: string) {
  const { rows } = await h.db.execute<{ seq: number; type: string; item_code: string | null; decision: string | null }>(
    sql`select seq, type, item_code, decision from rack_audit_history where audit_id = ${auditId} order by seq`,
  );
  return rows.map((r) => ({ seq: Number(r.seq), type: r.type, item_code: r.item_code, decision: r.decision }));
}

async function audit(auditId: string) {
  const { rows } = await h.db.execute<{ status: string; version: number; items: Array<Record<string, unknown>> }>(
    sql`select status, version, items from rack_audits where audit_id = ${auditId}`,
  );
  return rows[0] ?? null;
}

describe('review decisions and recounts mirrored to Postgres', () => {
  it('land exactly once each after an outage, and the audit row ends posted', async () => {
    const [a, b] = await Promise.all([member(h, 'review-a'), member(h, 'review-b')]);
    const floor = `rv-${Date.now().toString(36)}`;
    const rack = `RV${Date.now().toString(36).toUpperCase()}`;
    const imported = await h.api(
      'POST',
      '/api/warehouse/import?mode=replace',
      {
        csv: `floor,rack,item_code,description,expected_qty,serials\n${floor},${rack},A,,5,\n${floor},${rack},B,,5,\n`,
      },
      h.adminToken,
    );
    expect(imported.status, JSON.stringify(imported.json)).toBe(200);
    const set = await h.api('PUT', `/api/warehouse/floors/${floor}/review`, { qty: 1 }, h.adminToken);
    expect(set.status, JSON.stringify(set.json)).toBe(200);

    const first = await claim(a, rack, floor);
    await scan(a, first, { A: 1, B: 9 });
    const done = await complete(a, first);
    expect(done).toMatchObject({ audit_status: 'needs_review', flagged: ['A', 'B'] });
    const auditId = done.audit_id as string;

    await h.relay.stop();
    try {
      const over = await h.api(
        'POST',
        `/api/reviews/${auditId}/items/A`,
        { decision: 'override', qty: 5, reason: 'found behind the shelf' },
        h.adminToken,
      );
      expect(over.status, JSON.stringify(over.json)).toBe(200);
      // A retried decision is answered again but journaled once.
      const retry = await h.api(
        'POST',
        `/api/reviews/${auditId}/items/A`,
        { decision: 'override', qty: 5, reason: 'found behind the shelf' },
        h.adminToken,
      );
      expect(retry.status).toBe(200);
      const rc = await h.api(
        'POST',
        `/api/reviews/${auditId}/items/B`,
        { decision: 'recount', assignee: b.id },
        h.adminToken,
      );
      expect(rc.status, JSON.stringify(rc.json)).toBe(200);
      const re = await claim(b, rack, floor);
      expect(re.mode).toBe('recount');
      await scan(b, re, { B: 5 });
      expect(await complete(b, re)).toMatchObject({ mode: 'recount', audit_status: 'posted' });
      await waitFor('a failed drain in the logs', async () => h.worker.logs().includes('outbox drain failed'), 30_000);
      // Nothing after the completion has landed yet.
      expect((await history(auditId)).filter((r) => r.type !== 'completed')).toEqual([]);
    } finally {
      await h.relay.start();
    }
    await sleep(2_500);
    expect((await h.api('POST', '/api/ops/outbox/kick', undefined, h.adminToken)).status).toBe(200);
    const row = await waitFor(
      'the posted audit in Postgres',
      async () => {
        const r = await audit(auditId);
        return r?.status === 'posted' ? r : null;
      },
      60_000,
      500,
    );
    const expected = [
      { seq: 1, type: 'completed', item_code: null, decision: null },
      { seq: 2, type: 'decision', item_code: 'A', decision: 'override' },
      { seq: 3, type: 'decision', item_code: 'B', decision: 'recount' },
      { seq: 4, type: 'recount-started', item_code: null, decision: null },
      { seq: 5, type: 'recount-done', item_code: null, decision: null },
      { seq: 6, type: 'posted', item_code: null, decision: null },
    ];
    expect(await waitFor('six history rows', async () => ((await history(auditId)).length >= 6 ? true : null))).toBe(
      true,
    );
    expect(await history(auditId)).toEqual(expected);
    expect(row.items.find((i) => i.item_code === 'B')).toMatchObject({
      counted_qty: 9,
      recount: { counted_qty: 5 },
      decision: 'accept',
      final_qty: 5,
    });
    expect(row.items.find((i) => i.item_code === 'A')).toMatchObject({ decision: 'override', final_qty: 5 });
    // Another drain lands nothing twice and rolls nothing back.
    await h.api('POST', '/api/ops/outbox/kick', undefined, h.adminToken);
    await sleep(1_500);
    expect(await history(auditId)).toEqual(expected);
    expect((await audit(auditId))?.version).toBe(row.version);
  });
});
