/**
 * The WebSocket fuzzer: every endpoint (room as owner, controller and viewer;
 * session; rack; floor board; ops feed) gets frames generated from its client
 * message schema and broken, commands its role may not send, and garbage
 * (binary, truncated JSON, lone surrogates, deep nesting). Each bad frame is
 * answered with exactly one `error {code, message}` frame, nothing else is
 * broadcast, the socket answers a ping afterwards, and the world is unchanged.
 * Sockets whose share link is rotated, or whose room is deleted, are closed
 * with 4001 and 4404.
 */
import { exports } from 'cloudflare:workers';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { roomCommand, sessionClientMessage } from '../../../core/protocol.ts';
import { accessHeaderValue } from '../../../worker/lib/access.ts';
import { scaled } from '../../support/time-scale.ts';
import {
  BASE,
  type TestSocket,
  createRoom,
  openSocket,
  ownerDoes,
  tryOpenSocket,
  wrapSocket,
} from '../../support/workers.ts';
import { UNICODE_EDGES, deepJson, fromSchema, mutated } from './fuzz-arbitraries.ts';
import { Tally } from './fuzz-lib.ts';
import { ENDPOINTS, type Endpoint, openEndpoint } from './fuzz-sockets.ts';
import { type World, buildWorld, snapshotWorld } from './fuzz-world.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const FRAMES_PER_ENDPOINT = 2_500;
/** Frames in flight before their errors are collected. */
const BATCH = 100;

let world: World;
const tally = new Tally();

beforeAll(async () => {
  world = await buildWorld('F10');
});

type Frame = string | Uint8Array;

const isValid = (e: Endpoint, f: Frame): boolean => {
  if (typeof f !== 'string') return false;
  if (e.name === 'ops feed') return f === '{"type":"ping"}';
  try {
    return e.schema.safeParse(JSON.parse(f)).success;
  } catch {
    return false;
  }
};

/** Frames `e` must answer with an error: broken messages, commands beyond its role, garbage. */
function badFrames(e: Endpoint, w: World, n: number, seed: number): Frame[] {
  const json = (v: unknown) => JSON.stringify(v) ?? 'undefined';
  const frames: Frame[] = fc.sample(mutated(e.schema), { numRuns: Math.floor(n * 0.55), seed }).map(json);
  if (e.name.startsWith('room')) {
    frames.push(
      ...fc
        .sample(mutated(roomCommand), { numRuns: Math.floor(n * 0.25), seed })
        .map((c, i) => json({ type: 'command', id: `fz-${i}`, command: c })),
    );
    // A viewer may send no command; a controller may not change the room's settings.
    if (e.name === 'room (viewer)')
      frames.push(
        ...fc
          .sample(fromSchema(roomCommand), { numRuns: 100, seed })
          .map((c, i) => json({ type: 'command', id: `v-${i}`, command: c })),
      );
    if (e.name === 'room (controller)')
      frames.push(
        ...['Hijacked', undefined].map((name, i) =>
          json({
            type: 'command',
            id: `c-${i}`,
            command: { type: 'update-room', ...(name ? { name } : { warnMs: 1 }) },
          }),
        ),
      );
  }
  if (e.name === 'session') {
    // Valid commands that claim to be another user's.
    const cmds = fc.sample(fromSchema(sessionClientMessage), { numRuns: 100, seed }) as Record<string, unknown>[];
    frames.push(...cmds.map((m) => json({ ...m, userId: w.other.user.id })));
  }
  frames.push(...fc.sample(fc.string({ unit: 'binary', maxLength: 200 }), { numRuns: Math.floor(n * 0.1), seed }));
  frames.push(...fc.sample(fc.uint8Array({ maxLength: 300 }), { numRuns: Math.floor(n * 0.05), seed }));
  const valid = e.probe.frame;
  for (let cut = 0; cut < valid.length; cut++) frames.push(valid.slice(0, cut));
  frames.push(
    ...UNICODE_EDGES,
    ...UNICODE_EDGES.map((s) => `{"type":"${s}"}`),
    '{"type":"ping","t0":NaN}',
    '{"type":"ping","t0":Infinity}',
    '{"type":"ping","t0":"1"}',
    '{"type":"ping","t0":1,"type":"command"}',
    deepJson(5_000),
    deepJson(3_000, 'object'),
    '['.repeat(8_000),
    'null',
    '[]',
    '{}',
    '"ping"',
    new TextEncoder().encode(valid),
    new Uint8Array([0xff, 0xfe, 0xfd]),
  );
  return frames.filter((f) => !isValid(e, f));
}

/** Sends frames in batches and expects exactly one error per frame; returns anything else received. */
async function expectErrors(ws: TestSocket, frames: Frame[], label: string): Promise<void> {
  for (let i = 0; i < frames.length; i += BATCH) {
    const batch = frames.slice(i, i + BATCH);
    for (const f of batch) ws.send(f);
    for (const f of batch) {
      try {
        const err = await ws.next('error', scaled(10_000));
        tally.count();
        if (typeof err.code !== 'string' || !/^[a-z][a-z0-9_]*$/.test(err.code) || typeof err.message !== 'string')
          tally.fail(`${label}: bad error frame ${JSON.stringify(err)}`);
      } catch (e) {
        tally.fail(
          `${label}: no error for ${JSON.stringify(typeof f === 'string' ? f.slice(0, 80) : `<${f.byteLength} bytes>`)}: ${String(e).slice(0, 200)}`,
        );
        return;
      }
    }
  }
}

/** Messages that would mean a bad frame changed or announced something. */
const ALLOWED = new Set(['error', 'pong', 'user-count', 'devices']);

describe('hostile WebSocket frames', () => {
  it('every endpoint answers each bad frame with one error, broadcasts nothing, stays usable, and nothing changes', async () => {
    const before = await snapshotWorld(world);
    const started = Date.now();
    for (const [i, e] of ENDPOINTS.entries()) {
      const ws = await openEndpoint(e, world);
      const seen = ws.log.length;
      await expectErrors(ws, badFrames(e, world, FRAMES_PER_ENDPOINT, SEED + i), e.name);
      ws.send(e.probe.frame);
      await ws.next(e.probe.answer, scaled(5000));
      const unexpected = ws.log.slice(seen).filter((m) => !ALLOWED.has(m.type));
      expect(
        unexpected.map((m) => m.type),
        e.name,
      ).toEqual([]);
      expect(ws.strays, e.name).toEqual([]);
      ws.close();
    }
    console.log(`hostile WS: ${tally.summary()} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(tally.failures, tally.failures.join('\n')).toEqual([]);
    expect(await snapshotWorld(world)).toEqual(before);
    expect(tally.total).toBeGreaterThan(10_000);
  });
});

describe('valid-ish commands', () => {
  it('every command a client could send gets an ack or an error, and the room and session keep answering', async () => {
    const room = await createRoom(world.other);
    const ws = await openSocket(room.id, { auth: world.other.token });
    // A command that fails validation is still answered under its id (a scheduled timer needs startAt).
    ws.send({
      type: 'command',
      id: 'named',
      command: { type: 'create-timer', timer: { label: 'x', durationMs: 1, trigger: 'scheduled' } },
    });
    expect(await ws.next('error', scaled(3000))).toMatchObject({ id: 'named', code: 'invalid_message' });
    const commands = fc.sample(fromSchema(roomCommand), { numRuns: 800, seed: SEED });
    for (let i = 0; i < commands.length; i += BATCH) {
      const batch = commands.slice(i, i + BATCH);
      batch.forEach((command, j) => ws.send({ type: 'command', id: `ok-${i + j}`, command }));
      for (const [j] of batch.entries()) {
        const answer = await ws.next(['ack', 'error'], scaled(10_000), (m) => m.id === `ok-${i + j}`);
        tally.count();
        if (answer.type === 'error' && !/^[a-z][a-z0-9_]*$/.test(answer.code))
          tally.fail(`command ${JSON.stringify(batch[j])}: ${JSON.stringify(answer)}`);
      }
    }
    ws.send({ type: 'request-sync' });
    await ws.next('room-state', scaled(5000));
    ws.close();
    const session = await openEndpoint(ENDPOINTS.find((e) => e.name === 'session') as Endpoint, {
      ...world,
      owner: world.other,
    });
    const messages = fc.sample(fromSchema(sessionClientMessage), { numRuns: 300, seed: SEED }) as Record<
      string,
      unknown
    >[];
    for (const [i, m] of messages.entries()) {
      session.send({ ...m, id: `s-${i}`, userId: world.other.user.id });
      await session.next(
        [
          'SESSION_STARTED',
          'SESSION_PAUSED',
          'SESSION_RESUMED',
          'SESSION_STOPPED',
          'SESSION_STATE',
          'SESSION_UPDATED',
          'SESSION_IDLE_CLEARED',
          'ACTIVITY_OK',
          'pong',
          'error',
        ],
        5000,
        (x) => x.replyTo === `s-${i}` || x.id === `s-${i}`,
      );
      tally.count();
    }
    session.close();
    expect(tally.failures, tally.failures.join('\n')).toEqual([]);
  });
});

describe('sockets the protocol closes', () => {
  it('a rotated share link closes its sockets with 4001; a deleted room closes every socket with 4404', async () => {
    const room = await createRoom(world.owner);
    const controller = await openSocket(room.id, { token: room.links.controller });
    const viewer = await openSocket(room.id, { token: room.links.viewer });
    await ownerDoes(room, '/links/rotate', { role: 'controller' });
    expect(await controller.closed(3000)).toMatchObject({ code: 4001 });
    // The rotated-out token cannot open a new one either.
    expect(await tryOpenSocket(room.id, { token: room.links.controller })).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden' } },
    });
    viewer.send({ type: 'ping', t0: 1 });
    await viewer.next('pong');
    await ownerDoes(room, '', undefined, 'DELETE');
    expect(await viewer.closed(3000)).toMatchObject({ code: 4404 });
    tally.count(4);
  });

  it('device names in any script reach the object intact, through an ASCII-only access header', async () => {
    const device = 'Régie 👩‍💻 \u202Eabc\u200B';
    const header = accessHeaderValue({ userId: 'u', device });
    expect(/^[\x20-\x7e]*$/.test(header)).toBe(true);
    expect(JSON.parse(header)).toEqual({ userId: 'u', device });
    expect(new Headers({ 'X-KT-Access': header }).get('X-KT-Access')).toBe(header);
    const res = await exports.default.fetch(
      new Request(`${BASE}/api/rooms/${world.room.id}/ws?device=${encodeURIComponent(device)}`, {
        headers: { Upgrade: 'websocket', Authorization: `Bearer ${world.owner.token}` },
      }),
    );
    expect(res.status).toBe(101);
    const ws = wrapSocket(res.webSocket as WebSocket);
    const listed = await ws.next('devices', scaled(3000), (m) =>
      m.devices.some((d: { device: string | null }) => d.device === device),
    );
    expect(listed.devices.filter((d: { device: string | null }) => d.device === device)).toHaveLength(1);
    ws.close();
    tally.count();
  });
});

describe('count', () => {
  it('prints the number of WebSocket inputs', () => {
    console.log(`fuzz-ws: ${tally.total} WebSocket frames in total`);
    expect(tally.total).toBeGreaterThan(10_000);
  });
});
