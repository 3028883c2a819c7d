/**
 * The state the fuzzer attacks, built so nothing in it moves by itself: a room
 * with an idle and a paused timer and a message, its owner's paused live
 * session, the owner's paused rack lease, another member with a room and a
 * paused session, and an admin. `snapshotWorld` reads every part of it that a
 * command could change (no clock readings), so equal snapshots mean nothing changed.
 */
import { expect } from 'vitest';
import {
  type RoomHandle,
  type Session,
  adminSession,
  call,
  createRoom,
  createTimer,
  durableView,
  ownerDoes,
  roomStub,
  signup,
} from '../../support/workers.ts';
import { rackStub, sessionStub } from '../../support/stubs.ts';

export interface World {
  owner: Session;
  other: Session;
  admin: Session;
  room: RoomHandle;
  otherRoom: RoomHandle;
  timerIds: [string, string];
  /** The room's current controller token; the first one was rotated out. */
  controller: string;
  rotated: string;
  viewer: string;
  rack: string;
  floor: string;
  lease: { session_id: string; fencing_token: number };
  /** Path parameters pointing at the owner's things. */
  params: Record<string, string>;
}

/** A room with an idle timer, a paused timer and a message; its first controller token rotated out. */
export async function quietRoom(
  owner: Session,
): Promise<{ room: RoomHandle; timerIds: [string, string]; rotated: string; controller: string }> {
  const room = await createRoom(owner);
  const a = await createTimer(room, { label: 'A' });
  const b = await createTimer(room, { label: 'B', durationMs: 120_000 });
  await ownerDoes(room, `/timers/${b.id}/start`);
  await ownerDoes(room, `/timers/${b.id}/pause`);
  await ownerDoes(room, '/message', { text: 'hello' });
  const rotated = room.links.controller;
  const controller = (await ownerDoes(room, '/links/rotate', { role: 'controller' })).body.links.controller as string;
  return { room, timerIds: [a.id, b.id], rotated, controller };
}

async function pausedSession(who: Session): Promise<void> {
  for (const verb of ['start', 'pause']) {
    const a = await call(`/api/sessions/${verb}`, {
      method: 'POST',
      auth: who.token,
      ...(verb === 'start' ? { json: { label: 'fuzz' } } : {}),
    });
    expect(a.status, JSON.stringify(a.body)).toBeLessThan(300);
  }
}

/** Ends any lease on `rack` and claims it for `holder`. */
export async function freshLease(
  holder: Session,
  rack: string,
  floor: string,
): Promise<{ session_id: string; fencing_token: number }> {
  await rackStub(rack).forceRelease(rack, 'fuzz reset', 'fuzz');
  const claim = await call(`/api/racks/${rack}/claim`, { auth: holder.token, json: { floor } });
  expect(claim.status, JSON.stringify(claim.body)).toBe(200);
  return { session_id: claim.body.session_id as string, fencing_token: claim.body.fencing_token as number };
}

/** Builds the world; `rack` must be a seeded rack no other test in the file uses. */
export async function buildWorld(rack = 'F12', floor = 'first'): Promise<World> {
  const [owner, other, admin] = await Promise.all([
    signup({ name: 'Owner' }),
    signup({ name: 'Other' }),
    adminSession(),
  ]);
  const [{ room, timerIds, rotated, controller }, otherRoom] = await Promise.all([quietRoom(owner), createRoom(other)]);
  await Promise.all([pausedSession(owner), pausedSession(other)]);
  const lease = await freshLease(owner, rack, floor);
  // Paused, the lease is held for 10 minutes: longer than the run, so it never expires under us.
  const paused = await call(`/api/racks/${rack}/pause`, { auth: owner.token, json: lease });
  expect(paused.status, JSON.stringify(paused.body)).toBe(200);
  const params = {
    room: room.id,
    timer: timerIds[0],
    rack,
    rackSession: lease.session_id,
    floor,
    dlq: 'no-such-letter',
    conflict: 'no-such-conflict',
    kind: 'room',
    name: room.id,
    email: `nobody-${crypto.randomUUID().slice(0, 8)}@example.com`,
    apiToken: 'ffffffffffffffff',
    device: 'no-such-device',
    webhook: `wh_${'0'.repeat(24)}`,
    delivery: `dlv_${'0'.repeat(32)}`,
    audit: `${rack}:999999`,
    item: `${rack}-ITEM1`,
    entry: '00000000-0000-7000-8000-000000000000',
    project: 'no-such-project',
    task: 'no-such-task',
  };
  return {
    owner,
    other,
    admin,
    room,
    otherRoom,
    timerIds,
    controller,
    rotated,
    viewer: room.links.viewer,
    rack,
    floor,
    lease,
    params,
  };
}

async function roomState(room: RoomHandle) {
  const [view, snap, stats] = await Promise.all([
    durableView(room),
    call(`/api/rooms/${room.id}`, { auth: room.owner.token }),
    roomStub(room.id).stats(),
  ]);
  return { view, links: snap.body.links, exists: stats.exists, version: stats.version };
}

async function sessionState(who: Session) {
  const s = await sessionStub(who.user.id).inspect();
  return { userId: s.userId, version: s.version, status: s.status, recent: s.recent };
}

/** Everything a command could change in the world. */
export async function snapshotWorld(w: World): Promise<unknown> {
  const [room, otherRoom, session, otherSession, rack, rooms, otherRooms, dlq, me, warehouse] = await Promise.all([
    roomState(w.room),
    roomState(w.otherRoom),
    sessionState(w.owner),
    sessionState(w.other),
    rackStub(w.rack).inspect(),
    call('/api/rooms', { auth: w.owner.token }),
    call('/api/rooms', { auth: w.other.token }),
    call('/api/ops/dlq', { auth: w.admin.token }),
    call('/api/me', { auth: w.owner.token }),
    call('/api/warehouse', { auth: w.admin.token }),
  ]);
  return {
    room,
    otherRoom,
    session,
    otherSession,
    rack: { lastToken: rack.lastToken, lease: rack.lease, sessions: rack.sessions, items: rack.items },
    rooms: rooms.body.rooms,
    otherRooms: otherRooms.body.rooms,
    dlq: dlq.body,
    me: me.body,
    warehouse: warehouse.body,
  };
}
