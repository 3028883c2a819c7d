/**
 * A poison row: Postgres refuses one room's action journal rows with a
 * permanent error (SQLSTATE 22023). The row goes to the dead letters at once,
 * Ops lists and counts it, and after the fix a replay lands it exactly once.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, createRoom, member, startHarness, waitFor } from '../../support/live/harness.ts';
import { countEvents } from '../queries.ts';

let h: Harness;
let owner: { token: string; id: string };

beforeAll(async () => {
  h = await startHarness();
  owner = await member(h, 'poison');
});

afterAll(async () => {
  await h?.db.execute(sql`drop trigger if exists room_actions_poison on room_actions`).catch(() => {});
  await h?.close();
});

interface DlqEntry {
  eventId: string;
  object: { kind: string; name: string };
  kind: string;
  error: string | null;
  deadAt: number;
}

const dlq = async (): Promise<DlqEntry[]> => {
  const r = await h.api('GET', '/api/ops/dlq', undefined, h.adminToken);
  expect(r.status).toBe(200);
  return r.json.deadLetters;
};
const rowsWith = async (table: 'events' | 'room_actions', id: string) => {
  const column = table === 'events' ? sql`event_id` : sql`id`;
  const { rows } = await h.db.execute<{ n: string }>(
    sql`select count(*) as n from ${sql.raw(table)} where ${column} = ${id}`,
  );
  return Number(rows[0]!.n);
};

describe('a poison row', () => {
  it('dead-letters on a permanent error, shows in ops, and replays exactly once after the fix', async () => {
    const poisoned = await createRoom(h, owner.token, 'Poisoned room');
    const healthy = await createRoom(h, owner.token, 'Healthy room');
    await waitFor(
      'both rooms mirrored',
      async () => (await countEvents(h.db, poisoned)) === 1 && (await countEvents(h.db, healthy)) === 1,
      30_000,
    );

    // SQLSTATE 22023 (invalid_parameter_value), class 22: permanent. Only this room is affected.
    await h.db.execute(
      sql.raw(`create or replace function room_actions_poison() returns trigger language plpgsql as $$
        begin
          if new.room_id = '${poisoned}' then raise exception 'poisoned room %', new.room_id using errcode = '22023'; end if;
          return new;
        end $$`),
    );
    await h.db.execute(
      sql`create trigger room_actions_poison before insert on room_actions for each row execute function room_actions_poison()`,
    );

    const before = await h.api('GET', '/api/ops/stats', undefined, h.adminToken);
    const created = await h.api(
      'POST',
      `/api/rooms/${poisoned}/timers`,
      { label: 'Poison', durationMs: 60_000 },
      owner.token,
    );
    expect(created.status).toBe(201);
    // The healthy room is not held up by its neighbour's poison.
    const other = await h.api(
      'POST',
      `/api/rooms/${healthy}/timers`,
      { label: 'Fine', durationMs: 60_000 },
      owner.token,
    );
    expect(other.status).toBe(201);

    const letter = await waitFor(
      'the dead letter in /api/ops/dlq',
      async () => (await dlq()).find((d) => d.object.name === poisoned),
      30_000,
    );
    expect(letter.object).toEqual({ kind: 'room', name: poisoned });
    expect(letter.kind).toBe('room.command');
    // The Postgres error itself, not drizzle's "Failed query: … params: …" wrapper.
    expect(letter.error).toMatch(/^22023: poisoned room /);
    expect(await rowsWith('events', letter.eventId)).toBe(0);
    expect(await rowsWith('room_actions', letter.eventId)).toBe(0);
    await waitFor('the healthy room to mirror', async () => (await countEvents(h.db, healthy)) === 2, 30_000);

    const stats = await h.api('GET', '/api/ops/stats', undefined, h.adminToken);
    expect(stats.json.deadLetters).toBe(before.json.deadLetters + 1);
    const feed = await h.api('GET', '/api/ops/notifications', undefined, h.adminToken);
    expect(
      feed.json.notifications.filter(
        (n: { kind: string; data?: { eventId?: string } }) =>
          n.kind === 'dead-letter' && n.data?.eventId === letter.eventId,
      ),
    ).toHaveLength(1);

    // Replayed before the fix, it only dead-letters again: listed again, still absent from Postgres.
    const early = await h.api('POST', `/api/ops/dlq/${letter.eventId}/replay`, undefined, h.adminToken);
    expect(early.status).toBe(200);
    const again = await waitFor(
      'the row to dead-letter again',
      async () => (await dlq()).find((d) => d.eventId === letter.eventId),
      30_000,
    );
    expect(again.object).toEqual(letter.object);
    expect(again.deadAt).toBeGreaterThanOrEqual(letter.deadAt);
    expect(await rowsWith('room_actions', letter.eventId)).toBe(0);

    // The fix.
    await h.db.execute(sql`drop trigger room_actions_poison on room_actions`);

    const replay = await h.api('POST', `/api/ops/dlq/${letter.eventId}/replay`, undefined, h.adminToken);
    expect(replay.status).toBe(200);
    expect(replay.json).toMatchObject({ ok: true, eventId: letter.eventId, object: { kind: 'room', name: poisoned } });
    await waitFor(
      'the replayed row in Postgres',
      async () => (await rowsWith('room_actions', letter.eventId)) === 1,
      30_000,
    );
    expect(await rowsWith('events', letter.eventId)).toBe(1);
    expect(await countEvents(h.db, poisoned)).toBe(2);
    expect((await dlq()).some((d) => d.eventId === letter.eventId)).toBe(false);
    const after = await h.api('GET', '/api/ops/stats', undefined, h.adminToken);
    expect(after.json.deadLetters).toBe(before.json.deadLetters);

    // Replaying it once more finds nothing.
    const gone = await h.api('POST', `/api/ops/dlq/${letter.eventId}/replay`, undefined, h.adminToken);
    expect(gone.status).toBe(404);
    expect(await rowsWith('room_actions', letter.eventId)).toBe(1);
  });
});
