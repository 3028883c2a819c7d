/**
 * Room webhooks against a real local receiver (test/support/webhook-receiver.ts): registration and its checks,
 * Standard Webhooks signatures, in-order retries with backoff, redelivery with the same id, the failure run that
 * disables an endpoint, and the delivery log.
 */
import { runDurableObjectAlarm } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import {
  call,
  createRoom,
  createTimer,
  expectError,
  openSocket,
  ownerDoes,
  roomStub,
  signup,
  sleep,
  unique,
} from '../../support/workers.ts';
import { RECEIVER, type Received, received, waitFor } from '../../support/webhook-receiver-client.ts';

/** Verifies a delivery as a receiver would (Standard Webhooks, v1 HMAC-SHA256). */
async function verifies(secret: string, r: Received, body = r.body): Promise<boolean> {
  const key = await crypto.subtle.importKey(
    'raw',
    Uint8Array.from(atob(secret.slice('whsec_'.length)), (c) => c.charCodeAt(0)),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const signed = `${r.headers['webhook-id']}.${r.headers['webhook-timestamp']}.${body}`;
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(signed));
  const expected = `v1,${btoa(String.fromCharCode(...new Uint8Array(mac)))}`;
  return (r.headers['webhook-signature'] ?? '').split(' ').includes(expected);
}

async function register(room: Awaited<ReturnType<typeof createRoom>>, url: string, events: string[]) {
  const a = await call(`/api/rooms/${room.id}/webhooks`, { auth: room.owner.token, json: { url, events } });
  expect(a.status, JSON.stringify(a.body)).toBe(201);
  return a.body as { webhook: { id: string; url: string; events: string[]; enabled: boolean }; secret: string };
}

/** Moves the room's clock forward and runs its alarm (the retry backoff is minutes to hours). */
async function later(roomId: string, ms: number): Promise<void> {
  const stub = roomStub(roomId);
  const now = await stub.testClockTo(0);
  await stub.testClockTo(now + ms);
  await runDurableObjectAlarm(stub);
}

describe('room webhooks', () => {
  it('registers for the owner only, with clear refusals for bad URLs and events', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const key = unique('reg');
    const made = await register(room, `${RECEIVER}/hook/${key}`, ['timer.started', 'timer.finished']);
    expect(made.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(made.webhook).toMatchObject({ enabled: true, events: ['timer.started', 'timer.finished'] });
    const list = await call(`/api/rooms/${room.id}/webhooks`, { auth: owner.token });
    expect(list.body.webhooks).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(made.secret);

    const other = await signup();
    expectError(await call(`/api/rooms/${room.id}/webhooks`, { auth: other.token }), 403, 'forbidden');
    // A share link never manages webhooks (403, as on every owner route); nobody at all is 401.
    expectError(await call(`/api/rooms/${room.id}/webhooks?token=${room.links.controller}`), 403, 'forbidden');
    expectError(await call(`/api/rooms/${room.id}/webhooks`), 401, 'unauthenticated');
    // A retried create (same Idempotency-Key) answers the first endpoint and secret; another body is refused.
    const body = { url: `${RECEIVER}/hook/${key}-2`, events: ['timer.paused'] };
    const once = await call(`/api/rooms/${room.id}/webhooks`, {
      auth: owner.token,
      json: body,
      headers: { 'Idempotency-Key': key },
    });
    const twice = await call(`/api/rooms/${room.id}/webhooks`, {
      auth: owner.token,
      json: body,
      headers: { 'Idempotency-Key': key },
    });
    expect(twice.body).toEqual(once.body);
    const reused = await call(`/api/rooms/${room.id}/webhooks`, {
      auth: owner.token,
      json: { ...body, events: ['timer.started'] },
      headers: { 'Idempotency-Key': key },
    });
    expectError(reused, 422, 'idempotency_key_reused');
    expect(
      (await call(`/api/rooms/${room.id}/webhooks/${once.body.webhook.id}`, { auth: owner.token, method: 'DELETE' }))
        .status,
    ).toBe(204);
    for (const url of ['ftp://example.com/x', 'http://example.com/x', 'https://10.0.0.8/x', 'https://[fd00::1]/x']) {
      const a = await call(`/api/rooms/${room.id}/webhooks`, {
        auth: owner.token,
        json: { url, events: ['timer.started'] },
      });
      expectError(a, 400, 'validation_failed');
    }
    const badEvent = await call(`/api/rooms/${room.id}/webhooks`, {
      auth: owner.token,
      json: { url: `${RECEIVER}/hook/x`, events: ['timer.exploded'] },
    });
    expectError(badEvent, 400, 'validation_failed');
    expect(JSON.stringify(badEvent.body)).toContain('timer.started');
    expect((await call(`/api/rooms/${room.id}/webhooks`, { auth: owner.token })).body.webhooks).toHaveLength(1);
    expectError(
      await call(`/api/rooms/${room.id}/webhooks/wh_${'0'.repeat(24)}/deliveries`, { auth: owner.token }),
      404,
      'webhook_not_found',
    );
  });

  it('delivers signed events; a tampered body fails verification; the log shows status and latency', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const t = await createTimer(room, { label: 'Keynote' });
    const key = unique('sig');
    const { webhook, secret } = await register(room, `${RECEIVER}/hook/${key}`, ['timer.started', 'timer.paused']);
    await ownerDoes(room, `/timers/${t.id}/start`);
    await ownerDoes(room, `/timers/${t.id}/pause`);
    const got = await waitFor(key, (r) => r.length >= 2);
    const bodies = got.map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => b.type)).toEqual(['timer.started', 'timer.paused']);
    expect(bodies[0].data).toMatchObject({ roomId: room.id, timerId: t.id, label: 'Keynote', resumed: false });
    for (const r of got) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(Math.abs(Number(r.headers['webhook-timestamp']) * 1000 - r.at)).toBeLessThan(10_000);
      expect(await verifies(secret, r)).toBe(true);
      expect(await verifies(secret, r, r.body.replace('Keynote', 'Keyn0te'))).toBe(false);
    }
    expect(got[0]?.headers['webhook-id']).not.toBe(got[1]?.headers['webhook-id']);

    const log = await call(`/api/rooms/${room.id}/webhooks/${webhook.id}/deliveries`, { auth: owner.token });
    expect(log.body.deliveries).toHaveLength(2);
    expect(log.body.deliveries[0]).toMatchObject({ status: 'delivered', lastStatus: 200, excerpt: 'ok, received' });
    expect(log.body.deliveries[0].latencyMs).toBeGreaterThanOrEqual(0);

    // Redelivery: the same event id (receivers deduplicate on it) and the same body.
    const first = log.body.deliveries[1];
    const again = await call(`/api/rooms/${room.id}/webhooks/${webhook.id}/deliveries/${first.id}/redeliver`, {
      auth: owner.token,
      method: 'POST',
    });
    expect(again.status).toBe(202);
    const three = await waitFor(key, (r) => r.length >= 3);
    expect(three[2]?.headers['webhook-id']).toBe(got[0]?.headers['webhook-id']);
    expect(three[2]?.body).toBe(got[0]?.body);

    // A test event on demand.
    expect(
      (await call(`/api/rooms/${room.id}/webhooks/${webhook.id}/test`, { auth: owner.token, method: 'POST' })).status,
    ).toBe(202);
    const four = await waitFor(key, (r) => r.length >= 4);
    expect(JSON.parse(four[3]?.body as string).type).toBe('webhook.test');
  });

  it('retries with backoff while the receiver answers 500, then delivers in order', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const t = await createTimer(room);
    const key = unique('retry');
    const { webhook } = await register(room, `${RECEIVER}/hook/${key}?fail=2`, [
      'timer.started',
      'timer.paused',
      'message.shown',
    ]);
    await ownerDoes(room, `/timers/${t.id}/start`);
    await waitFor(key, (r) => r.length >= 1);
    await ownerDoes(room, `/timers/${t.id}/pause`);
    await ownerDoes(room, '/message', { text: 'Doors open' });
    // The head failed: nothing behind it goes out before it, however long we wait for the real alarm.
    await sleep(300);
    expect((await received(key)).map((r) => JSON.parse(r.body).type)).toEqual(['timer.started']);
    const log = await call(`/api/rooms/${room.id}/webhooks/${webhook.id}/deliveries`, { auth: owner.token });
    const head = log.body.deliveries.find((d: { event: string }) => d.event === 'timer.started');
    expect(head).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 500, lastError: 'HTTP 500' });
    expect(head.nextAttemptAt - Date.now()).toBeGreaterThan(5_000);

    await later(room.id, 15_000); // second attempt: 500 again
    await later(room.id, 60_000); // third: delivered, and the two behind it follow in order
    const got = await waitFor(key, (r) => r.length >= 5);
    expect(got.map((r) => [JSON.parse(r.body).type, r.answered])).toEqual([
      ['timer.started', 500],
      ['timer.started', 500],
      ['timer.started', 200],
      ['timer.paused', 200],
      ['message.shown', 200],
    ]);
    // Retries carry the same id.
    expect(new Set(got.slice(0, 3).map((r) => r.headers['webhook-id'])).size).toBe(1);
  });

  it('disables an endpoint after a run of failures, tells the owner, and re-enabling resumes the queue', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const t = await createTimer(room);
    const key = unique('dead');
    const { webhook } = await register(room, `${RECEIVER}/hook/${key}?fail=10`, ['timer.started']);
    const panel = await openSocket(room.id, { auth: owner.token });
    await ownerDoes(room, `/timers/${t.id}/start`);
    await waitFor(key, (r) => r.length >= 1);
    for (let i = 1; i < 10; i++) await later(room.id, 10 * 3_600_000);
    await waitFor(key, (r) => r.length >= 10);
    const listed = (await call(`/api/rooms/${room.id}/webhooks`, { auth: owner.token })).body.webhooks[0];
    expect(listed).toMatchObject({ id: webhook.id, enabled: false, failures: 10, pending: 1 });
    expect(listed.disabledReason).toMatch(/10 failed attempts in a row/);
    expect(await panel.next('error', 3000, (m) => m.code === 'webhook_disabled')).toBeTruthy();
    // Disabled: no more attempts, however late.
    await later(room.id, 24 * 3_600_000);
    expect(await received(key)).toHaveLength(10);

    const enabled = await call(`/api/rooms/${room.id}/webhooks/${webhook.id}`, {
      auth: owner.token,
      method: 'PUT',
      json: { enabled: true },
    });
    expect(enabled.body.webhook).toMatchObject({ enabled: true, failures: 0, disabledReason: null });
    // The room's clock was moved days ahead, so its alarm is too: run it now.
    await later(room.id, 0);
    const got = await waitFor(key, (r) => r.length >= 11);
    expect(got[10]?.answered).toBe(200);
    expect(got[10]?.headers['webhook-id']).toBe(got[0]?.headers['webhook-id']);
    panel.close();
  });

  it('rotating the secret signs with both secrets for the overlap', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const key = unique('rot');
    const { webhook, secret } = await register(room, `${RECEIVER}/hook/${key}`, ['message.shown']);
    const rotated = await call(`/api/rooms/${room.id}/webhooks/${webhook.id}/rotate`, {
      auth: owner.token,
      method: 'POST',
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(secret);
    await ownerDoes(room, '/message', { text: 'Hi' });
    const [r] = await waitFor(key, (x) => x.length >= 1);
    expect(await verifies(rotated.body.secret, r as Received)).toBe(true);
    expect(await verifies(secret, r as Received)).toBe(true);
    expect((r as Received).headers['webhook-signature']?.split(' ')).toHaveLength(2);
  });
});
