import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { adjustBody, createTimerBody, messageBody, reorderBody, roomClientMessage, updateTimerBody } from '../../core/protocol.ts';
import type { z } from 'zod';
import { type RoomHandle, type TestSocket, call, createRoom, createTimer, durableView, openSocket, ownerDoes, signup } from './helpers.ts';

/** A room with an idle timer, a paused timer and a message: nothing in it moves by itself. */
async function quietRoom(): Promise<{ room: RoomHandle; timerIds: string[] }> {
  const owner = await signup();
  const room = await createRoom(owner);
  const a = await createTimer(room, { label: 'A' });
  const b = await createTimer(room, { label: 'B', durationMs: 120_000 });
  await ownerDoes(room, `/timers/${b.id}/start`);
  await ownerDoes(room, `/timers/${b.id}/pause`);
  await ownerDoes(room, '/message', { text: 'hello' });
  return { room, timerIds: [a.id, b.id] };
}

const isValidMessage = (text: string): boolean => {
  try {
    return roomClientMessage.safeParse(JSON.parse(text)).success;
  } catch {
    return false;
  }
};

const COMMAND_TYPES = ['create-timer', 'update-timer', 'delete-timer', 'start', 'pause', 'resume', 'reset', 'adjust', 'next', 'previous', 'select', 'reorder', 'set-message', 'clear-message', 'update-room'];

/** Frames that are each, in some way, not a valid client message. */
function badFrames(timerIds: string[]): fc.Arbitrary<string | Uint8Array> {
  const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom<unknown>(...timerIds, -1, 1e308, '', null, [], {}));
  const nearMiss = fc.record(
    {
      type: fc.oneof(fc.constantFrom('ping', 'request-sync', 'command', 'hello', 'PING', 'pong', ''), fc.string()),
      t0: anyValue,
      id: anyValue,
      device: anyValue,
      command: fc.oneof(
        anyValue,
        fc.record(
          { type: fc.constantFrom(...COMMAND_TYPES), timerId: anyValue, deltaMs: anyValue, timerIds: anyValue, text: anyValue, timer: anyValue, patch: anyValue, name: anyValue, extra: anyValue },
          { requiredKeys: ['type'] },
        ),
      ),
    },
    { requiredKeys: [] },
  );
  const jsonText = fc.oneof(fc.jsonValue({ maxDepth: 4 }), nearMiss).map((v) => JSON.stringify(v) ?? 'undefined');
  const notJson = fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('{', '{"type":"ping"', 'undefined', 'NaN', '\u0000', '{"type":"ping","t0":1}}', '\uD800'));
  const binary = fc.uint8Array({ maxLength: 300 });
  return fc.oneof(
    { weight: 4, arbitrary: jsonText.filter((t) => !isValidMessage(t)) },
    { weight: 2, arbitrary: notJson.filter((t) => !isValidMessage(t)) },
    { weight: 1, arbitrary: binary },
  );
}

/** Sends one frame and expects exactly an `error` back, carrying the unchanged version. */
async function expectRefused(ws: TestSocket, frame: string | Uint8Array | ArrayBuffer, version: number, code?: string): Promise<void> {
  ws.send(frame);
  const err = await ws.next('error', 2000);
  expect(err).toMatchObject({ code: code ?? expect.any(String), message: expect.any(String), version, serverTime: expect.any(Number) });
}

describe('WebSocket fuzz', () => {
  let room: RoomHandle;
  let timerIds: string[];
  beforeAll(async () => {
    ({ room, timerIds } = await quietRoom());
  });

  it('answers every malformed frame with an error, changes nothing, and stays usable', async () => {
    const before = await durableView(room);
    const ws = await openSocket(room.id, { auth: room.owner.token });
    await ws.next('devices');
    const seenBefore = ws.log.length;
    await fc.assert(
      fc.asyncProperty(badFrames(timerIds), async (frame) => {
        await expectRefused(ws, frame, before.version);
      }),
      { numRuns: 300 },
    );
    expect(await durableView(room)).toEqual(before);
    // Nothing but errors came back: no state broadcast, no ack.
    expect(new Set(ws.log.slice(seenBefore).map((m) => m.type))).toEqual(new Set(['error']));
    expect(ws.strays).toEqual([]);
    ws.send({ type: 'ping', t0: 42 });
    expect(await ws.next('pong')).toMatchObject({ t0: 42, version: before.version });
    ws.close();
  });

  it('refuses frames over 16 KiB, even when they would otherwise be valid, and binary frames', async () => {
    const before = await durableView(room);
    const ws = await openSocket(room.id, { auth: room.owner.token });
    const v = before.version;
    // Valid JSON and a valid message, padded with whitespace past the limit.
    await expectRefused(ws, `{"type":"command","id":"big","command":{"type":"next"}}${' '.repeat(17_000)}`, v, 'payload_too_large');
    await expectRefused(ws, JSON.stringify({ type: 'command', id: 'x', command: { type: 'set-message', text: 'x'.repeat(20_000) } }), v, 'payload_too_large');
    // 9,000 two-byte characters: under the limit in UTF-16 units, over it in bytes.
    await expectRefused(ws, JSON.stringify({ type: 'hello', device: 'é'.repeat(9_000) }), v, 'payload_too_large');
    await expectRefused(ws, 'x'.repeat(200_000), v, 'payload_too_large');
    await expectRefused(ws, new Uint8Array(20_000), v, 'payload_too_large');
    await expectRefused(ws, new TextEncoder().encode('{"type":"command","id":"bin","command":{"type":"next"}}'), v, 'invalid_message');
    await expectRefused(ws, new ArrayBuffer(0), v, 'invalid_message');
    // A command that parses but is refused by the room also changes nothing.
    await expectRefused(ws, JSON.stringify({ type: 'command', id: 'nf', command: { type: 'start', timerId: 'nope' } }), v, 'timer_not_found');
    expect(await durableView(room)).toEqual(before);
    ws.send({ type: 'request-sync' });
    expect(await ws.next('room-state')).toMatchObject({ version: v });
    ws.close();
  });

  it('viewer sockets get errors for commands and garbage alike', async () => {
    const before = await durableView(room);
    const ws = await openSocket(room.id, { token: room.links.viewer });
    await expectRefused(ws, JSON.stringify({ type: 'command', id: 'v', command: { type: 'next' } }), before.version, 'forbidden');
    await expectRefused(ws, '][', before.version, 'invalid_message');
    expect(await durableView(room)).toEqual(before);
    ws.close();
  });
});

describe('HTTP body fuzz', () => {
  let room: RoomHandle;
  let timerIds: string[];
  beforeAll(async () => {
    ({ room, timerIds } = await quietRoom());
  });

  const routes: [string, string, (ids: string[]) => string, z.ZodType][] = [
    ['create timer', 'POST', () => '/timers', createTimerBody],
    ['update timer', 'PUT', (ids) => `/timers/${ids[0]}`, updateTimerBody],
    ['adjust', 'POST', (ids) => `/timers/${ids[0]}/adjust`, adjustBody],
    ['message', 'POST', () => '/message', messageBody],
    ['reorder', 'POST', () => '/reorder', reorderBody],
  ];

  it.each(routes)('%s: random JSON bodies get a 4xx error body and change nothing', async (_name, method, path, schema) => {
    const before = await durableView(room);
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.dictionary(fc.constantFrom('label', 'durationMs', 'deltaMs', 'text', 'timerIds', 'mode', 'trigger', 'flash', 'startAt', 'x'), fc.jsonValue({ maxDepth: 2 })),
    );
    await fc.assert(
      fc.asyncProperty(
        body.filter((b) => !schema.safeParse(b).success),
        async (json) => {
          const a = await call(`/api/rooms/${room.id}${path(timerIds)}`, { method, json, auth: room.owner.token });
          expect(a.status, JSON.stringify({ json, body: a.body })).toBeGreaterThanOrEqual(400);
          expect(a.status).toBeLessThan(500);
          expect(a.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
        },
      ),
      { numRuns: 60 },
    );
    expect(await durableView(room)).toEqual(before);
  });

  it('non-UTF-8 and multi-byte bodies are judged by their bytes', async () => {
    const before = await durableView(room);
    const bad = await call(`/api/rooms/${room.id}/message`, { raw: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), headers: { 'Content-Type': 'application/json' }, auth: room.owner.token });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'invalid_json' } } });
    // 40,000 three-byte characters: 120 KB on the wire.
    const big = await call(`/api/rooms/${room.id}/message`, { json: { text: '€'.repeat(40_000) }, auth: room.owner.token });
    expect(big).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    expect(await durableView(room)).toEqual(before);
  });
});
