/**
 * Deleting a room: its dead letters go to Ops (still listed and replayable once the room is wiped), and Ops
 * hears a final report, so it keeps no phantom "pending" entry for a room that no longer exists.
 */
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { KeeptimeObject } from '../../../durable-objects/platform/object.ts';
import type { Outbox } from '../../../durable-objects/platform/outbox.ts';
import { adminSession, call, createRoom, expectError, roomStub, signup } from '../../support/workers.ts';

const ops = () => env.OPS.get(env.OPS.idFromName('global'));

/** Puts one permanently failed row into the room's dead letters, as a failed drain would; returns its event id. */
async function deadLetterIn(roomId: string): Promise<string> {
  return runInDurableObject(roomStub(roomId), (instance: KeeptimeObject) => {
    const outbox = (instance as unknown as { outbox: Outbox }).outbox;
    const now = Date.now();
    const eventId = outbox.append('room.command', { roomId, version: 1, at: now, probe: 'dead' }, now);
    const row = outbox.head(1000).find((r) => r.eventId === eventId);
    if (!row) throw new Error('the row was not appended');
    expect(outbox.failed(row, '23502: null value in column', now, true)).toBe('dead');
    return eventId;
  });
}

describe('deleting a room', () => {
  it('hands its dead letters to Ops, which can still replay them, and leaves no phantom outbox entry', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const ref = { kind: 'room' as const, name: room.id };
    const eventId = await deadLetterIn(room.id);
    // What Ops knew before the delete: the letter (the drain reports it) and a pending outbox.
    await ops().deadLetter(ref, { eventId, kind: 'room.command', error: '23502: null value', deadAt: Date.now() });
    await ops().report({ ref, sockets: 0, active: false, pending: 2, oldestPendingAgeMs: 60_000, dead: 1 });
    expect(await ops().stalled(1000)).toContainEqual(ref);

    const deleted = await call(`/api/rooms/${room.id}`, { method: 'DELETE', auth: owner.token });
    expect(deleted.status, JSON.stringify(deleted.body)).toBeLessThan(300);
    // Drain now (the alarm would): the deletion is mirrored, the letters handed over, the storage wiped.
    await roomStub(room.id).kick();
    // The RPC types cannot name `unknown` payloads; the answer is plain data.
    const state = (await roomStub(room.id).outboxState()) as unknown as { deadLetters: unknown[]; pending: number };
    expect(state).toMatchObject({ deadLetters: [], pending: 0 });

    expect(await ops().stalled(0)).not.toContainEqual(ref);
    expect((await ops().deadLetters()).find((d) => d.eventId === eventId)).toMatchObject({ object: ref });
    const feed = (await ops().feed()) as unknown as Array<{ kind: string; text: string }>;
    expect(feed.some((n) => n.kind === 'dead-letters-adopted' && n.text.includes(room.id))).toBe(true);

    // The replay still works: Ops drains the letter itself, and it leaves the list.
    const admin = await adminSession();
    const replayed = await call(`/api/ops/dlq/${eventId}/replay`, {
      method: 'POST',
      auth: admin.token,
    });
    expect(replayed.status, JSON.stringify(replayed.body)).toBe(200);
    await ops().kick();
    expect((await ops().deadLetters()).some((d) => d.eventId === eventId)).toBe(false);
    expectError(
      await call(`/api/ops/dlq/${eventId}/replay`, {
        method: 'POST',
        auth: admin.token,
      }),
      404,
      'not_found',
    );
  });

  it('a handover is idempotent: the same letters handed over twice are listed once', async () => {
    const ref = { kind: 'room' as const, name: `gone-${crypto.randomUUID().slice(0, 8)}` };
    const letter = {
      eventId: crypto.randomUUID(),
      seq: 1,
      kind: 'room.command',
      payload: { roomId: ref.name },
      attempts: 3,
      nextAttemptAt: 0,
      lastError: 'x',
      createdAt: Date.now(),
      deadAt: Date.now(),
    };
    expect(await ops().adoptDeadLetters(ref, [letter])).toBe(1);
    expect(await ops().adoptDeadLetters(ref, [letter])).toBe(1);
    expect((await ops().deadLetters()).filter((d) => d.eventId === letter.eventId)).toHaveLength(1);
  });
});
