/**
 * The heart of the module, pure: the room as this client knows it, the server messages applied in version order
 * (a gap asks for a snapshot), and everything the buttons show derived from that state and an estimate of the
 * server's clock. It computes with the product's own core (core/rooms/now.ts, core/rooms/timer.ts,
 * core/time.ts), so a button reads exactly what the viewer shows. No I/O and no clock: `now` is passed in.
 */
import { type Phase, type Timer, elapsedMs, isClockRunning, remainingMs } from '../../../core/rooms/timer.ts';
import { roomNow } from '../../../core/rooms/now.ts';
import { type Played, computeSchedule } from '../../../core/rooms/schedule.ts';
import type { RoomMessage } from '../../../core/rooms/transition.ts';
import type { RoomInfoView, RoomServerMessage } from '../../../core/rooms/wire.ts';
import { formatDuration } from '../../../core/time.ts';

export interface RoomView {
  room: RoomInfoView | null;
  /** Sorted by `order`. */
  timers: Timer[];
  message: RoomMessage | null;
  version: number;
  /** What has played (actual cue starts and ends): the schedule is recomputed from it, as the viewer does. */
  played: Played;
  /** True once a full snapshot has been applied. */
  synced: boolean;
}

export const emptyView = (): RoomView => ({
  room: null,
  timers: [],
  message: null,
  version: 0,
  played: {},
  synced: false,
});

/** What applying one message did: the new view, and whether the client must ask for a snapshot (a version gap). */
export interface Applied {
  view: RoomView;
  sync: boolean;
  changed: boolean;
}

const sortTimers = (ts: readonly Timer[]): Timer[] => [...ts].sort((a, b) => a.order - b.order);

/** A snapshot, from HTTP or a `room-state`. */
export function loadSnapshot(
  view: RoomView,
  s: { room: RoomInfoView; timers: Timer[]; message: RoomMessage | null; version: number; played?: Played },
): RoomView {
  return {
    room: s.room,
    timers: sortTimers(s.timers),
    message: s.message,
    version: s.version,
    played: s.played ?? view.played,
    synced: true,
  };
}

/** Applies one server message in version order. Events of a version already seen are ignored; a gap asks for sync. */
export function applyMessage(view: RoomView, m: RoomServerMessage): Applied {
  const same = { view, sync: false, changed: false };
  switch (m.type) {
    case 'room-state':
      return { view: loadSnapshot(view, m), sync: false, changed: true };
    case 'ack':
    case 'error':
      return same;
    case 'pong':
    case 'tick':
    case 'user-count':
    case 'devices':
      // Presence and clock answers carry the room's version: a newer one means an event was missed.
      return { ...same, sync: view.synced && m.version > view.version };
  }
  // Only versioned room events change state (a device-only frame such as `identify` carries no version).
  if (!view.synced || !('version' in m)) return same;
  if (m.version > view.version + 1) return { ...same, sync: true };
  // Several events of one change share its version; older ones are already in the snapshot.
  if (m.version < view.version) return same;
  const next: RoomView = { ...view, version: m.version };
  switch (m.type) {
    case 'timer-update':
    case 'timer-created':
      next.timers = sortTimers([...view.timers.filter((t) => t.id !== m.timer.id), m.timer]);
      break;
    case 'timer-deleted':
      next.timers = view.timers.filter((t) => t.id !== m.timerId);
      break;
    case 'timers-reordered': {
      const order = new Map(m.timerIds.map((id, i) => [id, i]));
      next.timers = sortTimers(view.timers.map((t) => ({ ...t, order: order.get(t.id) ?? t.order })));
      break;
    }
    case 'message':
      next.message = m.message;
      break;
    case 'room-update':
      next.room = m.room;
      break;
    case 'schedule-update':
      next.played = m.played;
      break;
    default:
      // timer-finished, timer-phase and newer informational events: a timer-update carries the state, phases are
      // computed locally.
      break;
  }
  return { view: next, sync: false, changed: true };
}

// ── What the buttons show ────────────────────────────────────────────────
export const VARIABLE_IDS = [
  'remaining',
  'remaining_mmss',
  'remaining_hms',
  'remaining_seconds',
  'elapsed',
  'elapsed_hms',
  'display',
  'label',
  'next_label',
  'over_under',
  'over_under_seconds',
  'time_of_day',
  'state',
  'phase',
  'message',
  'blackout',
] as const;
export type VariableId = (typeof VARIABLE_IDS)[number];
export type Variables = Record<VariableId, string | number>;

/** The states the feedbacks test. */
export interface FeedbackState {
  phase: Phase;
  /** The active timer's state, or 'empty' in a room with no timers. */
  state: Timer['state'] | 'empty';
  running: boolean;
  paused: boolean;
  blackout: boolean;
  messageShown: boolean;
}

/** Whole seconds as the viewer counts them: the ceiling while counting down, the floor in overtime (formatDuration). */
export function displaySeconds(ms: number): number {
  return ms < 0 ? -Math.floor(-ms / 1000) : Math.ceil(ms / 1000);
}

const pad = (n: number) => String(n).padStart(2, '0');
const sign = (s: number) => (s < 0 ? '-' : '');

/** `[-]mm:ss`, minutes not wrapped into hours (75:00 for an hour and a quarter). */
export function formatMmSs(ms: number): string {
  const s = displaySeconds(ms);
  const a = Math.abs(s);
  return `${sign(s)}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** `[-]h:mm:ss`, always with the hours. */
export function formatHMmSs(ms: number): string {
  const s = displaySeconds(ms);
  const a = Math.abs(s);
  return `${sign(s)}${Math.floor(a / 3600)}:${pad(Math.floor((a % 3600) / 60))}:${pad(a % 60)}`;
}

/** Over/under as a show caller reads it: `+1:05` behind plan, `-0:30` ahead, `0:00` on time. */
export function formatOverUnder(ms: number): string {
  const s = Math.round(ms / 1000);
  const a = Math.abs(s);
  const body =
    a >= 3600
      ? `${Math.floor(a / 3600)}:${pad(Math.floor((a % 3600) / 60))}:${pad(a % 60)}`
      : `${Math.floor(a / 60)}:${pad(a % 60)}`;
  return (s > 0 ? '+' : s < 0 ? '-' : '') + body;
}

/** The server's time of day in the room's time zone (`HH:MM:SS`, 24-hour). */
export function formatTimeOfDay(serverNow: number, timeZone: string | undefined): string {
  const opts: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };
  try {
    return new Intl.DateTimeFormat('en-GB', { ...opts, timeZone: timeZone || 'UTC' }).format(serverNow);
  } catch {
    return new Intl.DateTimeFormat('en-GB', { ...opts, timeZone: 'UTC' }).format(serverNow);
  }
}

/** Every variable at server time `now`. Empty strings where the room has nothing to say (no timer, no schedule). */
export function deriveVariables(view: RoomView, now: number): Variables {
  const room = view.room;
  const reading = room
    ? roomNow({ room, timers: view.timers, message: view.message, version: view.version }, now)
    : null;
  const remaining = reading?.remainingMs ?? null;
  const elapsed = reading?.elapsedMs ?? null;
  const blackout = view.message?.blackout === true;
  const overUnder = overUnderAt(view, now);
  return {
    remaining: remaining === null ? '' : formatDuration(remaining),
    remaining_mmss: remaining === null ? '' : formatMmSs(remaining),
    remaining_hms: remaining === null ? '' : formatHMmSs(remaining),
    remaining_seconds: remaining === null ? '' : displaySeconds(remaining),
    elapsed: elapsed === null ? '' : formatDuration(elapsed),
    elapsed_hms: elapsed === null ? '' : formatHMmSs(elapsed),
    display: reading?.text ?? '',
    label: reading?.label ?? '',
    next_label: reading?.nextLabel ?? '',
    over_under: overUnder === null ? '' : formatOverUnder(overUnder),
    over_under_seconds: overUnder === null ? '' : Math.round(overUnder / 1000),
    time_of_day: formatTimeOfDay(now, room?.timeZone),
    state: reading?.state ?? '',
    phase: reading?.phase ?? '',
    // The operator's deck shows every message, presenter-only ones too.
    message: view.message?.text ?? '',
    blackout: blackout ? 'on' : 'off',
  };
}

/**
 * Over/under the plan at `now` (> 0: behind), from the room's live schedule (core/rooms/schedule.ts, recomputed
 * from what has played, as the viewer does); null while the show has no plan (no planned start and nothing played).
 */
export function overUnderAt(view: RoomView, now: number): number | null {
  if (!view.room || view.timers.length === 0) return null;
  const s = computeSchedule({ room: view.room, timers: view.timers, played: view.played }, now);
  return s.plannedStart === null ? null : s.overUnderMs;
}

export function deriveFeedback(view: RoomView, now: number): FeedbackState {
  const reading = view.room
    ? roomNow({ room: view.room, timers: view.timers, message: view.message, version: view.version }, now)
    : null;
  const state = reading?.state ?? 'empty';
  return {
    phase: reading?.phase ?? 'idle',
    state,
    running: state === 'running',
    paused: state === 'paused',
    blackout: view.message?.blackout === true,
    messageShown: view.message !== null && view.message.text !== '',
  };
}

/** Only the entries of `next` that differ from `prev` (what to hand to setVariableValues). */
export function changedVariables(prev: Partial<Variables>, next: Variables): Partial<Variables> {
  const out: Partial<Variables> = {};
  for (const id of VARIABLE_IDS) if (prev[id] !== next[id]) out[id] = next[id];
  return out;
}

/**
 * Milliseconds from server time `now` until a displayed value can next change: the next whole server second (the
 * time of day), or sooner when a running timer's shown second turns over before it. A few ms late, never early.
 */
export function msToNextChange(view: RoomView, now: number): number {
  let wait = 1000 - (((now % 1000) + 1000) % 1000);
  const mod = (n: number) => ((n % 1000) + 1000) % 1000;
  for (const t of view.timers) {
    if (!isClockRunning(t)) continue;
    // Remaining turns over as it crosses a whole second downwards; elapsed as it crosses one upwards.
    wait = Math.min(wait, mod(remainingMs(t, now)) || 1000, 1000 - mod(elapsedMs(t, now)));
  }
  return Math.max(1, wait) + 5;
}
