/**
 * Live sessions through the real mirrors: a stop made while Postgres is
 * unreachable lands exactly once after the outbox retries, and the history
 * cache goes MISS → HIT and is invalidated by the next stop.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, member, sleep, startHarness, waitFor } from '../../support/live/harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

async function sessionRows(userId: string) {
  const { rows } = await h.db.execute<{ id: string; start_time: Date; status: string; elapsed_ms: string }>(
    sql`select id, start_time, status, elapsed_ms from sessions where user_id = ${userId}`,
  );
  return rows;
}

async function sessionEvents(userId: string) {
  const { rows } = await h.db.execute<{ n: string; d: string }>(
    sql`select count(*) as n, count(distinct event_id) as d from events where aggregate_type = 'user-session' and aggregate_id = ${userId}`,
  );
  return { count: Number(rows[0]!.n), distinct: Number(rows[0]!.d) };
}

describe('live sessions mirrored to Postgres', () => {
  it('a stop during a Postgres outage lands exactly once after the retries', async () => {
    const u = await member(h, 'sessions-outage');
    await h.relay.stop();
    try {
      expect((await h.api('POST', '/api/sessions/start', { label: 'Cow 17' }, u.token)).status).toBe(201);
      expect((await h.api('POST', '/api/sessions/pause', undefined, u.token)).status).toBe(200);
      expect((await h.api('POST', '/api/sessions/resume', undefined, u.token)).status).toBe(200);
      const stop = await h.api('POST', '/api/sessions/stop', undefined, u.token);
      expect(stop.status).toBe(200);
      // Give the outbox time to fail at least once against the dead relay.
      await waitFor('a failed drain in the logs', async () => h.worker.logs().includes('outbox drain failed'), 20_000);
      expect(await sessionRows(u.id)).toHaveLength(0);
    } finally {
      await h.relay.start();
    }
    await sleep(2_500); // the object reports its pending rows to Ops about 2 s after a change
    expect((await h.api('POST', '/api/ops/outbox/kick', undefined, h.adminToken)).status).toBe(200);
    const rows = await waitFor(
      'the stopped session in Postgres',
      async () => {
        const r = await sessionRows(u.id);
        return r.length === 1 && r[0]!.status === 'completed' ? r : null;
      },
      60_000,
      500,
    );
    expect(rows).toHaveLength(1);
    const events = await waitFor('all four session events', async () => {
      const e = await sessionEvents(u.id);
      return e.count >= 4 ? e : null;
    });
    expect(events).toEqual({ count: 4, distinct: 4 });
    // A second kick drains nothing new: still one row, still four events.
    await h.api('POST', '/api/ops/outbox/kick', undefined, h.adminToken);
    await sleep(1_000);
    expect(await sessionRows(u.id)).toHaveLength(1);
    expect(await sessionEvents(u.id)).toEqual({ count: 4, distinct: 4 });
  });

  it('history is MISS then HIT, and the next stop invalidates it', async () => {
    const u = await member(h, 'sessions-cache');
    const cycle = async (label: string) => {
      expect((await h.api('POST', '/api/sessions/start', { label }, u.token)).status).toBe(201);
      expect((await h.api('POST', '/api/sessions/stop', undefined, u.token)).status).toBe(200);
    };
    await cycle('first');
    await waitFor('the first session mirrored', async () => (await sessionRows(u.id)).length === 1, 30_000);
    const list = () => h.api('GET', '/api/sessions?limit=10', undefined, u.token);
    const miss = await waitFor(
      'a MISS from Postgres',
      async () => {
        const r = await list();
        return r.headers.get('X-Cache') === 'MISS' && !r.json.partial && r.json.sessions.length === 1 ? r : null;
      },
      10_000,
      100,
    );
    expect(miss.json.cached).toBe(false);
    const hit = await waitFor(
      'a HIT',
      async () => {
        const r = await list();
        return r.headers.get('X-Cache') === 'HIT' ? r : null;
      },
      10_000,
      100,
    );
    expect(hit.json.cached).toBe(true);
    expect(hit.json.sessions).toEqual(miss.json.sessions);

    await cycle('second');
    await waitFor('the second session mirrored', async () => (await sessionRows(u.id)).length === 2, 30_000);
    const fresh = await waitFor(
      'a MISS with both sessions',
      async () => {
        const r = await list();
        return r.headers.get('X-Cache') === 'MISS' && r.json.sessions.length === 2 ? r : null;
      },
      10_000,
      100,
    );
    expect(fresh.json.cached).toBe(false);
    expect(fresh.json.sessions.map((s: { label: string }) => s.label)).toEqual(['second', 'first']);
  });
});
