/**
 * The room's event feed (SSE) and `now` reading: same payloads and versions as the socket, resumption with
 * Last-Event-ID without a gap, a fresh room-state past the kept log, ETag/If-None-Match and long-poll.
 */
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { BASE, call, createRoom, createTimer, expectError, ownerDoes, signup } from '../../support/workers.ts';

interface FeedEvent {
  id: string | null;
  data: { type: string; version: number; [k: string]: unknown };
}

/** An open SSE stream, read event by event. */
async function openFeed(path: string, headers: Record<string, string> = {}) {
  const res = await exports.default.fetch(new Request(`${BASE}${path}`, { headers }));
  expect(res.status, await (res.status === 200 ? '' : res.clone().text())).toBe(200);
  expect(res.headers.get('Content-Type')).toMatch(/^text\/event-stream/);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const events: FeedEvent[] = [];
  const comments: string[] = [];
  const pump = async (): Promise<boolean> => {
    const { value, done } = await reader.read();
    if (done) return false;
    buffer += decoder.decode(value, { stream: true });
    let cut = buffer.indexOf('\n\n');
    while (cut >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const lines = block.split('\n');
      const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6));
      const id = lines.find((l) => l.startsWith('id: '))?.slice(4) ?? null;
      for (const l of lines) if (l.startsWith(':')) comments.push(l);
      if (data.length) events.push({ id, data: JSON.parse(data.join('\n')) });
      cut = buffer.indexOf('\n\n');
    }
    return true;
  };
  return {
    events,
    comments,
    /** Waits for an event matching `pred` (after those already seen by earlier calls with `from`). */
    async next(pred: (e: FeedEvent) => boolean, from = 0, timeoutMs = 3000): Promise<FeedEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = events.slice(from).find(pred);
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`no matching event; saw ${events.map((e) => e.data.type)}`);
        const more = await Promise.race([pump(), new Promise<boolean>((r) => setTimeout(() => r(true), 200))]);
        if (!more) throw new Error('stream ended');
      }
    },
    close: () => reader.cancel(),
  };
}

describe('GET /api/rooms/:id/events (SSE)', () => {
  it('streams the socket payloads with id = version, for a viewer link, and ends nothing it should not send', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const t = await createTimer(room, { label: 'Keynote' });
    const feed = await openFeed(`/api/rooms/${room.links.viewer}/events`);
    const first = await feed.next((e) => e.data.type === 'room-state');
    expect(first.id).toBe(String(first.data.version));
    expect(first.data.timers).toHaveLength(1);

    await ownerDoes(room, `/timers/${t.id}/start`);
    const started = await feed.next((e) => e.data.type === 'timer-update');
    expect(started.data).toMatchObject({ timer: { id: t.id, state: 'running' } });
    expect(started.id).toBe(String(started.data.version));
    expect(started.data.version).toBe(first.data.version + 1);
    // Answers to a socket's own frames are never in a feed.
    expect(feed.events.some((e) => e.data.type === 'pong' || e.data.type === 'ack')).toBe(false);
    await feed.close();
  });

  it('resumes from Last-Event-ID with exactly the missed events, and a stale id gets a fresh room-state', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const t = await createTimer(room);
    const feed = await openFeed(`/api/rooms/${room.id}/events?token=${room.links.controller}`);
    const state = await feed.next((e) => e.data.type === 'room-state');
    await feed.close();

    // Three changes while disconnected.
    await ownerDoes(room, `/timers/${t.id}/start`);
    await ownerDoes(room, `/timers/${t.id}/pause`);
    await ownerDoes(room, '/message', { text: 'Hello' });

    const resumed = await openFeed(`/api/rooms/${room.links.viewer}/events`, {
      'Last-Event-ID': String(state.data.version),
    });
    const message = await resumed.next((e) => e.data.type === 'message');
    const versions = resumed.events.map((e) => e.data.version);
    // The start also records the cue's actual start (schedule-update, same version).
    expect(resumed.events.map((e) => e.data.type)).toEqual([
      'timer-update',
      'schedule-update',
      'timer-update',
      'message',
    ]);
    expect(versions).toEqual([
      state.data.version + 1,
      state.data.version + 1,
      state.data.version + 2,
      state.data.version + 3,
    ]);
    expect(message.id).toBe(String(state.data.version + 3));
    await resumed.close();

    // Up to date: nothing is replayed, and the next change arrives.
    const current = await openFeed(`/api/rooms/${room.links.viewer}/events?lastEventId=${state.data.version + 3}`);
    await ownerDoes(room, '/message', undefined, 'DELETE');
    const cleared = await current.next((e) => e.data.type === 'message');
    expect(cleared.data.version).toBe(state.data.version + 4);
    expect(current.events).toHaveLength(1);
    await current.close();

    // A version the room never reached (another room's id): a full room-state, never a silent gap.
    const ahead = await openFeed(`/api/rooms/${room.links.viewer}/events`, { 'Last-Event-ID': '999999' });
    expect((await ahead.next(() => true)).data).toMatchObject({ type: 'room-state', version: state.data.version + 4 });
    await ahead.close();
  });

  it('a client further behind than the kept log gets a fresh room-state', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const feed = await openFeed(`/api/rooms/${room.links.viewer}/events`);
    const state = await feed.next((e) => e.data.type === 'room-state');
    await feed.close();
    // More changes than the log keeps (FEED_KEPT, plus the pruning slack).
    for (let batch = 0; batch < 62; batch++)
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => ownerDoes(room, '/message', { text: `m${batch * 10 + i}` })),
      );
    const behind = await openFeed(`/api/rooms/${room.links.viewer}/events`, {
      'Last-Event-ID': String(state.data.version),
    });
    const first = await behind.next(() => true);
    expect(first.data).toMatchObject({ type: 'room-state', version: state.data.version + 620 });
    expect(behind.events).toHaveLength(1);
    await behind.close();
  });

  it('refuses a malformed Last-Event-ID with 400 and an unknown room with 404', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    expectError(
      await call(`/api/rooms/${room.links.viewer}/events`, { headers: { 'Last-Event-ID': 'yesterday' } }),
      400,
      'validation_failed',
    );
    expectError(await call(`/api/rooms/${'0'.repeat(20)}/events`, { auth: owner.token }), 404, 'room_not_found');
    expectError(await call(`/api/rooms/${room.id}/events`), 401, 'unauthenticated');
  });
});

describe('GET /api/rooms/:id/now', () => {
  it('answers a flat reading with an ETag; If-None-Match of the same version is 304', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const a = await createTimer(room, { label: 'Opening', durationMs: 300_000 });
    await createTimer(room, { label: 'Panel' });
    await ownerDoes(room, `/timers/${a.id}/start`);
    const now = await call(`/api/rooms/${room.links.viewer}/now`);
    expect(now.status).toBe(200);
    expect(now.body).toMatchObject({ label: 'Opening', state: 'running', phase: 'normal', nextLabel: 'Panel' });
    expect(now.body.remainingMs).toBeGreaterThan(295_000);
    expect(now.body.text).toMatch(/^[45]:\d\d$/);
    expect(typeof now.body.serverTime).toBe('number');
    const etag = now.headers.get('ETag') as string;
    expect(etag).toBe(`W/"${now.body.version}"`);

    const same = await call(`/api/rooms/${room.links.viewer}/now`, { headers: { 'If-None-Match': etag } });
    expect(same.status).toBe(304);
    await ownerDoes(room, `/timers/${a.id}/pause`);
    const changed = await call(`/api/rooms/${room.links.viewer}/now`, { headers: { 'If-None-Match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.body.state).toBe('paused');
  });

  it('long-polls with ?wait= until the version changes, and times out with 304', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const t = await createTimer(room);
    const first = await call(`/api/rooms/${room.id}/now`, { auth: owner.token });
    const etag = first.headers.get('ETag') as string;

    const began = Date.now();
    const waiting = call(`/api/rooms/${room.id}/now?wait=20`, {
      auth: owner.token,
      headers: { 'If-None-Match': etag },
    });
    await new Promise((r) => setTimeout(r, 300));
    await ownerDoes(room, `/timers/${t.id}/start`);
    const answered = await waiting;
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ state: 'running', version: first.body.version + 1 });
    expect(Date.now() - began).toBeLessThan(15_000);

    const idle = await call(`/api/rooms/${room.id}/now?wait=1`, {
      auth: owner.token,
      headers: { 'If-None-Match': answered.headers.get('ETag') as string },
    });
    expect(idle.status).toBe(304);
  });

  it('refuses a bad wait with a message that says how to fix it', async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    for (const wait of ['-1', 'soon', '61', '1.5']) {
      const a = await call(`/api/rooms/${room.id}/now?wait=${wait}`, { auth: owner.token });
      expectError(a, 400, 'validation_failed');
    }
    const viewerDenied = await call(`/api/rooms/${room.id}/now`);
    expectError(viewerDenied, 401, 'unauthenticated');
  });
});
