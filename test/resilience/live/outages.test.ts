/**
 * All domains through one overlapping outage. Room commands, live-session
 * cycles and rack audits flow without pause while Postgres becomes
 * unreachable (a gate in front of the Worker's relay cuts every connection) for RESILIENCE_OUTAGE_MS, and Redis
 * is killed for as long, starting halfway through the Postgres outage:
 *
 *   t=0 Postgres down · t=L/2 Redis down · t=L Postgres back · t=1.5L Redis back
 *
 * So there is a Postgres-only, a both-down and a Redis-only phase. Every valid
 * request must answer 2xx throughout. Afterwards the outboxes drain and
 * Postgres holds every acknowledged command, session and scan exactly once,
 * and the cached reads show the latest state.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, member, sleep, startHarness, waitFor } from '../../support/live/harness.ts';
import { scaled } from '../../support/time-scale.ts';
import { RoomController } from './controller.ts';
import { Wire } from './retrying.ts';
import { RackDriver, Reader, SessionDriver } from './traffic.ts';
import {
  expectRacksMirrored,
  expectRoomMirrored,
  expectSessionsMirrored,
  expectedEventCount,
  mirroredEventCount,
} from './outage-checks.ts';

const OUTAGE_MS = Number(process.env.RESILIENCE_OUTAGE_MS ?? 60_000);
const ROOMS = 3;
const SESSION_USERS = 4;
const RACK_USERS = 4;

let h: Harness;
/** The Worker's line to Postgres: a gate in front of its relay. */
let postgresGate: NonNullable<Harness['gate']>;

/** Saves the worker's recent output for a failure message; returns the file. */
function keepWorkerLog(): string {
  const file = path.join(os.tmpdir(), `kt-outages-worker-${Date.now()}.log`);
  fs.writeFileSync(file, h.worker.logs());
  return file;
}

beforeAll(async () => {
  h = await startHarness({ gate: true, tmpPrefix: 'kt-outages-' });
  postgresGate = h.gate!;
});

afterAll(async () => {
  await h?.close();
});

describe('Postgres and Redis outages under traffic in every domain', () => {
  it(`nothing acknowledged is lost or doubled (outage ${OUTAGE_MS} ms each, overlapping)`, {
    timeout: scaled(240_000) + 3 * OUTAGE_MS,
  }, async () => {
    // ── Setup: rooms with a running timer, session users, rack users, readers ─
    const owner = await member(h, 'outage-owner');
    const rooms: Array<{ id: string; controller: RoomController }> = [];
    for (let i = 0; i < ROOMS; i++) {
      const id = (await h.api('POST', '/api/rooms', { name: `Outage ${i + 1}` }, owner.token)).json.room.id as string;
      const timer = (
        await h.api('POST', `/api/rooms/${id}/timers`, { label: 'Main', durationMs: 36_000_000 }, owner.token)
      ).json.timer;
      expect((await h.api('POST', `/api/rooms/${id}/timers/${timer.id}/start`, undefined, owner.token)).status).toBe(
        200,
      );
      rooms.push({ id, controller: new RoomController(h.base, id, owner.token, timer.id, 600) });
    }
    const sessions: SessionDriver[] = [];
    for (let i = 0; i < SESSION_USERS; i++) {
      const u = await member(h, `outage-session-${i}`);
      sessions.push(new SessionDriver(new Wire(h.base, u.token), u.id));
    }
    const racks: RackDriver[] = [];
    for (let i = 0; i < RACK_USERS; i++) {
      const u = await member(h, `outage-rack-${i}`);
      racks.push(new RackDriver(new Wire(h.base, u.token), u.id, `G0${i + 1}`, 'ground'));
    }
    const readers = [
      new Reader(new Wire(h.base, owner.token), [
        '/api/rooms',
        ...rooms.map((r) => `/api/rooms/${r.id}`),
        '/health/deep',
      ]),
      new Reader(new Wire(h.base, sessions[0]!.wire.token), [
        '/api/sessions?limit=50',
        '/api/sessions/stats?days=7',
        '/api/sessions/current',
      ]),
      new Reader(new Wire(h.base, racks[0]!.wire.token), [
        '/api/racks/available?floor=ground',
        '/api/rack-sessions/user/history',
        '/api/racks/user/active',
      ]),
    ];
    const drivers = [...rooms.map((r) => r.controller), ...sessions, ...racks, ...readers];
    const wires = drivers.map((d) => d.wire);

    // ── Traffic, and the overlapping outages ─────────────────────────────
    for (const d of drivers) d.start();
    await sleep(5_000);
    const t0 = Date.now();
    const at = (ms: number) => sleep(Math.max(0, t0 + ms - Date.now()));
    await postgresGate.stop();
    const pgDown = await h.api('GET', '/health/deep');
    expect(pgDown.status).toBe(200);
    expect(pgDown.json.postgres.ok).toBe(false);
    await at(OUTAGE_MS / 2);
    await h.redis.stop();
    const bothDown = await h.api('GET', '/health/deep');
    expect(bothDown.status).toBe(200);
    expect([bothDown.json.postgres.ok, bothDown.json.redis.ok]).toEqual([false, false]);
    await at(OUTAGE_MS);
    // The outage bit: acknowledged changes are waiting in the outboxes, not in Postgres.
    const waiting =
      expectedEventCount(rooms, sessions, racks).total -
      (await mirroredEventCount(h.db, expectedEventCount(rooms, sessions, racks)));
    console.log(`outages: ${waiting} acknowledged events waiting when Postgres came back`);
    expect(waiting).toBeGreaterThan(0);
    await postgresGate.start();
    // Postgres answers /health/deep again once the drains that rushed in after it let a ping through.
    const pgBack = await waitFor(
      '/health/deep to see Postgres again',
      async () => {
        const r = await h.api('GET', '/health/deep');
        return r.json?.postgres?.ok === true ? r : null;
      },
      60_000,
      500,
    );
    console.log(`outages: /health/deep saw Postgres again ${Date.now() - t0 - OUTAGE_MS} ms after it came back`);
    expect(pgBack.json.redis.ok).toBe(false); // Redis is still down: only this test restarts it, below.
    await at(1.5 * OUTAGE_MS);
    await h.redis.start();
    const restoredAt = Date.now();
    await sleep(8_000);
    await Promise.all(drivers.map((d) => d.stop()));
    console.log(`outages: traffic stopped ${Date.now() - t0} ms after the Postgres outage began`);

    // ── No request failed while the mirrors were away ────────────────────
    const serverErrors = wires.flatMap((w) => w.serverErrors);
    const refused = wires.flatMap((w) => w.refused);
    const lost = wires.reduce((n, w) => n + w.lostAnswers, 0);
    if (serverErrors.length)
      console.log(`outages: ${serverErrors.length} 5xx answers; the worker's log is in ${keepWorkerLog()}`);
    expect(
      serverErrors.map((e) => ({ ...e, at: e.at - t0 })),
      '5xx during the outages',
    ).toEqual([]);
    expect(refused, 'valid requests refused').toEqual([]);
    expect(lost, 'requests without an answer').toBe(0);

    // ── The outboxes drain: every expected event reaches Postgres ────────
    const expected = expectedEventCount(rooms, sessions, racks);
    const drainStarted = Date.now();
    // Kick the outboxes now and then (a kick drains every object with pending rows; it can take a while, so never two at once).
    let kicking: Promise<unknown> | null = null;
    let kickedAt = 0;
    let mirrored = 0;
    await waitFor(
      `${expected.total} events in Postgres`,
      async () => {
        if (!kicking && Date.now() - kickedAt > 5_000) {
          kickedAt = Date.now();
          kicking = h
            .api('POST', '/api/ops/outbox/kick', undefined, h.adminToken)
            .catch(() => null)
            .finally(() => (kicking = null));
        }
        mirrored = await mirroredEventCount(h.db, expected);
        return mirrored >= expected.total ? mirrored : null;
      },
      Math.max(150_000, 2 * OUTAGE_MS),
      2_000,
    ).catch((err) => {
      throw new Error(`${(err as Error).message}; ${mirrored} mirrored; the worker's log is in ${keepWorkerLog()}`);
    });
    await kicking;
    console.log(
      `outages: ${expected.total} events drained ${Date.now() - drainStarted} ms after traffic stopped (${Date.now() - restoredAt} ms after Redis returned)`,
    );
    // Let any straggling duplicate land before judging; then the pending count must be zero.
    await sleep(2_000);
    const stats = await waitFor(
      'ops to report an empty outbox',
      async () => {
        const s = await h.api('GET', '/api/ops/stats', undefined, h.adminToken);
        return s.json?.outbox?.pending === 0 ? s.json : null;
      },
      30_000,
      1_000,
    );
    expect(stats.deadLetters).toBe(0);
    expect((await h.api('GET', '/api/ops/dlq', undefined, h.adminToken)).json.deadLetters).toEqual([]);

    // ── Exactly once, domain by domain ───────────────────────────────────
    for (const r of rooms) await expectRoomMirrored(h.db, r.id, r.controller);
    for (const s of sessions) await expectSessionsMirrored(h.db, s);
    for (const r of racks) await expectRacksMirrored(h.db, r);

    // ── Caches after Redis returned: fresh answers, then cache HITs with the same latest state ─
    const cachedRead = async (route: string, token: string, check: (json: any) => void) => {
      check((await h.api('GET', route, undefined, token)).json);
      const hit = await waitFor(
        `a cache HIT for ${route}`,
        async () => {
          const r = await h.api('GET', route, undefined, token);
          return r.status === 200 && r.headers.get('X-Cache') === 'HIT' ? r : null;
        },
        15_000,
        200,
      );
      check(hit.json);
    };
    for (const s of sessions) {
      const want = s.completed.map((c) => c.id).reverse();
      await cachedRead('/api/sessions?limit=200', s.wire.token, (json) =>
        expect(json.sessions.map((x: { id: string }) => x.id)).toEqual(want),
      );
    }
    await cachedRead('/api/racks/available?floor=ground', owner.token, (json) => {
      const ids = json.racks.map((x: { rack_id: string }) => x.rack_id);
      for (const r of racks) expect(ids).toContain(r.rackId);
    });
    await cachedRead('/api/rooms', owner.token, (json) =>
      expect(json.rooms.map((x: { id: string }) => x.id).sort()).toEqual(rooms.map((r) => r.id).sort()),
    );
    for (const r of racks) {
      const hist = await h.api('GET', '/api/rack-sessions/user/history', undefined, r.wire.token);
      expect(hist.json.source).toBe('postgres');
      expect(hist.json.sessions.map((x: { session_id: string }) => x.session_id).sort()).toEqual(
        r.completed.map((c) => c.sessionId).sort(),
      );
    }
    for (const r of rooms) {
      const snap = await h.api('GET', `/api/rooms/${r.id}`, undefined, owner.token);
      const { rows } = await h.db.execute<{ version: number }>(sql`select version from rooms where id = ${r.id}`);
      expect(rows[0]!.version).toBe(snap.json.version);
    }
    const totals = {
      roomCommands: rooms.reduce((n, r) => n + r.controller.acked.length, 0),
      sessionCommands: sessions.reduce((n, s) => n + s.acked, 0),
      sessionsCompleted: sessions.reduce((n, s) => n + s.completed.length, 0),
      rackAudits: racks.reduce((n, r) => n + r.completed.length, 0),
      scans: racks.reduce((n, r) => n + r.completed.reduce((m, c) => m + c.records.length, 0), 0),
      reads: readers.reduce((n, r) => n + r.reads, 0),
    };
    console.log(`outages: acknowledged and mirrored exactly once: ${JSON.stringify(totals)}`);
  });
});
