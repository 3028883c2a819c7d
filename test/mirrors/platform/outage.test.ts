/**
 * Postgres outages: with the Worker's relay stopped, commands still succeed and
 * their outbox rows wait; once Postgres is back they land exactly once, in
 * order, even across a restart of the whole runtime. /health/deep says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandStream } from '../commands.ts';
import { type Harness, createRoom, member, sleep, startHarness, waitFor } from '../../support/live/harness.ts';
import { scaled } from '../../support/time-scale.ts';
import { countEvents, range, roomEvents } from '../queries.ts';

let h: Harness;
let owner: { token: string; id: string };

beforeAll(async () => {
  h = await startHarness();
  owner = await member(h, 'outage');
});

afterAll(async () => {
  await h?.close();
});

async function roomVersion(roomId: string): Promise<number> {
  const r = await h.api('GET', `/api/rooms/${roomId}`, undefined, owner.token);
  expect(r.status).toBe(200);
  return r.json.version as number;
}

/**
 * Asks Ops to drain every object with pending rows, then waits until the room has `expected` events.
 * The kick does not override a row's backoff (see the report on base.ts `kick()`), so the wait is
 * bounded by the head row's remaining backoff: at most about twice the outage, plus the report delay.
 */
async function kickAndDrain(roomId: string, expected: number, outageMs: number): Promise<number> {
  const started = Date.now();
  const timeoutMs = Math.min(Math.max(60_000, 2 * outageMs + 20_000), 150_000);
  // Objects report their depth to Ops about 2 s after a change; the kick only reaches reported ones.
  // (The room's own retry may also have drained it already, the relay being back.)
  const seen = await waitFor(
    'ops to see the pending rows',
    async () => {
      if ((await countEvents(h.db, roomId)) >= expected) return 'drained';
      const s = await h.api('GET', '/api/ops/stats', undefined, h.adminToken);
      return s.status === 200 && s.json.outbox.pending > 0 ? 'pending' : null;
    },
    15_000,
  );
  if (seen === 'pending') {
    const kick = await h.api('POST', '/api/ops/outbox/kick', undefined, h.adminToken);
    expect(kick.status).toBe(200);
    expect(kick.json.kicked).toBeGreaterThanOrEqual(1);
  }
  await waitFor(
    `${expected} events for the room`,
    async () => (await countEvents(h.db, roomId)) >= expected,
    timeoutMs,
  );
  return Date.now() - started;
}

/** The room's mirror is exactly: room.created at `v0`, then one room.command per version v0+1 … v0+n. */
async function expectExactlyOnce(roomId: string, v0: number, n: number) {
  // Let any straggling (duplicate) drain land before judging.
  await sleep(1_500);
  const s = await roomEvents(h.db, roomId);
  expect(s.count).toBe(n + 1);
  expect(s.distinct).toBe(s.count);
  expect(s.createdCount).toBe(1);
  expect(s.createdVersion).toBe(v0);
  expect(s.otherTypes).toEqual([]);
  expect(s.commandVersions).toEqual(range(v0 + 1, v0 + n));
  expect(s.payloadVersions).toEqual(range(v0 + 1, v0 + n));
  expect(s.actions).toBe(n);
  expect(s.distinctActions).toBe(n);
}

describe('Postgres unreachable (the relay is stopped)', () => {
  it('200 commands succeed during the outage and land exactly once after it', {
    timeout: scaled(300_000),
  }, async () => {
    await h.relay.stop();
    const outageStarted = Date.now();
    try {
      const roomId = await createRoom(h, owner.token, 'Outage room');
      const v0 = await roomVersion(roomId);
      const stream = new CommandStream(h, roomId, owner.token, v0, 42);
      await stream.run(200);
      expect(new Set(stream.issued.map((c) => c.command))).toEqual(
        new Set(['create-timer', 'start', 'pause', 'resume', 'adjust', 'reset']),
      );
      expect(await countEvents(h.db, roomId)).toBe(0);

      await h.relay.start();
      const tookMs = await kickAndDrain(roomId, 201, Date.now() - outageStarted);
      console.log(`relay outage: 201 rows drained ${tookMs} ms after the relay came back`);
      await expectExactlyOnce(roomId, v0, 200);
    } finally {
      await h.relay.start();
    }
  });

  it('pending rows survive a restart of the runtime and drain exactly once', { timeout: scaled(300_000) }, async () => {
    const roomId = await createRoom(h, owner.token, 'Restart room');
    await waitFor('room.created to be mirrored', async () => (await countEvents(h.db, roomId)) === 1, 30_000);
    const v0 = await roomVersion(roomId);
    await h.relay.stop();
    const outageStarted = Date.now();
    try {
      const stream = new CommandStream(h, roomId, owner.token, v0, 7);
      await stream.run(40);
      // Let the object try (and fail) at least once, and report its depth to Ops.
      await waitFor(
        'ops to see the pending rows',
        async () => (await h.api('GET', '/api/ops/stats', undefined, h.adminToken)).json.outbox.pending > 0,
        15_000,
      );

      await h.worker.stop();
      await h.worker.start();
      expect(await countEvents(h.db, roomId)).toBe(1);
      // The room is still there, with its state, after the restart.
      expect(await roomVersion(roomId)).toBe(v0 + 40);

      await h.relay.start();
      await kickAndDrain(roomId, 41, Date.now() - outageStarted);
      await expectExactlyOnce(roomId, v0, 40);
    } finally {
      await h.relay.start();
    }
  });
});

describe('backoff', () => {
  it('an object with rows waiting out a backoff stays idle (no alarm spinning at now+1)', async () => {
    const roomId = await createRoom(h, owner.token, 'Idle backoff');
    await waitFor('room.created to be mirrored', async () => (await countEvents(h.db, roomId)) === 1, 30_000);
    const v0 = await roomVersion(roomId);
    await h.relay.stop();
    try {
      // Several rows behind the head: their own next_attempt_at is their creation time, long before the head's retry.
      await new CommandStream(h, roomId, owner.token, v0, 3).run(10);
      await sleep(2_000);
      const before = h.worker.cpuSeconds();
      await sleep(8_000);
      const used = h.worker.cpuSeconds() - before;
      console.log(`workerd CPU while 10 rows wait out their backoff: ${used.toFixed(2)} s in 8 s`);
      // A spinning alarm used 2–6 s of CPU in such a window; an idle object needs a few hundredths.
      expect(used).toBeLessThan(1.2);
    } finally {
      await h.relay.start();
    }
    await kickAndDrain(roomId, 11, 12_000);
  });
});

describe('/health/deep', () => {
  it('reports postgres and redis ok, and degraded (still 200) without Postgres', async () => {
    const up = await h.api('GET', '/health/deep');
    expect(up.status).toBe(200);
    expect(up.json.status).toBe('ok');
    expect(up.json.postgres.ok).toBe(true);
    expect(up.json.redis.ok).toBe(true);

    await h.relay.stop();
    try {
      const down = await h.api('GET', '/health/deep');
      expect(down.status).toBe(200);
      expect(down.json.status).toBe('degraded');
      expect(down.json.postgres.ok).toBe(false);
      expect(down.json.redis.ok).toBe(true);
    } finally {
      await h.relay.start();
    }
    const back = await h.api('GET', '/health/deep');
    expect(back.json.status).toBe('ok');
  });
});
