/**
 * A room's life outside its rundown: the mirror payload of its creation and deletion, the owner's room list kept in
 * step through the outbox, the cache tags a mirrored row invalidates, and the hand-over of a deleted room's dead
 * letters to Ops before its storage is wiped. Moved out of timer-room.ts; the TimerRoom's hooks call these.
 */
import type { Actor, OpenRuns } from '../../core/rooms/runs.ts';
import type { RoomState } from '../../core/rooms/transition.ts';
import type { Env } from '../platform/env.ts';
import type { DeadLetter, OutboxRow } from '../platform/outbox.ts';
import { accountStub } from '../platform/stubs.ts';
import type { ObjectRef, Ops } from '../ops/ops.ts';
import { type RoomMirrorPayload, roomMirrorPayload } from './mirror.ts';

/** The mirror payload of a room's creation or deletion (a deletion removes every timer and bumps the version). */
export function lifecyclePayload(
  state: RoomState,
  what: 'created' | 'deleted',
  actor: Actor,
  now: number,
  openRuns: OpenRuns,
): RoomMirrorPayload {
  const gone: RoomState = { ...state, timers: [] };
  const change = roomMirrorPayload({
    prev: state,
    next: what === 'deleted' ? gone : state,
    events: [],
    actor,
    command: { type: what },
    openRuns: what === 'deleted' ? openRuns : {},
    now,
  });
  return {
    ...change.payload,
    version: state.version + (what === 'deleted' ? 1 : 0),
    deletedTimerIds: what === 'deleted' ? state.timers.map((t) => t.id) : [],
  };
}

/**
 * The owner's room list hears of a create, a rename and a delete through the outbox, so a failed call is retried
 * by the drain (in order) instead of being lost. The Worker's routes also update the list at once; both are
 * idempotent.
 */
export async function deliverToOwner(env: Env, email: string | null, row: OutboxRow): Promise<void> {
  const p = row.payload as RoomMirrorPayload;
  if (!email || !p.room) return;
  const renamed = row.kind === 'room.command' && p.command.type === 'update-room' && p.command.name !== undefined;
  if (row.kind === 'room.created')
    await accountStub(env, email).addRoom({ id: p.roomId, name: p.room.name, createdAt: p.room.createdAt });
  else if (row.kind === 'room.deleted') await accountStub(env, email).removeRoom(p.roomId);
  else if (renamed) await accountStub(env, email).renameRoom(p.roomId, p.room.name, p.version);
}

export function roomCacheTags(row: OutboxRow): string[] {
  const p = row.payload as RoomMirrorPayload;
  return [`room:${p.roomId}`, ...(p.room ? [`rooms:${p.room.ownerId}`] : [])];
}

/**
 * Hands a deleted room's dead letters to Ops (which keeps them replayable) and a final report (nothing pending, no
 * sockets), so Ops keeps no phantom outbox entry. False when Ops could not take them: nothing may be wiped yet.
 */
export async function handOverToOps(
  ops: DurableObjectStub<Ops>,
  ref: ObjectRef,
  letters: DeadLetter[],
): Promise<boolean> {
  try {
    if (letters.length > 0) await ops.adoptDeadLetters(ref, letters);
    await ops.report({ ref, sockets: 0, active: false, pending: 0, oldestPendingAgeMs: null, dead: 0 });
    return true;
  } catch (err) {
    console.error(
      JSON.stringify({
        level: 'error',
        msg: 'deleted room not handed over to Ops',
        room: ref.name,
        error: String(err),
      }),
    );
    return false;
  }
}
