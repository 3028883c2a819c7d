/** Reads of a rack have no side effect: only a write binds the object to its rack and stores the layout's word on it. */
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { call, signup } from '../../support/workers.ts';
import { rackStub } from '../../support/racks.ts';

/** The keys the object has stored (its key-value rows; none before the table's first write). */
const storedKeys = (rackId: string) =>
  runInDurableObject(rackStub(rackId), (_instance, state) => {
    const sql = state.storage.sql;
    if (sql.exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kv'`).toArray().length === 0) return [];
    return sql
      .exec<{ k: string }>(`SELECT k FROM kv`)
      .toArray()
      .map((r) => r.k);
  });

/** The object's own tables (created on the first write, so none after reads only). */
const storedTables = (rackId: string) =>
  runInDurableObject(rackStub(rackId), (_instance, state) =>
    state.storage.sql
      .exec<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`)
      .toArray()
      .map((r) => r.name)
      .filter((n) => !n.startsWith('sqlite_') && !n.startsWith('_cf_')),
  );

describe('rack reads', () => {
  it('status, session, conflicts and history answer from the layout without binding or storing anything', async () => {
    const who = await signup();
    const status = await call('/api/racks/F11/status', { auth: who.token });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ rack_id: 'F11', floor: 'first', status: 'available' });
    expect(status.body.item_estimate).toBeGreaterThan(0);
    expect((await call('/api/racks/F11/conflicts', { auth: who.token })).status).toBe(403);
    expect(await rackStub('F11').userSessions('F11', who.user.id)).toEqual([]);
    expect(await rackStub('F11').session('F11', 'F11:1')).toBeNull();

    expect((await rackStub('F11').inspect()).rackId).toBeNull();
    expect(await storedKeys('F11')).toEqual([]);
    expect(await storedTables('F11')).toEqual([]);

    // A claim is a write: it binds the object and stores its config.
    expect((await call('/api/racks/F11/claim', { auth: who.token, json: { floor: 'first' } })).status).toBe(200);
    expect((await rackStub('F11').inspect()).rackId).toBe('F11');
    expect(await storedKeys('F11')).toEqual(expect.arrayContaining(['rackId', 'floorId', 'config']));
  });

  it('a rack the layout does not have is not found, and nothing is stored', async () => {
    const who = await signup();
    const status = await call('/api/racks/Z99/status', { auth: who.token });
    expect(status.status).toBe(404);
    expect(status.body.error.code).toBe('rack_not_found');
    expect(await storedKeys('Z99')).toEqual([]);
    expect(await storedTables('Z99')).toEqual([]);
  });
});
