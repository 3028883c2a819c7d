/**
 * Floor webhooks against the real local receiver: admins register on a floor; a rack's claim, completed audit and
 * lost lease reach the floor's endpoints through the rack's floor notes (not the Postgres outbox); a retried
 * Rack→Floor flush queues nothing twice.
 */
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { KeeptimeObject } from '../../../durable-objects/platform/object.ts';
import {
  type Session,
  adminSession,
  call,
  createRoom,
  createTimer,
  expectError,
  ownerDoes,
  roomStub,
  signup,
  sleep,
  unique,
} from '../../support/workers.ts';
import { alarmAt } from '../../support/clock.ts';
import { RECEIVER, type Received, received, waitFor } from '../../support/webhook-receiver-client.ts';
import { floorStub, freshRack, rackStub, record } from '../../support/racks.ts';

type Event = { type: string; data: Record<string, unknown>; id: string };

/** The events among `got` about `rackId` (other tests' racks share the floor). */
const aboutRack = (got: Received[], rackId: string): Event[] =>
  got
    .map((r) => ({ ...(JSON.parse(r.body) as Omit<Event, 'id'>), id: r.headers['webhook-id'] as string }))
    .filter((e) => e.data.rackId === rackId);

/** What the endpoint `key` received about `rackId`. */
const eventsOf = async (key: string, rackId: string): Promise<Event[]> => aboutRack(await received(key), rackId);

async function waitEvents(key: string, rackId: string, n: number, ms = 8000): Promise<Event[]> {
  return aboutRack(await waitFor(key, (r) => aboutRack(r, rackId).length >= n, ms), rackId);
}

async function register(admin: Session, floor: string, key: string, events: string[]): Promise<string> {
  const a = await call(`/api/floors/${floor}/webhooks`, {
    auth: admin.token,
    json: { url: `${RECEIVER}/hook/${key}`, events },
  });
  expect(a.status, JSON.stringify(a.body)).toBe(201);
  return a.body.webhook.id as string;
}

const ALL = ['rack.claimed', 'rack.lease_lost', 'audit.completed', 'conflict.opened', 'conflict.resolved'];

describe('floor webhooks', () => {
  it('admins only; a floor by id or name; an unknown floor is 404', async () => {
    const [admin, member] = await Promise.all([adminSession(), signup()]);
    const key = unique('floor-reg');
    const id = await register(admin, 'First', key, ['rack.claimed']);
    const list = await call('/api/floors/first/webhooks', { auth: admin.token });
    expect(list.body.webhooks.map((w: { id: string }) => w.id)).toContain(id);
    expectError(await call('/api/floors/first/webhooks', { auth: member.token }), 403, 'forbidden');
    expectError(
      await call('/api/floors/first/webhooks', {
        auth: member.token,
        json: { url: `${RECEIVER}/hook/${key}`, events: ['rack.claimed'] },
      }),
      403,
      'forbidden',
    );
    expectError(await call('/api/floors/basement/webhooks', { auth: admin.token }), 404, 'floor_not_found');
    expectError(
      await call('/api/floors/first/webhooks', {
        auth: admin.token,
        json: { url: `${RECEIVER}/hook/${key}`, events: ['timer.started'] },
      }),
      400,
      'validation_failed',
    );
    expect((await call(`/api/floors/first/webhooks/${id}`, { auth: admin.token, method: 'DELETE' })).status).toBe(204);
  });

  it('a claim sends rack.claimed and a completed audit sends audit.completed, with the holder and the summary', async () => {
    await freshRack('F05');
    const [admin, worker] = await Promise.all([adminSession(), signup({ name: 'Wanda' })]);
    const key = unique('floor-claim');
    const hook = await register(admin, 'first', key, ALL);
    const lease = await call('/api/racks/F05/claim', { auth: worker.token, json: { floor: 'first' } });
    expect(lease.status).toBe(200);
    const [claimed] = await waitEvents(key, 'F05', 1);
    expect(claimed).toMatchObject({
      type: 'rack.claimed',
      data: {
        rackId: 'F05',
        floor: 'first',
        holderId: worker.user.id,
        holderName: 'Wanda',
        sessionId: lease.body.session_id,
        fencingToken: lease.body.fencing_token,
      },
    });
    expect(JSON.stringify(claimed)).not.toContain(worker.token);

    const done = await call(`/api/rack-sessions/${lease.body.session_id}/complete`, { auth: worker.token, json: {} });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const both = await waitEvents(key, 'F05', 2);
    expect(both[1]).toMatchObject({
      type: 'audit.completed',
      data: { rackId: 'F05', sessionId: lease.body.session_id, summary: { expected: expect.any(Number), scanned: 0 } },
    });
    expect(both[1]?.id).not.toBe(both[0]?.id);
    const log = await call(`/api/floors/first/webhooks/${hook}/deliveries`, { auth: admin.token });
    expect(log.body.deliveries.filter((d: { status: string }) => d.status === 'delivered').length).toBeGreaterThan(1);
    await call(`/api/floors/first/webhooks/${hook}`, { auth: admin.token, method: 'DELETE' });
  });

  it('a lease that expires sends rack.lease_lost (reason expired)', async () => {
    await freshRack('F06');
    const [admin, worker] = await Promise.all([adminSession(), signup()]);
    const key = unique('floor-expiry');
    const hook = await register(admin, 'first', key, ['rack.lease_lost']);
    const lease = await call('/api/racks/F06/claim', { auth: worker.token, json: { floor: 'first' } });
    expect(lease.status).toBe(200);
    await alarmAt(rackStub('F06'), lease.body.expires_at + 10);
    // The expiry left a note for the floor, due now: the rack's next alarm hands it over.
    await runDurableObjectAlarm(rackStub('F06'));
    const [lost] = await waitEvents(key, 'F06', 1);
    expect(lost).toMatchObject({
      type: 'rack.lease_lost',
      data: { rackId: 'F06', holderId: worker.user.id, reason: 'expired', sessionId: lease.body.session_id },
    });
    await call(`/api/floors/first/webhooks/${hook}`, { auth: admin.token, method: 'DELETE' });
  });

  it('a batch that opens a conflict sends conflict.opened; resolving it sends conflict.resolved', async () => {
    await freshRack('F08');
    const [admin, ann, bob] = await Promise.all([adminSession(), signup({ name: 'Ann' }), signup({ name: 'Bob' })]);
    const key = unique('floor-conflict');
    const hook = await register(admin, 'first', key, ['conflict.opened', 'conflict.resolved']);
    const claimOf = async (who: Session) => {
      const a = await call('/api/racks/F08/claim', { auth: who.token, json: { floor: 'first' } });
      expect(a.status, JSON.stringify(a.body)).toBe(200);
      return { session_id: a.body.session_id as string, fencing_token: a.body.fencing_token as number };
    };
    const la = await claimOf(ann);
    const first = await call('/api/sync/batch', {
      auth: ann.token,
      json: { ...la, records: [record({ item_code: 'F08-ITEM1', verified_qty: 1 })] },
    });
    expect(first.body.accepted).toHaveLength(1);
    await call('/api/racks/F08/release', { auth: ann.token, json: la });
    const lb = await claimOf(bob);
    const refused = record({ item_code: 'F08-ITEM1', verified_qty: 5 });
    const w = await call('/api/sync/batch', { auth: bob.token, json: { ...lb, records: [refused] } });
    expect(w.body.conflicts).toHaveLength(1);
    const [opened] = await waitEvents(key, 'F08', 1);
    expect(opened).toMatchObject({
      type: 'conflict.opened',
      data: {
        rackId: 'F08',
        holderId: bob.user.id,
        count: 1,
        conflicts: [{ id: refused.client_record_id, itemCode: 'F08-ITEM1', userId: bob.user.id }],
      },
    });
    const r = await call(`/api/racks/F08/conflicts/${encodeURIComponent(refused.client_record_id)}/resolve`, {
      auth: bob.token,
      json: { choice: 'mine' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const both = await waitEvents(key, 'F08', 2);
    expect(both[1]).toMatchObject({
      type: 'conflict.resolved',
      data: { rackId: 'F08', conflict: { id: refused.client_record_id }, choice: 'mine', resolvedBy: bob.user.id },
    });
    await call(`/api/floors/first/webhooks/${hook}`, { auth: admin.token, method: 'DELETE' });
  });

  it('a Rack→Floor flush retried after a lost answer queues each event id once', async () => {
    const admin = await adminSession();
    const key = unique('floor-dupe');
    const hook = await register(admin, 'first', key, ['rack.claimed']);
    const rackId = unique('ZZ');
    const note = { id: `evt_rack_${rackId}_1`, type: 'rack.claimed', data: { rackId, floor: 'first' }, at: Date.now() };
    await floorStub('first').rackWebhookEvents('first', [note]);
    await floorStub('first').rackWebhookEvents('first', [note, { ...note, id: `evt_rack_${rackId}_2` }]);
    const got = await waitEvents(key, rackId, 2);
    await sleep(300);
    const settled = await eventsOf(key, rackId);
    expect(settled.map((e) => e.id)).toEqual([`evt_rack_${rackId}_1`, `evt_rack_${rackId}_2`]);
    expect(got).toHaveLength(2);
    const log = await call(`/api/floors/first/webhooks/${hook}/deliveries`, { auth: admin.token });
    expect(log.body.deliveries).toHaveLength(2);
    await call(`/api/floors/first/webhooks/${hook}`, { auth: admin.token, method: 'DELETE' });
  });

  describe('across a Postgres outage (the mirror drain fails every time)', () => {
    // biome-ignore lint/suspicious/noExplicitAny: a rack's or a room's stub
    type Stub = DurableObjectStub<KeeptimeObject<any, any>>;
    const holdOutbox = (stub: Stub, hold: boolean) =>
      runInDurableObject(stub, (instance: KeeptimeObject) => {
        instance.testAlarmFaults = hold ? { kind: 'outbox', when: 'before', remaining: 1_000 } : null;
      });
    const outboxRows = (stub: Stub) =>
      runInDurableObject(
        stub,
        (_i, state) => state.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM outbox`).toArray()[0]?.n ?? 0,
      );

    it('a rack claim still reaches the floor webhook while its history rows wait', async () => {
      await freshRack('F07');
      const [admin, worker] = await Promise.all([adminSession(), signup()]);
      const key = unique('floor-outage');
      const hook = await register(admin, 'first', key, ['rack.claimed']);
      await holdOutbox(rackStub('F07'), true);
      try {
        const lease = await call('/api/racks/F07/claim', { auth: worker.token, json: { floor: 'first' } });
        expect(lease.status).toBe(200);
        const [claimed] = await waitEvents(key, 'F07', 1);
        expect(claimed?.data.sessionId).toBe(lease.body.session_id);
        expect(await outboxRows(rackStub('F07'))).toBeGreaterThan(0);
      } finally {
        await holdOutbox(rackStub('F07'), false);
        await call(`/api/floors/first/webhooks/${hook}`, { auth: admin.token, method: 'DELETE' });
      }
    });

    it('a room timer start still reaches the room webhook while its history rows wait', async () => {
      const owner = await signup();
      const room = await createRoom(owner);
      const t = await createTimer(room);
      const key = unique('room-outage');
      const made = await call(`/api/rooms/${room.id}/webhooks`, {
        auth: owner.token,
        json: { url: `${RECEIVER}/hook/${key}`, events: ['timer.started'] },
      });
      expect(made.status).toBe(201);
      await holdOutbox(roomStub(room.id), true);
      try {
        await ownerDoes(room, `/timers/${t.id}/start`);
        const got = await waitFor(key, (r) => r.length > 0);
        expect(got.map((r) => JSON.parse(r.body).type)).toEqual(['timer.started']);
        expect(await outboxRows(roomStub(room.id))).toBeGreaterThan(0);
      } finally {
        await holdOutbox(roomStub(room.id), false);
      }
    });
  });
});
