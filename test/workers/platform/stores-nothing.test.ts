/**
 * Issue 11, "anonymous look-ups create objects": a look-up that finds nothing (an unknown room id, a login with an
 * unknown email, the session of a user who never started one) leaves no table and no row in the object it asked,
 * because the platform's tables are created on the first write (durable-objects/platform/lazy-tables.ts).
 */
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { call, freshIp, signup, unique } from '../../support/workers.ts';

/** The user tables an object holds (SQLite's and the runtime's own tables aside), and its database size. */
async function stored(stub: DurableObjectStub): Promise<{ tables: string[]; rows: number }> {
  return runInDurableObject(stub, (_o, state: DurableObjectState) => {
    const sql = state.storage.sql;
    const tables = sql
      .exec<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`)
      .toArray()
      .map((t) => t.name)
      .filter((n) => !n.startsWith('_cf_') && !n.startsWith('sqlite_'));
    let rows = 0;
    for (const t of tables) rows += sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM "${t}"`).one().n;
    return { tables, rows };
  });
}

const randomRoomId = () =>
  [...crypto.getRandomValues(new Uint8Array(10))].map((b) => b.toString(16).padStart(2, '0')).join('');

describe('anonymous look-ups store nothing', () => {
  it('GET /api/rooms/<random> (and its socket) leave the room object empty', async () => {
    const id = randomRoomId();
    expect((await call(`/api/rooms/${id}`)).status).toBe(404);
    expect((await call(`/api/rooms/${id}/ws`, { headers: { Upgrade: 'websocket' } })).status).toBe(404);
    expect(await stored(env.TIMER_ROOM.get(env.TIMER_ROOM.idFromName(id)))).toEqual({ tables: [], rows: 0 });
  });

  it('a login with an unknown email leaves no account object behind', async () => {
    const email = `${unique('nobody')}@example.com`;
    const a = await call('/api/auth/login', {
      json: { email, password: 'wrong-password-1' },
      headers: { 'CF-Connecting-IP': freshIp() },
    });
    expect(a.status).toBe(401);
    expect(await stored(env.ACCOUNT.get(env.ACCOUNT.idFromName(email)))).toEqual({ tables: [], rows: 0 });
  });

  it("reading a user's current session before any start stores nothing in their session object", async () => {
    const user = await signup();
    expect((await call('/api/sessions/current', { auth: user.token })).status).toBeLessThan(300);
    expect(await stored(env.USER_SESSION.get(env.USER_SESSION.idFromName(user.user.id)))).toEqual({
      tables: [],
      rows: 0,
    });
  });

  it('a status read of a rack that does not exist leaves the rack object empty', async () => {
    const user = await signup();
    const rackId = `NOPE-${crypto.randomUUID().slice(0, 8)}`;
    expect((await call(`/api/racks/${rackId}/status`, { auth: user.token })).status).toBe(404);
    expect(await stored(env.RACK.get(env.RACK.idFromName(rackId)))).toEqual({ tables: [], rows: 0 });
  });

  it('a room that was written has its tables (the check above would see them)', async () => {
    const owner = await signup();
    const a = await call('/api/rooms', { json: { name: 'kept' }, auth: owner.token });
    expect(a.status).toBe(201);
    const s = await stored(env.TIMER_ROOM.get(env.TIMER_ROOM.idFromName(a.body.room.id)));
    expect(s.tables).toContain('kv');
    expect(s.rows).toBeGreaterThan(0);
  });
});
