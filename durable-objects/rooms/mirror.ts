/**
 * What a room change sends to the mirrors: one outbox payload per accepted
 * command (or alarm), carrying the room row, changed timer definitions, deleted
 * timers and changed runs, plus the command itself for the action journal.
 */
import type { RoomEvent, RoomState } from '../../core/rooms/transition.ts';
import type { Actor, OpenRuns } from '../../core/rooms/runs.ts';
import { trackRuns } from '../../core/rooms/runs.ts';
import type { Timer } from '../../core/rooms/timer.ts';
import type { RoomMirrorPayload } from '../platform/mirrors/writers.ts';

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

export interface RoomChange {
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
  const deletedTimerIds = c.events.flatMap((e) => (e.type === 'timer-deleted' ? [e.timerId] : []));
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
