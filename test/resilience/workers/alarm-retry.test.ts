/**
 * An alarm handler that throws on its first 3 attempts still completes, and
 * its effect happens exactly once. Faults are injected with the base object's
 * test-only hook (`testAlarmFaults`), and the runtime's own alarm retries
 * drive the attempts: nothing here calls the alarm by hand until the end,
 * where an extra run must change nothing.
 */
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { KeeptimeObject } from '../../../durable-objects/platform/object.ts';
import type { OutboxRow } from '../../../durable-objects/platform/outbox.ts';
import type { Rack } from '../../../worker/index.ts';
import { freshRack, openWs, record } from '../../support/racks.ts';
import { rackStub } from '../../support/stubs.ts';
import { scaled } from '../../support/time-scale.ts';
import { call, signup, sleep } from '../../support/workers.ts';

type Fault = NonNullable<KeeptimeObject['testAlarmFaults']>;

/** Arms the fault hook and records every outbox row the object drains (in this isolate). */
async function instrument(rackId: string, fault: Fault): Promise<{ fault: Fault; drained: OutboxRow[] }> {
  const drained: OutboxRow[] = [];
  await runInDurableObject(rackStub(rackId), (instance: Rack) => {
    instance.testAlarmFaults = fault;
    const hooks = instance as unknown as { onMirrored(rows: OutboxRow[]): Promise<void> | void };
    const original = hooks.onMirrored.bind(instance);
    hooks.onMirrored = (rows) => {
      drained.push(...rows);
      return original(rows);
    };
  });
  return { fault, drained };
}

async function until<T>(
  what: string,
  probe: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  quietMs = 30_000,
): Promise<T> {
  const timeoutMs = scaled(quietMs);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

const kinds = (rows: OutboxRow[]) => rows.map((r) => r.kind);

describe('an alarm handler that throws on its first 3 attempts', () => {
  for (const when of ['before', 'after'] as const) {
    it(`a rack's lease expiry still happens, exactly once (the handler throws ${when} its work)`, async () => {
      const rackId = when === 'before' ? 'F10' : 'F11';
      await freshRack(rackId, { ttlMs: 250, pauseHoldMs: 500 });
      const user = await signup();
      const socket = await openWs(`/api/racks/${rackId}/ws`, user.token, 'rack-status');
      const { fault, drained } = await instrument(rackId, { kind: 'boundary', when, remaining: 3 });
      const claim = await call(`/api/racks/${rackId}/claim`, { auth: user.token, json: { floor: 'first' } });
      expect(claim.status, JSON.stringify(claim.body)).toBe(200);
      const lease = claim.body as { session_id: string; fencing_token: number; expires_at: number };

      const lost = await socket.next('lease-lost', scaled(30_000));
      expect(lost).toMatchObject({
        session_id: lease.session_id,
        fencing_token: lease.fencing_token,
        reason: 'expired',
      });
      // Every injected failure was used up: the handler really failed 3 times before it completed.
      await until('the 3 injected failures', () => fault.remaining === 0);
      await until('the expiry mirrored', () => kinds(drained).includes('rack.expired'));
      await sleep(300); // room for any (wrong) repeat to show up

      const state = await rackStub(rackId).inspect();
      expect(state).toMatchObject({ lease: null, boundary: null, lastToken: lease.fencing_token });
      expect(socket.log.filter((m) => m.type === 'lease-lost')).toHaveLength(1);
      const expired = drained.filter((r) => r.kind === 'rack.expired');
      expect(expired).toHaveLength(1);
      expect(expired[0]?.payload).toMatchObject({ session: { session_id: lease.session_id, status: 'expired' } });
      expect(new Set(drained.map((r) => r.eventId)).size).toBe(drained.length);
      const session = await call(`/api/rack-sessions/${lease.session_id}`, { auth: user.token });
      expect(session.body.session).toMatchObject({ status: 'expired', ended_at: lease.expires_at });
      const mine = await rackStub(rackId).userSessions(rackId, user.user.id);
      expect(mine.filter((s) => s.session_id === lease.session_id)).toHaveLength(1);

      // An extra (at-least-once) alarm run changes nothing.
      await runDurableObjectAlarm(rackStub(rackId));
      await sleep(100);
      expect(socket.log.filter((m) => m.type === 'lease-lost')).toHaveLength(1);
      expect(drained.filter((r) => r.kind === 'rack.expired')).toHaveLength(1);
      expect((await rackStub(rackId).inspect()).lastToken).toBe(lease.fencing_token);
      socket.close();
    });
  }

  it('the outbox drain still delivers every row, each exactly once', async () => {
    const rackId = 'F12';
    await freshRack(rackId, { ttlMs: 60_000, pauseHoldMs: 600_000 });
    const user = await signup();
    const claim = await call(`/api/racks/${rackId}/claim`, { auth: user.token, json: { floor: 'first' } });
    expect(claim.status, JSON.stringify(claim.body)).toBe(200);
    await until('the claim drained', async () => (await rackStub(rackId).inspect()).pending === 0);
    const { fault, drained } = await instrument(rackId, { kind: 'outbox', when: 'before', remaining: 3 });
    const lease = { session_id: claim.body.session_id as string, fencing_token: claim.body.fencing_token as number };
    const records = [record({ item_code: 'F12-ITEM1' }), record({ item_code: 'F12-ITEM2' })];
    const sync = await call('/api/sync/batch', { auth: user.token, json: { ...lease, records } });
    expect(sync.body).toMatchObject({ accepted: records.map((r) => r.client_record_id) });
    expect((await call(`/api/racks/${rackId}/release`, { auth: user.token, json: lease })).status).toBe(200);

    await until('the 3 injected failures', () => fault.remaining === 0);
    await until('both rows drained', () => drained.length >= 2);
    await sleep(300);
    expect((await rackStub(rackId).inspect()).pending).toBe(0);
    expect(kinds(drained)).toEqual(['rack.batch', 'rack.released']);
    expect(new Set(drained.map((r) => r.eventId)).size).toBe(2);
    expect(
      (drained[0]!.payload as { records: Array<{ clientRecordId: string }> }).records.map((r) => r.clientRecordId),
    ).toEqual(records.map((r) => r.client_record_id));
    expect(
      (await runInDurableObject(rackStub(rackId), (instance: Rack) => instance.outboxState())).deadLetters,
    ).toEqual([]);
  });
});
