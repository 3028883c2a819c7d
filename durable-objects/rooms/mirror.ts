/**
 * What a room change sends to the mirrors: one outbox payload per accepted
 * command (or alarm), carrying the room row, changed timer definitions, deleted
 * timers and changed runs, plus the command itself for the action journal.
 */
import type { RoomEvent, RoomState } from '../../core/rooms/transition.ts';
import type { Actor, OpenRuns } from '../../core/rooms/runs.ts';
import { trackRuns } from '../../core/rooms/runs.ts';
import type { Timer } from '../../core/rooms/timer.ts';
import type { RoomInfo } from '../../core/rooms/transition.ts';
import type { RunRecord } from '../../core/rooms/runs.ts';
import { sql } from 'drizzle-orm';
import { roomActionsTable, roomsTable, timerRunsTable, timersTable } from '../../drizzle/schema.ts';
import { type Tx, checked, dateOrNull as d } from '../platform/mirrors/rows.ts';

/** The payload of a room outbox event. */
export interface RoomMirrorPayload {
  roomId: string;
  version: number;
  at: number;
  actor: { id: string | null; role: 'owner' | 'controller' | 'system' };
  /** The command (or 'alarm' / 'created' / 'deleted'), for the action journal and the event log. */
  command: { type: string; timerId?: string; [k: string]: unknown };
  room: RoomInfo | null;
  timers: Timer[];
  deletedTimerIds: string[];
  runs: RunRecord[];
}

const DEFINITION_KEYS = [
  'label',
  'mode',
  'durationMs',
  'targetTime',
  'trigger',
  'startAt',
  'warnMs',
  'dangerMs',
  'order',
] as const;
const definitionChanged = (a: Timer | undefined, b: Timer) => !a || DEFINITION_KEYS.some((k) => a[k] !== b[k]);

interface RoomChange {
  prev: RoomState;
  next: RoomState;
  events: RoomEvent[];
  actor: Actor;
  command: { type: string; [k: string]: unknown };
  openRuns: OpenRuns;
  now: number;
}

/** Builds the outbox payload and the new open-runs map for one accepted change. */
export function roomMirrorPayload(c: RoomChange): { payload: RoomMirrorPayload; openRuns: OpenRuns } {
  const runs = trackRuns(c.openRuns, c.prev, c.next, c.actor, c.now);
  const timers = c.next.timers.filter((t) =>
    definitionChanged(
      c.prev.timers.find((p) => p.id === t.id),
      t,
    ),
  );
  // Deletions, and the timers a rundown import replaced.
  const nextIds = new Set(c.next.timers.map((t) => t.id));
  const deletedTimerIds = c.prev.timers.filter((p) => !nextIds.has(p.id)).map((p) => p.id);
  return {
    payload: {
      roomId: c.next.room.id,
      version: c.next.version,
      at: c.now,
      actor: c.actor,
      command: c.command,
      room: c.next.room,
      timers,
      deletedTimerIds,
      runs: runs.changed,
    },
    openRuns: runs.open,
  };
}

/** Notifications for the Ops feed that a mirrored room change carries. */
export function roomNotifications(
  kind: string,
  p: RoomMirrorPayload,
): Array<{ kind: string; at: number; text: string; data: Record<string, unknown> }> {
  const name = p.room?.name ?? p.roomId;
  if (kind === 'room.created')
    return [{ kind: 'room-created', at: p.at, text: `Room “${name}” created`, data: { roomId: p.roomId } }];
  if (kind === 'room.deleted')
    return [{ kind: 'room-deleted', at: p.at, text: `Room “${name}” deleted`, data: { roomId: p.roomId } }];
  const finished =
    (p.command.finished as Array<{ timerId: string; label: string; finishedAt: number }> | undefined) ?? [];
  return finished.map((f) => ({
    kind: 'timer-finished',
    at: f.finishedAt,
    text: `“${f.label}” finished in “${name}”`,
    data: { roomId: p.roomId, timerId: f.timerId },
  }));
}

/** Upserts the room, its changed timers and runs (never rolled back by a late retry) and journals the command. */
export async function writeRoom(tx: Tx, eventId: string, kind: string, p: RoomMirrorPayload) {
  if (p.room) {
    const r = p.room;
    const values = {
      id: r.id,
      ownerId: r.ownerId,
      name: r.name,
      warnMs: r.warnMs,
      dangerMs: r.dangerMs,
      activeTimerId: r.activeTimerId,
      version: p.version,
      createdAt: new Date(r.createdAt),
      updatedAt: new Date(p.at),
      deletedAt: kind === 'room.deleted' ? new Date(p.at) : null,
    };
    const { id: _id, createdAt: _c, ...set } = values;
    await tx
      .insert(roomsTable)
      .values(checked('rooms', values))
      .onConflictDoUpdate({ target: roomsTable.id, set, setWhere: sql`${roomsTable.version} <= excluded.version` });
  }
  for (const t of p.timers) {
    const values = {
      roomId: p.roomId,
      id: t.id,
      label: t.label,
      mode: t.mode,
      durationMs: t.durationMs,
      targetTime: d(t.targetTime),
      trigger: t.trigger,
      startAt: d(t.startAt),
      warnMs: t.warnMs,
      dangerMs: t.dangerMs,
      position: t.order,
      version: p.version,
      createdAt: new Date(p.at),
      updatedAt: new Date(p.at),
      deletedAt: null,
    };
    const { roomId: _r, id: _i, createdAt: _c, ...set } = values;
    await tx
      .insert(timersTable)
      .values(checked('timers', values))
      .onConflictDoUpdate({
        target: [timersTable.roomId, timersTable.id],
        set,
        setWhere: sql`${timersTable.version} <= excluded.version`,
      });
  }
  for (const id of p.deletedTimerIds) {
    await tx
      .update(timersTable)
      .set({ deletedAt: new Date(p.at), version: p.version })
      .where(
        sql`${timersTable.roomId} = ${p.roomId} and ${timersTable.id} = ${id} and ${timersTable.version} <= ${p.version}`,
      );
  }
  for (const run of p.runs) {
    const values = {
      id: run.id,
      roomId: run.roomId,
      timerId: run.timerId,
      label: run.label,
      mode: run.mode,
      plannedMs: run.plannedMs,
      // Runs queued before the schedule existed carry neither field.
      plannedStart: d(run.plannedStart ?? null),
      overUnderMs: run.overUnderMs ?? null,
      startedAt: new Date(run.startedAt),
      finishedAt: d(run.finishedAt),
      endedAt: d(run.endedAt),
      status: run.status,
      endReason: run.endReason,
      elapsedMs: run.elapsedMs,
      pausedMs: run.pausedMs,
      overtimeMs: run.overtimeMs,
      startedBy: run.startedBy,
      startedByRole: run.startedByRole,
      endedBy: run.endedBy,
      endedByRole: run.endedByRole,
      version: run.version,
      updatedAt: new Date(run.updatedAt),
    };
    const { id: _i, startedAt: _s, startedBy: _b, startedByRole: _br, roomId: _r, timerId: _t, ...set } = values;
    await tx
      .insert(timerRunsTable)
      .values(checked('timerRuns', values))
      .onConflictDoUpdate({
        target: timerRunsTable.id,
        set,
        setWhere: sql`${timerRunsTable.version} <= excluded.version`,
      });
  }
  if (kind === 'room.command') {
    const { type, timerId, ...rest } = p.command;
    await tx
      .insert(roomActionsTable)
      .values(
        checked('roomActions', {
          id: eventId,
          roomId: p.roomId,
          version: p.version,
          command: type,
          timerId: timerId ?? null,
          payload: rest,
          actorId: p.actor.id,
          actorRole: p.actor.role,
          at: new Date(p.at),
        }),
      )
      .onConflictDoNothing({ target: roomActionsTable.id });
  }
}
