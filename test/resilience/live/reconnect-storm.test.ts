/**
 * Reconnect storm: 2,000 viewers across 20 rooms with a running timer each and
 * commands flowing; `wrangler dev` is SIGKILLed (what a deploy does to every
 * socket) and restarted on the same port and storage. Every viewer reconnects
 * with the site's full-jitter backoff and resyncs. Measured: time from the
 * restart (and from the kill) until 99% and 100% of viewers show their room's
 * current version. Asserted: no viewer is ever offered a state older than one
 * it saw, no command acknowledged before the kill is lost, and every viewer
 * resyncs within generous bounds (quiet-machine figures × TEST_TIME_SCALE);
 * the times themselves are printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WranglerDev, sleep, wranglerDev } from '../../support/live/wrangler.ts';
import { scaled } from '../../support/time-scale.ts';
import { ADJUST_MS, RoomController } from './controller.ts';
import { StormViewer } from './viewer.ts';

const ROOMS = Number(process.env.STORM_ROOMS ?? 20);
const VIEWERS_PER_ROOM = Number(process.env.STORM_VIEWERS_PER_ROOM ?? 100);
const BATCH = 100;
const BASE_MS = 250;
const CAP_MS = 5_000;
/** A controller's pause between commands (randomised ×0.5–1.5). */
const COMMAND_EVERY_MS = 1_000;
const FLOW_BEFORE_KILL_MS = 8_000;
/** From the worker being back until 99% of viewers resynced: a correctness bound, not the figure (printed). */
const RESYNC_99_BOUND_MS = scaled(60_000);
const RESYNC_ALL_BOUND_MS = scaled(120_000);

interface Room {
  id: string;
  viewerToken: string;
  mainTimerId: string;
  controller: RoomController;
  viewers: StormViewer[];
}

let w: WranglerDev;
let ownerToken: string;
const rooms: Room[] = [];

async function api(method: string, route: string, body?: unknown) {
  const res = await fetch(w.base + route, {
    method,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ownerToken}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(scaled(30_000)),
  });
  const json = (await res.json()) as any;
  if (res.status >= 300) throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const snapshot = (roomId: string) =>
  api('GET', `/api/rooms/${roomId}`) as Promise<{
    version: number;
    timers: Array<{ id: string; label: string; adjustMs: number; state: string }>;
  }>;

const allViewers = () => rooms.flatMap((r) => r.viewers);

const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)}%`;

let coldStartMs = 0;

beforeAll(async () => {
  w = await wranglerDev({}, 'kt-storm-');
  const started = Date.now();
  await w.start();
  coldStartMs = Date.now() - started;
  const signup = await fetch(`${w.base}/api/auth/signup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      email: `storm-${Date.now()}@keeptime.test`,
      password: 'storm-tests-password',
      name: 'Storm',
    }),
  });
  ownerToken = ((await signup.json()) as { token: string }).token;
  for (let i = 0; i < ROOMS; i++) {
    const created = await api('POST', '/api/rooms', { name: `Storm ${i + 1}` });
    const id = created.room.id as string;
    const timer = (await api('POST', `/api/rooms/${id}/timers`, { label: 'Main', durationMs: 36_000_000 })).timer;
    await api('POST', `/api/rooms/${id}/timers/${timer.id}/start`);
    rooms.push({
      id,
      viewerToken: created.links.viewer,
      mainTimerId: timer.id,
      controller: new RoomController(w.base, id, ownerToken, timer.id, COMMAND_EVERY_MS),
      viewers: [],
    });
  }
});

afterAll(async () => {
  await Promise.all(rooms.map((r) => r.controller.stop()));
  for (const v of allViewers()) v.stop();
  await w?.close();
});

describe('reconnect storm', () => {
  it(`${ROOMS * VIEWERS_PER_ROOM} viewers in ${ROOMS} rooms survive a kill and restart of wrangler dev`, {
    timeout: scaled(420_000),
  }, async () => {
    // ── 1. Hold every viewer, in batches ──────────────────────────────────
    const openStarted = Date.now();
    const pending: Array<{ room: Room; i: number }> = rooms.flatMap((room) =>
      Array.from({ length: VIEWERS_PER_ROOM }, (_, i) => ({ room, i })),
    );
    for (let b = 0; b < pending.length; b += BATCH) {
      const batch = pending.slice(b, b + BATCH).map(({ room }) => {
        const v = new StormViewer({
          url: `${w.base.replace('http', 'ws')}/api/rooms/${room.id}/ws?token=${room.viewerToken}`,
          baseMs: BASE_MS,
          capMs: CAP_MS,
        });
        room.viewers.push(v);
        v.start();
        return v;
      });
      await Promise.all(batch.map((v) => v.until(() => v.snapshots > 0, scaled(90_000))));
    }
    const openMs = Date.now() - openStarted;
    const total = allViewers().length;
    console.log(`storm: ${total} viewers joined in ${openMs} ms (${((1000 * total) / openMs).toFixed(0)}/s)`);

    // ── 2. Commands flow, then the kill ──────────────────────────────────
    for (const r of rooms) r.controller.start();
    await sleep(FLOW_BEFORE_KILL_MS);
    const killAt = Date.now();
    await w.kill();
    const ackedBeforeKill = new Map(rooms.map((r) => [r.id, r.controller.acked.filter((a) => a.at <= killAt)]));
    // The room's version when the worker died: nothing changes while it is down, so this is what "current" means
    // when it comes back (the newest any viewer saw, or any command was acknowledged with).
    const versionAtKill = new Map(
      rooms.map((r) => [
        r.id,
        Math.max(...r.viewers.map((v) => v.newestSeen), ...(ackedBeforeKill.get(r.id) ?? []).map((a) => a.version)),
      ]),
    );
    // Every socket notices at once (the peer's process is gone); wait briefly so the count below is meaningful.
    for (const end = Date.now() + scaled(5_000); Date.now() < end && allViewers().some((v) => v.connected); )
      await sleep(50);
    const stillOpen = allViewers().filter((v) => v.connected).length;
    const downSince = Date.now();
    await w.start(180_000);
    const readyAt = Date.now();
    console.log(
      `storm: killed at +0; wrangler dev answered again after ${readyAt - killAt} ms (restart ${readyAt - downSince} ms); sockets still open after the kill: ${stillOpen}`,
    );

    // ── 3. The restarted rooms kept everything acknowledged before the kill ─
    for (const r of rooms) {
      const snap = await snapshot(r.id);
      expect(snap.version, `room ${r.id} came back older than it died`).toBeGreaterThanOrEqual(
        versionAtKill.get(r.id) as number,
      );
      const before = ackedBeforeKill.get(r.id) ?? [];
      const labels = new Set(snap.timers.map((t) => t.label));
      for (const a of before)
        if (a.kind === 'create') expect(labels.has(a.label as string), `acked timer ${a.label} lost`).toBe(true);
      const main = snap.timers.find((t) => t.id === r.mainTimerId);
      expect(main?.state).toBe('running');
      expect(main!.adjustMs).toBeGreaterThanOrEqual(before.filter((a) => a.kind === 'adjust').length * ADJUST_MS);
    }

    // ── 4. Resync times ──────────────────────────────────────────────────
    const resynced = new Map<StormViewer, number>();
    // Resynced: a snapshot after the drop at least as new as the room was at the kill.
    const isResynced = (r: Room, v: StormViewer) =>
      v.droppedAt === null && v.resyncedAt !== null && v.resyncVersion >= (versionAtKill.get(r.id) as number);
    const deadline = readyAt + RESYNC_ALL_BOUND_MS;
    while (resynced.size < total && Date.now() < deadline) {
      for (const r of rooms)
        for (const v of r.viewers) if (!resynced.has(v) && isResynced(r, v)) resynced.set(v, v.resyncedAt as number);
      await sleep(50);
    }
    // The worker is back when anything first gets through: /health, a viewer's snapshot or a command's answer
    // (while it starts, wrangler holds connections and /health may be answered after some of them).
    const firstSnapshot = Math.min(...allViewers().map((v) => v.resyncedAt ?? Infinity));
    const firstAck = Math.min(
      ...rooms.flatMap((r) => r.controller.acked.filter((a) => a.at > killAt).map((a) => a.at)),
    );
    const backAt = Math.min(readyAt, firstSnapshot, firstAck);
    const times = [...resynced.values()].map((t) => Math.max(t, backAt)).sort((a, b) => a - b);
    const at = (q: number) => times[Math.ceil(q * total) - 1];
    const t99 = at(0.99);
    const t100 = resynced.size === total ? times.at(-1) : undefined;
    const fmt = (t: number | undefined, from: number) => (t === undefined ? 'not reached' : `${t - from} ms`);
    const failedAttempts = allViewers().reduce((n, v) => n + v.failedAttempts, 0);
    console.log(
      `storm: cold start ${coldStartMs} ms; after the kill the worker was back at +${backAt - killAt} ms (/health at +${readyAt - killAt} ms); ` +
        `resynced ${resynced.size}/${total} (${pct(resynced.size, total)}); 99% after ${fmt(t99, backAt)} from back (${fmt(t99, killAt)} from kill); ` +
        `100% after ${fmt(t100, backAt)} from back (${fmt(t100, killAt)} from kill); failed connection attempts ${failedAttempts} ` +
        `(${(failedAttempts / total).toFixed(1)} per viewer)`,
    );
    expect(t99, '99% resynced').toBeDefined();
    expect(t99! - backAt).toBeLessThanOrEqual(RESYNC_99_BOUND_MS);
    expect(resynced.size, 'every viewer resynced').toBe(total);

    // ── 5. Commands stop; every viewer, still listening, reaches the final version ─
    await sleep(3_000);
    await Promise.all(rooms.map((r) => r.controller.stop()));
    const finals = new Map<string, Awaited<ReturnType<typeof snapshot>>>();
    for (const r of rooms) finals.set(r.id, await snapshot(r.id));
    await Promise.all(
      rooms.flatMap((r) => r.viewers.map((v) => v.until(() => v.shown === finals.get(r.id)!.version, scaled(60_000)))),
    );

    // ── 6. Verdicts ──────────────────────────────────────────────────────
    const regressions = allViewers().flatMap((v) => v.regressions);
    expect(regressions, 'a viewer was offered a state older than one it had seen').toEqual([]);
    let ackedTotal = 0;
    let retried = 0;
    const serverErrors = rooms.flatMap((r) => r.controller.serverErrors);
    for (const r of rooms) {
      const c = r.controller;
      expect(c.refused, `room ${r.id}: refused commands`).toEqual([]);
      const fin = finals.get(r.id)!;
      // Every command has exactly one outcome: versions are unique and the final state is their sum.
      const versions = c.acked.map((a) => a.version);
      expect(new Set(versions).size, `room ${r.id}: two acknowledged commands share a version`).toBe(versions.length);
      expect(fin.version).toBe(Math.max(...versions));
      const main = fin.timers.find((t) => t.id === r.mainTimerId)!;
      expect(main.adjustMs).toBe(c.acked.filter((a) => a.kind === 'adjust').length * ADJUST_MS);
      const created = c.acked.filter((a) => a.kind === 'create').map((a) => a.label);
      expect(
        fin.timers
          .filter((t) => t.id !== r.mainTimerId)
          .map((t) => t.label)
          .sort(),
      ).toEqual([...created].sort());
      ackedTotal += c.acked.length;
      retried += c.acked.filter((a) => a.attempts > 1).length;
    }
    const beforeKill = [...ackedBeforeKill.values()].reduce((n, a) => n + a.length, 0);
    console.log(
      `storm: ${ackedTotal} commands acknowledged (${beforeKill} before the kill), ${retried} needed a retry with the same key, ` +
        `${serverErrors.length} 5xx answers (retried) at ${serverErrors
          .map((e) => `${e.status}@+${e.at - killAt}ms`)
          .slice(0, 5)
          .join(' ')} ${serverErrors[0]?.body.slice(0, 120) ?? ''}; regressions ${regressions.length}`,
    );
    // A 5xx is only tolerable while the runtime itself was down or starting.
    expect(
      serverErrors.filter((e) => e.at > readyAt),
      '5xx after the restart',
    ).toEqual([]);
  });
});
