/**
 * The Redis caches through the real Upstash client: GET /api/rooms and GET
 * /api/rooms/:id/history are MISS then HIT, a mirrored change invalidates
 * them, and a Redis outage costs caching only, never a request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiResult,
  type Harness,
  createRoom,
  member,
  sleep,
  startHarness,
  waitFor,
} from '../../support/live/harness.ts';
import { countEvents } from '../queries.ts';

let h: Harness;
let owner: { token: string; id: string };

beforeAll(async () => {
  h = await startHarness();
  owner = await member(h, 'cache');
});

afterAll(async () => {
  await h?.close();
});

const xcache = (r: ApiResult) => r.headers.get('X-Cache');
const history = (roomId: string) => h.api('GET', `/api/rooms/${roomId}/history`, undefined, owner.token);
const roomList = () => h.api('GET', '/api/rooms', undefined, owner.token);

/** The next GET that is a HIT (the MISS stores its answer in the background, so the first repeat may still miss). */
async function hit(get: () => Promise<ApiResult>): Promise<ApiResult> {
  return waitFor(
    'a cache HIT',
    async () => {
      const r = await get();
      expect(r.status).toBe(200);
      return xcache(r) === 'HIT' ? r : null;
    },
    10_000,
    100,
  );
}

/** Waits until the room's mirror holds `n` events (so its drain has run, invalidation included or about to be). */
const mirrored = (roomId: string, n: number) =>
  waitFor(`${n} mirrored events`, async () => (await countEvents(h.db, roomId)) >= n, 30_000);

describe('response caches', () => {
  it('room history is MISS then HIT, and a mirrored command invalidates it', async () => {
    const roomId = await createRoom(h, owner.token, 'Cached history');
    const created = await h.api(
      'POST',
      `/api/rooms/${roomId}/timers`,
      { label: 'Talk', durationMs: 600_000 },
      owner.token,
    );
    expect(created.status).toBe(201);
    await mirrored(roomId, 2);

    const miss = await waitFor(
      'the first MISS with the mirrored action',
      async () => {
        const r = await history(roomId);
        return xcache(r) === 'MISS' && r.json.actions.length === 1 ? r : null;
      },
      10_000,
      100,
    );
    expect(miss.json.cached).toBe(false);
    const first = await hit(() => history(roomId));
    expect(first.json.cached).toBe(true);
    expect(first.json.actions).toEqual(miss.json.actions);

    const start = await h.api(
      'POST',
      `/api/rooms/${roomId}/timers/${created.json.timer.id}/start`,
      undefined,
      owner.token,
    );
    expect(start.status).toBe(200);
    await mirrored(roomId, 3);
    // The drain writes Postgres, then invalidates: the first answer after that is a fresh MISS.
    const fresh = await waitFor(
      'a MISS after the invalidation',
      async () => {
        const r = await history(roomId);
        return xcache(r) === 'MISS' ? r : null;
      },
      10_000,
      100,
    );
    expect(fresh.json.cached).toBe(false);
    expect(fresh.json.actions.map((a: { command: string; version: number }) => [a.command, a.version])).toEqual([
      ['start', start.json.version],
      ['create-timer', created.json.version],
    ]);
    expect(fresh.json.runs).toHaveLength(1);
    const second = await hit(() => history(roomId));
    expect(second.json.actions).toEqual(fresh.json.actions);
  });

  it('the room list is MISS then HIT, and creating a room invalidates it', async () => {
    const before = await roomList();
    expect(before.status).toBe(200);
    const cachedList = await hit(roomList);
    expect(cachedList.json.cached).toBe(true);
    expect(cachedList.json.rooms).toEqual(before.json.rooms);

    const roomId = await createRoom(h, owner.token, 'Listed room');
    const after = await roomList();
    expect(xcache(after)).toBe('MISS');
    expect(after.json.cached).toBe(false);
    expect(after.json.rooms.map((r: { id: string }) => r.id)).toContain(roomId);
    expect(after.json.rooms).toHaveLength(before.json.rooms.length + 1);
    const again = await hit(roomList);
    expect(again.json.rooms).toEqual(after.json.rooms);
  });
});

describe('Redis outage', () => {
  it('costs caching only: no request fails, and caches come back with Redis', async () => {
    const roomId = await createRoom(h, owner.token, 'Redis outage');
    const timer = (
      await h.api('POST', `/api/rooms/${roomId}/timers`, { label: 'T', durationMs: 3_600_000 }, owner.token)
    ).json.timer;
    await mirrored(roomId, 2);
    await history(roomId);
    await hit(() => history(roomId));

    const seen: Array<{ phase: string; what: string; status: number; cache: string | null }> = [];
    let phase = 'up';
    let action: 'start' | 'pause' | 'resume' = 'start';
    let commands = 1;
    const reads = async () => {
      for (const [what, get] of [
        ['history', () => history(roomId)],
        ['rooms', roomList],
        ['snapshot', () => h.api('GET', `/api/rooms/${roomId}`, undefined, owner.token)],
      ] as const) {
        const r = await get();
        seen.push({ phase, what, status: r.status, cache: xcache(r) });
      }
    };
    const round = async () => {
      const cmd = await h.api('POST', `/api/rooms/${roomId}/timers/${timer.id}/${action}`, undefined, owner.token);
      seen.push({ phase, what: action, status: cmd.status, cache: null });
      commands++;
      action = action === 'pause' ? 'resume' : 'pause';
      await reads();
    };

    for (let i = 0; i < 10; i++) await round();
    // Kill Redis while requests are in flight.
    phase = 'stopping';
    const inFlight = Promise.all([round(), reads(), reads()]);
    await h.redis.stop();
    await inFlight;
    phase = 'down';
    for (let i = 0; i < 15; i++) await round();

    await h.redis.start();
    phase = 'back';
    // The restarted Redis is empty: a MISS (refilling it once the adapter has reconnected), then a HIT.
    const refill = await history(roomId);
    expect(refill.status).toBe(200);
    expect(xcache(refill)).toBe('MISS');
    const back = await hit(() => history(roomId));
    expect(back.json.cached).toBe(true);
    expect(back.json.actions).toEqual(refill.json.actions);
    for (let i = 0; i < 5; i++) await round();

    expect(seen.filter((s) => s.status !== 200)).toEqual([]);
    // While Redis was away nothing was served from it, and nothing failed.
    const down = seen.filter((s) => s.phase === 'down' && s.cache !== null);
    expect(down).toHaveLength(15 * 2);
    expect(down.filter((s) => s.cache !== 'MISS')).toEqual([]);
    expect(seen.filter((s) => s.phase === 'back' && s.cache === 'HIT').length).toBeGreaterThan(0);
    // History kept mirroring to Postgres through the outage.
    await mirrored(roomId, 1 + commands);
    await sleep(500);
    expect(await countEvents(h.db, roomId)).toBe(1 + commands);
    await roomList();
    expect((await hit(roomList)).json.cached).toBe(true);
  });
});
