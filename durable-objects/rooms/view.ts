/**
 * What a room shows and allows, shared by the TimerRoom and its relays: the snapshot a role sees at an instant, the
 * wire form of an event, who may run which command, and the access header the Worker hands an upgrade. Pure over the
 * room's state: a relay computes the same `room-state` from its cached copy at its own clock.
 */
import { z } from 'zod';
import type { RoomCommandInput } from '../../core/protocol.ts';
import type { ImportRundownInput } from '../../core/rooms/rundown-csv.ts';
import { computeSchedule } from '../../core/rooms/schedule.ts';
import { displayMs, elapsedMs, isClockRunning, remainingMs } from '../../core/rooms/timer.ts';
import type { RoomCommand, RoomEvent, RoomState } from '../../core/rooms/transition.ts';
import type { RoomLinks, RoomRole, RoomSnapshot, RoomWireEvent } from '../../core/rooms/wire.ts';

/** Who is asking: a verified account (from the Worker) and/or a share token. */
export interface Access {
  userId: string | null;
  token: string | null;
}

/** What an accepted command did: the room's new version and the events it broadcast. */
export interface CommandResult {
  version: number;
  events: RoomEvent[];
}
/** A command's answer as the idempotency log stores it (a retry reads it back); the RPC answer is `Answer<CommandResult>`. */
export type CommandAnswer = ({ ok: true } & CommandResult) | { ok: false; code: string; message: string };
export type Snapshot = RoomSnapshot;
/** A rotation's answer as the idempotency log stores it. */
export type RotateAnswer = { ok: true; links: RoomLinks } | { ok: false; code: string };

/** A room's counts, for ops and tests. */
export interface RoomStats {
  exists: boolean;
  sockets: number;
  version: number;
  running: boolean;
  alarm: number | null;
  boundary: number | null;
  tick: number | null;
  pending: number;
}

/** The room as `role` sees it at `now`; `links` (the owner's HTTP read only) are added when given. */
export function roomView(s: RoomState, role: RoomRole, now: number, links?: RoomLinks): RoomSnapshot {
  // A user id is the owner's to see: link holders get the room without it.
  const { ownerId, ...shared } = s.room;
  return {
    room: role === 'owner' ? { ...shared, ownerId } : shared,
    timers: s.timers,
    message: s.message,
    version: s.version,
    serverTime: now,
    role,
    ...(links && role === 'owner' ? { links } : {}),
    display: s.timers.map((t) => ({ id: t.id, displayMs: displayMs(t, now) })),
    played: s.played,
    schedule: computeSchedule(s, now),
  };
}

/** The readings of every running clock at `now` (a `ticks=1` socket's once-a-second frame), or null: none runs. */
export function tickMessage(s: RoomState, now: number) {
  const timers = s.timers
    .filter(isClockRunning)
    .map((t) =>
      t.mode === 'countup'
        ? { id: t.id, elapsedMs: elapsedMs(t, now) }
        : { id: t.id, remainingMs: remainingMs(t, now) },
    );
  return timers.length ? { type: 'tick' as const, timers } : null;
}

/** An event as every socket gets it: a settings change goes without the owner's user id (link holders listen too). */
export function wireEvent(e: RoomEvent): RoomWireEvent {
  if (e.type !== 'room-update') return e;
  const { ownerId: _, ...room } = e.room;
  return { ...e, room };
}

/** The access header the Worker sets on a room upgrade (X-KT-Access). */
export const accessHeader = z.object({
  userId: z.string().nullable(),
  token: z.string().nullable(),
  ticks: z.boolean().optional(),
  device: z.string().optional(),
  deviceId: z.string().optional(),
  /** The version an event-feed client already has (SSE Last-Event-ID). */
  since: z.number().int().min(0).optional(),
  /** The share-link socket route (not the SSE bridge): a viewer may be sent to a relay. */
  relay: z.boolean().optional(),
});
export type AccessHeader = z.infer<typeof accessHeader>;

export const messages = {
  room_not_found: 'No such room',
  forbidden: 'You cannot do that in this room',
  unauthenticated: 'Log in or use a share link',
} as const;
export const statusOf = { room_not_found: 404, forbidden: 403, unauthenticated: 401 } as const;

type Command = RoomCommandInput | ImportRundownInput;

/**
 * Why `role` may not run `command`, or null if it may. Viewers control nothing;
 * room settings are the owner's alone, over the WebSocket as over PUT /api/rooms/:id.
 */
export function refusal(role: RoomRole, command: Command): string | null {
  if (role === 'viewer') return 'Viewer links cannot control the room';
  if (command.type === 'update-room' && role !== 'owner') return 'Only the room owner can change the room';
  return null;
}

/** What the journal records of a command: the timer it touched, including the id a new timer was given. */
export function journalOf(input: RoomCommandInput | ImportRundownInput, command: RoomCommand) {
  if (command.type === 'create-timer') return { ...input, timerId: command.id };
  if (command.type === 'import-rundown')
    return { type: command.type, mode: command.mode, timerIds: command.timers.map((t) => t.id) };
  return input;
}

/** The timers an alarm's tick finished, with their labels, for the journal. */
export function finishedOf(prev: RoomState, events: RoomEvent[]) {
  return events.flatMap((e) =>
    e.type === 'timer-finished'
      ? [
          {
            timerId: e.timerId,
            finishedAt: e.finishedAt,
            label: prev.timers.find((t) => t.id === e.timerId)?.label ?? '',
          },
        ]
      : [],
  );
}

/** Maps a validated wire command to the core command (new timers get their id here, not in core). */
export function toCommand(input: RoomCommandInput | ImportRundownInput): RoomCommand {
  switch (input.type) {
    case 'create-timer':
      return { type: 'create-timer', id: crypto.randomUUID(), timer: input.timer };
    case 'import-rundown':
      return {
        type: 'import-rundown',
        mode: input.mode,
        timers: input.timers.map((t) => ({ ...t, buffer: null, chimes: null, id: crypto.randomUUID() })),
      };
    case 'set-message':
      return {
        type: 'set-message',
        text: input.text,
        flash: input.flash ?? false,
        blackout: input.blackout ?? false,
        target: input.target ?? 'all',
      };
    default:
      return input as RoomCommand;
  }
}
