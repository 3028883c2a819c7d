/** Timer rooms: CRUD, share links, timer commands and the room WebSocket. */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { LIMITS } from '../../core/errors.ts';
import {
  adjustBody,
  createRoomBody,
  createTimerBody,
  deviceIdParam,
  messageBody,
  reorderBody,
  rotateBody,
  updateRoomBody,
  updateTimerBody,
  type RoomCommandInput,
} from '../../core/protocol.ts';
import type { Access, CommandResult } from '../../durable-objects/rooms/timer-room.ts';
import { roomIdOfToken } from '../../durable-objects/rooms/share-links.ts';
import type { AppEnv } from '../app-types.ts';
import { accessHeaderValue } from '../lib/access.ts';
import { unwrap } from '../lib/answer.ts';
import { ApiError } from '../lib/errors.ts';
import { requireUser, sessionHeaders } from '../middleware/auth.ts';
import { check, readJson } from '../middleware/validate.ts';
import { cacheResponse } from '../middleware/cache.ts';
import { cacheFor } from '../../durable-objects/platform/mirrors/clients.ts';
import { accountStub, roomStub } from '../../durable-objects/platform/stubs.ts';
import { locationHintFor } from '../lib/location.ts';
import { peerHeader, readLimits } from '../../durable-objects/platform/limits-config.ts';
import { RELAY_HEADER, relaySeat, relayStub } from '../../durable-objects/rooms/relay-protocol.ts';

/** The owner's room list changed: drop its cached copy now, before the mirror catches up. */
const forgetRoomList = (c: Context<AppEnv>, userId: string) => cacheFor(c.env).invalidate([`rooms:${userId}`]);

const ROOM_ID = /^[0-9a-f]{20}$/;
const timerIdParam = z.string().min(1).max(64);

function newRoomId(): string {
  return [...crypto.getRandomValues(new Uint8Array(10))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Resolves `:id` (a room id, or a share token) to the room's object and the caller's access. */
export function roomTarget(c: Context<AppEnv>, idOrToken: string) {
  const fromToken = roomIdOfToken(idOrToken);
  const roomId = fromToken ?? idOrToken;
  if (!ROOM_ID.test(roomId)) throw new ApiError('room_not_found', 'No such room');
  const presented = fromToken ? idOrToken : (c.req.query('token') ?? c.req.header('X-Room-Token') ?? null);
  const access: Access = {
    userId: c.var.user?.id ?? null,
    token: presented && roomIdOfToken(presented) ? presented : null,
  };
  return { roomId, access, stub: roomStub(c.env, roomId) };
}

/**
 * Owner-only routes need an account. A caller who brought only a share link
 * (in the path, ?token= or X-Room-Token) is known but not allowed: 403, as on
 * every other route a link does not open; a caller with nothing gets 401.
 */
export function requireOwnerCaller(c: Context<AppEnv>) {
  if (!c.var.user && (roomIdOfToken(c.req.param('id') ?? '') || c.req.query('token') || c.req.header('X-Room-Token')))
    throw new ApiError('forbidden', 'Only the room owner can do this');
  return requireUser(c);
}

export function idempotencyKey(c: Context<AppEnv>): string | null {
  const key = c.req.header('Idempotency-Key');
  if (key === undefined) return null;
  if (key.length === 0 || key.length > LIMITS.idempotencyKey)
    throw new ApiError('validation_failed', `Idempotency-Key must be 1–${LIMITS.idempotencyKey} characters`);
  return key;
}

async function run(c: Context<AppEnv>, command: RoomCommandInput): Promise<CommandResult> {
  const { stub, access } = roomTarget(c, c.req.param('id') as string);
  return unwrap(await stub.command(access, command, idempotencyKey(c)));
}

/** The timer a command's events left behind, for the response body. */
function timerFrom(answer: CommandResult, timerId?: string) {
  for (const e of [...answer.events].reverse()) {
    if ((e.type === 'timer-update' || e.type === 'timer-created') && (!timerId || e.timer.id === timerId))
      return e.timer;
  }
  return undefined;
}

const timerAction = (type: 'start' | 'pause' | 'resume' | 'reset') => async (c: Context<AppEnv>) => {
  const timerId = check(timerIdParam, c.req.param('timerId'));
  const answer = await run(c, { type, timerId });
  return c.json({ ok: true, version: answer.version, timer: timerFrom(answer, timerId) });
};

export const roomRoutes = new Hono<AppEnv>()
  .post('/rooms', async (c) => {
    const user = requireUser(c);
    const { name } = await readJson(c, createRoomBody);
    const { roomsPerUser } = readLimits(c.env);
    if ((await accountStub(c.env, user.email).rooms()).length >= roomsPerUser)
      throw new ApiError('quota_exceeded', `An account can own at most ${roomsPerUser} rooms; delete one first`, {
        quota: 'rooms_per_user',
        limit: roomsPerUser,
      });
    const id = newRoomId();
    // A new room lives near its owner, whose control panel is the latency-sensitive client.
    const hint = locationHintFor(c.req.raw.cf);
    const created = await roomStub(c.env, id, hint ? { locationHint: hint } : undefined).create({
      id,
      name,
      ownerId: user.id,
      ownerEmail: user.email,
    });
    await accountStub(c.env, user.email).addRoom({ id, name, createdAt: created.room.createdAt });
    await forgetRoomList(c, user.id);
    return c.json({ room: created.room, links: created.links }, 201);
  })
  .get(
    '/rooms',
    cacheResponse({
      tier: 'short',
      key: (c) => `rooms:list:${requireUser(c).id}`,
      tags: (c) => [`rooms:${requireUser(c).id}`],
    }),
    async (c) => {
      const user = requireUser(c);
      return c.json({ rooms: await accountStub(c.env, user.email).rooms(), cached: false });
    },
  )
  .get('/rooms/:id', async (c) => {
    const { stub, access } = roomTarget(c, c.req.param('id'));
    return c.json(unwrap(await stub.snapshot(access)));
  })
  .put('/rooms/:id', async (c) => {
    const user = requireOwnerCaller(c);
    const body = await readJson(c, updateRoomBody);
    const { stub, access, roomId } = roomTarget(c, c.req.param('id'));
    unwrap(await stub.command({ ...access, token: null }, { type: 'update-room', ...body }, idempotencyKey(c)));
    const snapshot = unwrap(await stub.snapshot({ ...access, token: null }));
    // The room's name as it now is: a replayed Idempotency-Key must not rename the account's entry.
    if (body.name) {
      await accountStub(c.env, user.email).renameRoom(roomId, snapshot.room.name, snapshot.version);
      await forgetRoomList(c, user.id);
    }
    return c.json(snapshot);
  })
  .delete('/rooms/:id', async (c) => {
    const user = requireOwnerCaller(c);
    const { stub, access, roomId } = roomTarget(c, c.req.param('id'));
    unwrap(await stub.destroy({ ...access, token: null }));
    await accountStub(c.env, user.email).removeRoom(roomId);
    await forgetRoomList(c, user.id);
    return c.body(null, 204);
  })
  .post('/rooms/:id/links/rotate', async (c) => {
    requireOwnerCaller(c);
    const { role } = await readJson(c, rotateBody);
    const { stub, access } = roomTarget(c, c.req.param('id'));
    const { links } = unwrap(await stub.rotate({ ...access, token: null }, role, idempotencyKey(c)));
    return c.json({ links });
  })
  // ── Timers ───────────────────────────────────────────────────────────
  .post('/rooms/:id/timers', async (c) => {
    const timer = await readJson(c, createTimerBody);
    const answer = await run(c, { type: 'create-timer', timer });
    const created = answer.events.find((e) => e.type === 'timer-created');
    return c.json(
      { timer: created && 'timer' in created ? created.timer : timerFrom(answer), version: answer.version },
      201,
    );
  })
  .put('/rooms/:id/timers/:timerId', async (c) => {
    const timerId = check(timerIdParam, c.req.param('timerId'));
    const patch = await readJson(c, updateTimerBody);
    const answer = await run(c, { type: 'update-timer', timerId, patch });
    return c.json({ timer: timerFrom(answer, timerId), version: answer.version });
  })
  .delete('/rooms/:id/timers/:timerId', async (c) => {
    const timerId = check(timerIdParam, c.req.param('timerId'));
    const answer = await run(c, { type: 'delete-timer', timerId });
    return c.json({ ok: true, deleted: timerId, version: answer.version });
  })
  .post('/rooms/:id/timers/:timerId/start', timerAction('start'))
  .post('/rooms/:id/timers/:timerId/pause', timerAction('pause'))
  .post('/rooms/:id/timers/:timerId/resume', timerAction('resume'))
  .post('/rooms/:id/timers/:timerId/reset', timerAction('reset'))
  .post('/rooms/:id/timers/:timerId/select', async (c) => {
    const timerId = check(timerIdParam, c.req.param('timerId'));
    const answer = await run(c, { type: 'select', timerId });
    return c.json({ ok: true, version: answer.version });
  })
  .post('/rooms/:id/timers/:timerId/adjust', async (c) => {
    const timerId = check(timerIdParam, c.req.param('timerId'));
    const { deltaMs } = await readJson(c, adjustBody);
    const answer = await run(c, { type: 'adjust', timerId, deltaMs });
    return c.json({ ok: true, version: answer.version, timer: timerFrom(answer, timerId) });
  })
  .post('/rooms/:id/next', async (c) => {
    const answer = await run(c, { type: 'next' });
    return c.json({ ok: true, version: answer.version });
  })
  .post('/rooms/:id/previous', async (c) => {
    const answer = await run(c, { type: 'previous' });
    return c.json({ ok: true, version: answer.version });
  })
  .post('/rooms/:id/reorder', async (c) => {
    const { timerIds } = await readJson(c, reorderBody);
    const answer = await run(c, { type: 'reorder', timerIds });
    return c.json({ ok: true, version: answer.version });
  })
  .post('/rooms/:id/message', async (c) => {
    const body = await readJson(c, messageBody);
    const answer = await run(c, { type: 'set-message', ...body });
    return c.json({ ok: true, version: answer.version });
  })
  .delete('/rooms/:id/message', async (c) => {
    const answer = await run(c, { type: 'clear-message' });
    return c.json({ ok: true, version: answer.version });
  })
  // ── Live connection ──────────────────────────────────────────────────
  .get('/rooms/:id/ws', async (c) => {
    if (c.req.header('Upgrade')?.toLowerCase() !== 'websocket')
      throw new ApiError('upgrade_required', 'Open this route as a WebSocket', undefined, 426);
    const { stub, access, roomId } = roomTarget(c, c.req.param('id'));
    const device = c.req.query('device')?.slice(0, 80);
    const since = Number(c.req.query('since') || Number.NaN);
    // A malformed device id is left out: the socket still opens, as a device that cannot be named or targeted.
    const deviceId = deviceIdParam.safeParse(c.req.query('deviceId')).data;
    const headers = new Headers({
      Upgrade: 'websocket',
      ...peerHeader(c.req.header('CF-Connecting-IP')),
      'X-KT-Access': accessHeaderValue({
        ...access,
        ticks: c.req.query('ticks') === '1',
        ...(device ? { device } : {}),
        ...(deviceId ? { deviceId } : {}),
        // A viewer resuming (`since=` its version) gets exactly the messages it missed, from the room or a relay.
        ...(Number.isSafeInteger(since) && since >= 0 ? { since } : {}),
        // Past the room's threshold a share-link viewer is seated on a relay (durable-objects/rooms/relays.ts).
        relay: true,
      }),
      // A socket opened on the account (not a share link) is re-checked against the token on every frame.
      ...(access.token === null ? sessionHeaders(c) : {}),
    });
    const res = await stub.fetch(new Request(c.req.url, { headers }));
    const seat = res.status === 204 ? res.headers.get(RELAY_HEADER) : null;
    if (!seat) return res;
    // The room seated this viewer on relay `index`: the socket opens there (the seat carries the link's generation).
    const { index } = relaySeat.parse(JSON.parse(seat));
    headers.set(RELAY_HEADER, seat);
    return relayStub(c.env, roomId, index).fetch(new Request(c.req.url, { headers }));
  });
