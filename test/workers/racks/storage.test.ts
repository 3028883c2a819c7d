/**
 * A rack's stored audit stays bounded (issue 11, finding 10): items, answered ids, conflicts and sessions are one SQL
 * row each, the audit's items and open conflicts are capped (409 `too_many_items` / `too_many_conflicts`), resolved
 * conflicts go once mirrored, the conflict lists come in pages, and state stored in the old one-value form moves
 * into the tables on the first load.
 */
import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { MAX_AUDIT_ITEMS, MAX_OPEN_CONFLICTS } from '../../../core/racks/batch.ts';
import type { KeeptimeObject } from '../../../durable-objects/platform/object.ts';
import { BATCH_SLICE_CHARS, sliceBatch } from '../../../durable-objects/racks/mirror.ts';
import type { ItemRecord, StoredConflict } from '../../../core/racks/batch.ts';
import { type Session, adminSession, call, expectError, signup } from '../../support/workers.ts';
import { freshRack, rackStub, record } from '../../support/racks.ts';

type Lease = { session_id: string; fencing_token: number };

async function claim(who: Session, rackId: string, floor = 'first'): Promise<Lease> {
  const a = await call(`/api/racks/${rackId}/claim`, { auth: who.token, json: { floor } });
  expect(a.status, JSON.stringify(a.body)).toBe(200);
  return { session_id: a.body.session_id, fencing_token: a.body.fencing_token };
}

async function sync(who: Session, lease: Lease, records: unknown[]) {
  return call('/api/sync/batch', { auth: who.token, json: { ...lease, records } });
}

const code = (rackId: string, i: number) => `${rackId}-ITEM-${String(i).padStart(5, '0')}`;

/** `n` first scans of items `from`…, 100 to a batch. */
async function scanItems(who: Session, lease: Lease, rackId: string, from: number, n: number): Promise<void> {
  for (let i = from; i < from + n; i += 100) {
    const records = Array.from({ length: Math.min(100, from + n - i) }, (_, k) =>
      record({
        item_code: code(rackId, i + k),
        serial_numbers: [`SN-${i + k}-A`, `SN-${i + k}-B`, `SN-${i + k}-C`],
      }),
    );
    const r = await sync(who, lease, records);
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
    expect(r.body.accepted).toHaveLength(records.length);
  }
}

/** Bob rescans items `from`… without having seen Ann's versions: one conflict each. */
async function conflictItems(who: Session, lease: Lease, rackId: string, from: number, n: number): Promise<void> {
  for (let i = from; i < from + n; i += 100) {
    const records = Array.from({ length: Math.min(100, from + n - i) }, (_, k) =>
      record({ item_code: code(rackId, i + k), verified_qty: 7, serial_numbers: [`SN-${i + k}-Z`] }),
    );
    const r = await sync(who, lease, records);
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
    expect(r.body.conflicts).toHaveLength(records.length);
  }
}

/** The largest value the object stores, in bytes: every column of every table of its SQLite. */
function largestStoredValue(rackId: string): Promise<{ bytes: number; where: string }> {
  return runInDurableObject(rackStub(rackId), (_instance, state) => {
    const sql = state.storage.sql;
    const tables = sql
      .exec<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`)
      .toArray()
      .map((t) => t.name)
      .filter((t) => !t.startsWith('sqlite_') && !t.startsWith('_cf_'));
    let best = { bytes: 0, where: '' };
    for (const table of tables) {
      for (const name of sql.exec(`SELECT * FROM "${table}" LIMIT 0`).columnNames) {
        const row = sql
          .exec<{ n: number | null }>(`SELECT max(length(CAST("${name}" AS BLOB))) AS n FROM "${table}"`)
          .toArray()[0];
        if ((row?.n ?? 0) > best.bytes) best = { bytes: row?.n ?? 0, where: `${table}.${name}` };
      }
    }
    return best;
  });
}

/** Holds the outbox rows in storage (its drain fails) so the measurement sees them too; null lets it drain. */
const holdOutbox = (rackId: string, hold: boolean) =>
  runInDurableObject(rackStub(rackId), (instance: KeeptimeObject) => {
    instance.testAlarmFaults = hold ? { kind: 'outbox', when: 'before', remaining: 1_000 } : null;
  });

const tableCount = (rackId: string, table: string) =>
  runInDurableObject(
    rackStub(rackId),
    (_instance, state) => state.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM ${table}`).toArray()[0]?.n,
  );

/** Every page of a conflict list, following nextCursor. */
async function allPages(path: string, token: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const q: string = `${path}${sep}limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const a = await call(q, { auth: token });
    expect(a.status, JSON.stringify(a.body).slice(0, 300)).toBe(200);
    expect(a.body.conflicts.length).toBeLessThanOrEqual(limit);
    for (const c of a.body.conflicts as Array<{ rack_id: string; id: string }>) ids.push(`${c.rack_id}/${c.id}`);
    cursor = a.body.nextCursor;
    pages++;
  } while (cursor !== null && pages < 1_000);
  return { ids, pages };
}

describe('rack storage is bounded', () => {
  it('an audit at the item and conflict caps keeps every stored value under 1 MB; past a cap is 409', async () => {
    const rackId = 'F03';
    await freshRack(rackId);
    const [ann, bob] = await Promise.all([signup({ name: 'Ann' }), signup({ name: 'Bob' })]);
    const la = await claim(ann, rackId);
    await scanItems(ann, la, rackId, 0, MAX_AUDIT_ITEMS);

    // One more distinct item is refused whole, saying the cap; an item already in the audit still syncs.
    const over = await sync(ann, la, [
      record({ item_code: 'F03-ONE-TOO-MANY' }),
      record({ item_code: code(rackId, 1) }),
    ]);
    expectError(over, 409, 'too_many_items');
    expect(over.body.error.message).toContain(String(MAX_AUDIT_ITEMS));
    expect((await sync(ann, la, [record({ item_code: code(rackId, 1), verified_qty: 9 })])).body.accepted).toHaveLength(
      1,
    );
    await call(`/api/racks/${rackId}/release`, { auth: ann.token, json: la });

    const lb = await claim(bob, rackId);
    await conflictItems(bob, lb, rackId, 0, MAX_OPEN_CONFLICTS);
    const tooMany = await sync(bob, lb, [record({ item_code: code(rackId, MAX_OPEN_CONFLICTS), verified_qty: 1 })]);
    expectError(tooMany, 409, 'too_many_conflicts');
    expect(tooMany.body.error.message).toContain(String(MAX_OPEN_CONFLICTS));
    const status = await call(`/api/racks/${rackId}/status`, { auth: bob.token });
    expect(status.body.counts).toMatchObject({ total: MAX_AUDIT_ITEMS, conflicts: MAX_OPEN_CONFLICTS });

    // The completion's summary lists every item: its session row and outbox row are measured too.
    await holdOutbox(rackId, true);
    const done = await call(`/api/rack-sessions/${lb.session_id}/complete`, {
      auth: bob.token,
      json: { fencing_token: lb.fencing_token },
    });
    expect(done.status, JSON.stringify(done.body).slice(0, 300)).toBe(200);
    expect(done.body.total_items).toBe(MAX_AUDIT_ITEMS);
    const largest = await largestStoredValue(rackId);
    console.log(JSON.stringify({ msg: 'largest stored rack value', ...largest }));
    expect(largest.bytes, largest.where).toBeLessThan(1024 * 1024);
    expect(await tableCount(rackId, 'rack_items')).toBe(0);
    await holdOutbox(rackId, false);
    await rackStub(rackId).kick();
  }, 120_000);

  it('the conflict lists come in pages that hold every open conflict exactly once', async () => {
    const [ann, bob] = await Promise.all([signup({ name: 'Ann' }), signup({ name: 'Bob' })]);
    const admin = await adminSession();
    const made: Record<string, number> = { F04: 230, F05: 70 };
    for (const [rackId, n] of Object.entries(made)) {
      await freshRack(rackId);
      const la = await claim(ann, rackId);
      await scanItems(ann, la, rackId, 0, n);
      await call(`/api/racks/${rackId}/release`, { auth: ann.token, json: la });
      const lb = await claim(bob, rackId);
      await conflictItems(bob, lb, rackId, 0, n);
    }

    const f04 = await allPages('/api/racks/F04/conflicts', bob.token, 40);
    expect(f04.pages).toBe(6);
    expect(new Set(f04.ids).size).toBe(230);
    expect(f04.ids).toHaveLength(230);
    const whole = await call('/api/racks/F04/conflicts?limit=500', { auth: bob.token });
    expect(whole.body.nextCursor).toBeNull();
    expect(whole.body.conflicts.map((c: { rack_id: string; id: string }) => `${c.rack_id}/${c.id}`)).toEqual(f04.ids);
    // The default page is 100; empty parameters mean "not given".
    const first = await call('/api/racks/F04/conflicts?limit=&cursor=', { auth: bob.token });
    expect(first.body.conflicts).toHaveLength(100);
    expect(typeof first.body.nextCursor).toBe('string');

    // The floor's pages: every rack's open conflicts, each once, in (detected_at, rack, id) order.
    const floor = await allPages('/api/floors/first/conflicts', admin.token, 33);
    expect(new Set(floor.ids).size).toBe(floor.ids.length);
    const expected: string[] = [];
    for (let i = 1; i <= 12; i++)
      expected.push(...(await allPages(`/api/racks/F${String(i).padStart(2, '0')}/conflicts`, admin.token, 500)).ids);
    expect([...floor.ids].sort()).toEqual([...expected].sort());
    expect(floor.ids.filter((id) => id.startsWith('F04/'))).toHaveLength(230);
    expect(floor.ids.filter((id) => id.startsWith('F05/'))).toHaveLength(70);

    expectError(await call('/api/racks/F04/conflicts?cursor=nope', { auth: bob.token }), 400, 'validation_failed');
    expectError(await call('/api/racks/F04/conflicts?limit=501', { auth: bob.token }), 400, 'validation_failed');
    expectError(await call('/api/floors/first/conflicts?limit=0', { auth: admin.token }), 400, 'validation_failed');
  }, 120_000);

  it('a resolved conflict is listed until its resolution is mirrored, then pruned', async () => {
    const rackId = 'F06';
    await freshRack(rackId);
    const [ann, bob] = await Promise.all([signup({ name: 'Ann' }), signup({ name: 'Bob' })]);
    const la = await claim(ann, rackId);
    await scanItems(ann, la, rackId, 0, 2);
    await call(`/api/racks/${rackId}/release`, { auth: ann.token, json: la });
    const lb = await claim(bob, rackId);
    await conflictItems(bob, lb, rackId, 0, 2);
    const [one, two] = (await call(`/api/racks/${rackId}/conflicts`, { auth: bob.token })).body.conflicts as Array<{
      id: string;
    }>;

    await holdOutbox(rackId, true);
    const r = await call(`/api/racks/${rackId}/conflicts/${encodeURIComponent(one?.id ?? '')}/resolve`, {
      auth: bob.token,
      json: { choice: 'mine' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const listed = async (all: boolean) =>
      (await call(`/api/racks/${rackId}/conflicts${all ? '?all=1' : ''}`, { auth: bob.token })).body.conflicts.map(
        (c: { id: string }) => c.id,
      );
    expect(await listed(false)).toEqual([two?.id]);
    expect((await listed(true)).sort()).toEqual([one?.id, two?.id].sort());
    expect(await tableCount(rackId, 'rack_conflicts')).toBe(2);

    await holdOutbox(rackId, false);
    expect((await rackStub(rackId).kick()).pending).toBe(0);
    expect(await listed(true)).toEqual([two?.id]);
    expect(await tableCount(rackId, 'rack_conflicts')).toBe(1);
    // The open one stays; a second resolve of the pruned one is not found, never applied again.
    expectError(
      await call(`/api/racks/${rackId}/conflicts/${encodeURIComponent(one?.id ?? '')}/resolve`, {
        auth: bob.token,
        json: { choice: 'theirs' },
      }),
      404,
      'conflict_not_found',
    );
  });

  it('state stored as one value each (the old form) moves into the tables on the first load', async () => {
    const rackId = 'F07';
    await freshRack(rackId);
    const ann = await signup({ name: 'Ann' });
    const la = await claim(ann, rackId);
    const now = Date.now();
    const item = {
      clientRecordId: 'old-1',
      itemCode: 'F07-OLD',
      verifiedQty: 2,
      damageQty: 0,
      serialNumbers: ['S1'],
      status: 'verified',
      version: 1,
      sessionId: 'F07:0',
      userId: 'someone',
      fencingToken: 0,
      createdAt: now,
      updatedAt: now,
      syncedAt: now,
    };
    const conflict = {
      clientRecordId: 'old-2',
      itemCode: 'F07-OLD',
      reason: 'stale_base_version',
      record: { ...record({ client_record_id: 'old-2', item_code: 'F07-OLD' }) },
      serverRecord: item,
      userId: 'someone-else',
      sessionId: 'F07:0',
      fencingToken: 0,
      at: now,
      resolution: null,
    };
    const session = {
      session_id: 'F07:0',
      rack_id: rackId,
      floor: 'first',
      user_id: ann.user.id,
      fencing_token: 0,
      status: 'completed',
      started_at: now - 60_000,
      expires_at: null,
      ended_at: now,
      paused_ms: 0,
      summary: null,
    };
    await runInDurableObject(rackStub(rackId), (_instance, state) => {
      const put = (k: string, v: unknown) =>
        state.storage.sql.exec(
          `INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v`,
          k,
          JSON.stringify(v),
        );
      put('batch', { items: { 'F07-OLD': item }, seen: { 'old-1': 'accepted', 'old-2': 'conflict' } });
      put('conflicts', { 'old-2': conflict });
      put('sessions', [session]);
    });
    await evictDurableObject(rackStub(rackId));

    const stored = await runInDurableObject(rackStub(rackId), (_instance, state) =>
      state.storage.sql
        .exec<{ k: string }>(`SELECT k FROM kv`)
        .toArray()
        .map((r) => r.k),
    );
    expect(stored).not.toContain('batch');
    expect(stored).not.toContain('conflicts');
    expect(stored).not.toContain('sessions');
    const status = await call(`/api/racks/${rackId}/status`, { auth: ann.token });
    expect(status.body.counts).toMatchObject({ total: 1, verified: 1, conflicts: 1 });
    const again = await sync(ann, la, [
      record({ client_record_id: 'old-1', item_code: 'F07-OLD' }),
      record({ client_record_id: 'old-2', item_code: 'F07-OLD' }),
    ]);
    expect(again.body.duplicates).toEqual(['old-1', 'old-2']);
    const list = await call(`/api/racks/${rackId}/conflicts`, { auth: ann.token });
    expect(list.body.conflicts.map((c: { id: string }) => c.id)).toEqual(['old-2']);
    expect(await rackStub(rackId).userSessions(rackId, ann.user.id)).toEqual([
      expect.objectContaining({ session_id: 'F07:0', status: 'completed' }),
    ]);
  });

  it('answered ids of the audit in progress are never forgotten; earlier audits keep the newest ones', async () => {
    const rackId = 'F08';
    await freshRack(rackId);
    const ann = await signup({ name: 'Ann' });
    await runInDurableObject(rackStub(rackId), (instance) => {
      (instance as unknown as { caps: { seen: number } }).caps.seen = 3;
    });
    const l1 = await claim(ann, rackId);
    const first = Array.from({ length: 5 }, (_, i) => record({ item_code: code(rackId, i) }));
    expect((await sync(ann, l1, first)).body.accepted).toHaveLength(5);
    // The same batch five times applies once.
    for (let i = 0; i < 5; i++) expect((await sync(ann, l1, first)).body.duplicates).toHaveLength(5);
    const done = await call(`/api/rack-sessions/${l1.session_id}/complete`, { auth: ann.token, json: {} });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    // Of the finished audit's five ids, the newest three are kept.
    expect(await tableCount(rackId, 'rack_answered')).toBe(3);

    const l2 = await claim(ann, rackId);
    const second = Array.from({ length: 6 }, (_, i) => record({ item_code: code(rackId, 10 + i) }));
    expect((await sync(ann, l2, second)).body.accepted).toHaveLength(6);
    expect((await sync(ann, l2, second)).body.duplicates).toHaveLength(6);
    expect((await sync(ann, l2, first.slice(2))).body.duplicates).toHaveLength(3);
    expect(await tableCount(rackId, 'rack_answered')).toBe(9);
  });

  it('a batch is journaled in slices of bounded size, in order, losing nothing', () => {
    const serials = Array.from({ length: 1000 }, (_, i) => `SERIAL-${'x'.repeat(50)}-${i}`);
    const item = (i: number) => ({ itemCode: `I${i}`, serialNumbers: serials }) as unknown as ItemRecord;
    const records = Array.from({ length: 20 }, (_, i) => item(i));
    const conflicts = Array.from(
      { length: 30 },
      (_, i) => ({ clientRecordId: `c${i}`, serverRecord: item(i) }) as unknown as StoredConflict,
    );
    const slices = sliceBatch(records, conflicts);
    expect(slices.length).toBeGreaterThan(5);
    for (const part of slices) expect(JSON.stringify(part).length).toBeLessThan(BATCH_SLICE_CHARS + 100_000);
    expect(slices.flatMap((p) => p.records)).toEqual(records);
    expect(slices.flatMap((p) => p.conflicts)).toEqual(conflicts);
    expect(sliceBatch([], [])).toEqual([{ records: [], conflicts: [] }]);
  });
});
