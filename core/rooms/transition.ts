/**
 * The timer room's rules as a pure transition:
 * `transition(state, command, now) → { state, events } | { rejected }`.
 * No I/O, no clock: `now` is passed in, ids for new timers come with the command.
 */
import { Draft, frozen, handedOver, resumed, revived, stopOthers } from './draft.ts';
import { settle } from './boundaries.ts';
import type { Played } from './schedule.ts';
import {
  type Buffer,
  type Chimes,
  type Phase,
  type Timer,
  type TimerMode,
  type TimerTrigger,
  isClockRunning,
  makeTimer,
  resetTimer,
} from './timer.ts';

export { anyRunning, nextBoundary, settle } from './boundaries.ts';

// ── State ──────────────────────────────────────────────────────────────────
export interface RoomInfo {
  id: string;
  name: string;
  ownerId: string;
  createdAt: number;
  warnMs: number;
  dangerMs: number;
  activeTimerId: string | null;
  /** Planned start of the show (epoch ms), or null: the schedule then starts at the first cue's actual start. */
  plannedStart: number | null;
  /** IANA time zone the clock and agenda views show times in. */
  timeZone: string;
  /** Which moments chime on viewers that enabled sound (timers may override). */
  chimes: Chimes;
}

/** Who sees a message: every screen, or the presenter view only. */
export type MessageTarget = 'all' | 'presenter';

export interface RoomMessage {
  text: string;
  flash: boolean;
  blackout: boolean;
  target: MessageTarget;
}

export interface RoomState {
  room: RoomInfo;
  /** Sorted by `order`. */
  timers: Timer[];
  message: RoomMessage | null;
  version: number;
  /** Server time of the last accepted command; boundaries never land before it. */
  lastCommandAt: number;
  /** Phase last announced per running timer, so crossings are announced once. */
  phases: Record<string, Phase>;
  /** Actual start and end of each cue played in this show (see core/rooms/schedule.ts); one per timer at most. */
  played: Played;
}

export const MAX_TIMERS = 500;
const DEFAULT_WARN_MS = 60_000;
const DEFAULT_DANGER_MS = 15_000;
export const DEFAULT_CHIMES: Chimes = { warning: false, danger: false, zero: true };

export function makeRoom(info: Pick<RoomInfo, 'id' | 'name' | 'ownerId' | 'createdAt'> & Partial<RoomInfo>): RoomState {
  return {
    room: {
      warnMs: DEFAULT_WARN_MS,
      dangerMs: DEFAULT_DANGER_MS,
      activeTimerId: null,
      plannedStart: null,
      timeZone: 'UTC',
      chimes: { ...DEFAULT_CHIMES },
      ...info,
    },
    timers: [],
    message: null,
    version: 0,
    lastCommandAt: info.createdAt,
    phases: {},
    played: {},
  };
}

/**
 * A stored room brought up to the current shape: rooms saved before a field existed get its default, so every
 * reader (the object, its snapshot, the site) can rely on the full shape.
 */
export function upgradeRoom(stored: RoomState): RoomState {
  const base = makeRoom(stored.room);
  const room = { ...base.room, ...stored.room };
  const timers = stored.timers.map((t) => makeTimer(t));
  const message = stored.message ? { ...stored.message, target: stored.message.target ?? 'all' } : null;
  const ids = new Set(timers.map((t) => t.id));
  const played = Object.fromEntries(
    Object.entries((stored as Partial<RoomState>).played ?? {}).filter(([id]) => ids.has(id)),
  );
  return { ...stored, room, timers, message, played };
}

// ── Commands ───────────────────────────────────────────────────────────────
export interface TimerFields {
  label: string;
  durationMs: number;
  mode: TimerMode;
  targetTime: number | null;
  trigger: TimerTrigger;
  startAt: number | null;
  warnMs: number | null;
  dangerMs: number | null;
  plannedStart: number | null;
  notes: string;
  buffer: Buffer | null;
  chimes: Chimes | null;
}

/** The room settings `update-room` may change. */
export type RoomSettings = Partial<
  Pick<RoomInfo, 'name' | 'warnMs' | 'dangerMs' | 'plannedStart' | 'timeZone' | 'chimes'>
>;

export type RoomCommand =
  | { type: 'create-timer'; id: string; timer: Partial<TimerFields> & { label: string; durationMs: number } }
  | { type: 'update-timer'; timerId: string; patch: Partial<TimerFields> }
  | { type: 'delete-timer'; timerId: string }
  | { type: 'start' | 'pause' | 'resume' | 'reset'; timerId?: string }
  | { type: 'adjust'; timerId?: string; deltaMs: number }
  | { type: 'next' | 'previous' }
  | { type: 'select'; timerId: string }
  | { type: 'reorder'; timerIds: string[] }
  | { type: 'set-message'; text: string; flash: boolean; blackout: boolean; target: MessageTarget }
  | { type: 'clear-message' }
  | ({ type: 'update-room' } & RoomSettings)
  /** A whole rundown at once, all or nothing: `replace` drops every timer first; `append` adds after the last. */
  | { type: 'import-rundown'; mode: 'replace' | 'append'; timers: Array<TimerFields & { id: string }> }
  /** Internal: apply every boundary (finish, scheduled start, threshold) due by `now`. */
  | { type: 'tick' };

// ── Events ─────────────────────────────────────────────────────────────────
export type RoomEvent =
  | { type: 'timer-update'; timer: Timer }
  | { type: 'timer-created'; timer: Timer }
  | { type: 'timer-deleted'; timerId: string }
  | { type: 'timer-finished'; timerId: string; finishedAt: number }
  | { type: 'timers-reordered'; timerIds: string[] }
  /** An import changed the rundown: every timer, in order (replacing the client's list). */
  | { type: 'rundown-replaced'; timers: Timer[] }
  | { type: 'timer-phase'; timerId: string; phase: Phase }
  | { type: 'message'; message: RoomMessage | null }
  | { type: 'room-update'; room: RoomInfo }
  /** What has played changed (a cue started, ended, was reset or deleted): clients recompute the schedule. */
  | { type: 'schedule-update'; played: Played };

export type RejectCode =
  | 'timer_not_found'
  | 'no_timers'
  | 'not_running'
  | 'not_paused'
  | 'already_running'
  | 'timer_finished'
  | 'no_next_timer'
  | 'no_previous_timer'
  | 'invalid_order'
  | 'too_many_timers'
  | 'invalid_timer';

type Result = { state: RoomState; events: RoomEvent[] } | { rejected: RejectCode; message: string };

const reject = (rejected: RejectCode, message: string): Result => ({ rejected, message });

// ── Transition ─────────────────────────────────────────────────────────────
/**
 * Applies `cmd` at `now`. Due boundaries are applied first, so a command always
 * acts on up-to-date state. The version rises by one for each accepted command
 * (or tick) that produced events, and never otherwise.
 */
export function transition(state: RoomState, cmd: RoomCommand, now: number): Result {
  const settled = settle(state, now);
  const draft = new Draft(settled.state, now);
  draft.events.push(...settled.events);
  const rejected = apply(draft, cmd);
  if (rejected) return rejected;
  if (cmd.type !== 'tick') {
    draft.state = { ...draft.state, lastCommandAt: now };
    // The command may have crossed thresholds or made a timer due at once.
    const after = settle(draft.state, now);
    draft.state = after.state;
    draft.events.push(...after.events);
  }
  prunePlayed(draft);
  if (playedChanged(state.played, draft.state))
    draft.events.push({ type: 'schedule-update', played: draft.state.played });
  if (draft.events.length === 0) return { state: draft.state, events: [] };
  return { state: { ...draft.state, version: state.version + 1 }, events: draft.events };
}

function apply(d: Draft, cmd: RoomCommand): Result | null {
  const now = d.now;
  switch (cmd.type) {
    case 'tick':
      return null;
    case 'create-timer': {
      if (d.state.timers.length >= MAX_TIMERS)
        return reject('too_many_timers', `A room holds at most ${MAX_TIMERS} timers`);
      if (d.state.timers.some((t) => t.id === cmd.id)) return reject('invalid_timer', 'A timer with this id exists');
      const order = (d.state.timers.at(-1)?.order ?? -1) + 1;
      const created = makeTimer({ ...definedFields(cmd.timer), id: cmd.id, order });
      const invalid = invalidDefinition(created);
      if (invalid) return reject('invalid_timer', invalid);
      d.put(created, 'timer-created');
      if (d.state.room.activeTimerId === null) d.setActive(cmd.id);
      return null;
    }
    case 'update-timer': {
      const t = d.find(cmd.timerId);
      if (!t || t.id !== cmd.timerId) return reject('timer_not_found', 'No such timer');
      const next = { ...t, ...definedFields(cmd.patch) };
      const invalid = invalidDefinition(next);
      if (invalid) return reject('invalid_timer', invalid);
      // A longer duration gives a finished timer time back, as adjust does.
      d.put(revived(next, now));
      return null;
    }
    case 'delete-timer': {
      const idx = d.state.timers.findIndex((t) => t.id === cmd.timerId);
      if (idx < 0) return reject('timer_not_found', 'No such timer');
      // Orders stay 0..n-1; the relative order of the others is unchanged, so no reorder event.
      const timers = d.state.timers
        .filter((t) => t.id !== cmd.timerId)
        .map((t, order) => (t.order === order ? t : { ...t, order }));
      const { [cmd.timerId]: _gone, ...phases } = d.state.phases;
      d.state = { ...d.state, timers, phases };
      d.events.push({ type: 'timer-deleted', timerId: cmd.timerId });
      if (d.state.room.activeTimerId === cmd.timerId) d.setActive((timers[idx] ?? timers[idx - 1])?.id ?? null);
      return null;
    }
    case 'start': {
      const t = d.find(cmd.timerId);
      if (!t)
        return d.state.timers.length
          ? reject('timer_not_found', 'No such timer')
          : reject('no_timers', 'The room has no timers');
      if (t.state === 'running') return reject('already_running', 'The timer is already running');
      if (t.state === 'finished') return reject('timer_finished', 'The timer has finished; reset it first');
      stopOthers(d, t.id, now);
      d.put(
        t.state === 'paused'
          ? resumed(t, now)
          : { ...t, state: 'running', startedAt: now, pausedAt: null, accumulatedMs: 0 },
      );
      d.setActive(t.id);
      return null;
    }
    case 'pause': {
      const t = d.find(cmd.timerId);
      if (!t) return reject('timer_not_found', 'No such timer');
      if (!isClockRunning(t)) return reject('not_running', 'The timer is not running');
      d.put(frozen(t, now, t.state === 'finished' ? 'finished' : 'paused'));
      return null;
    }
    case 'resume': {
      const t = d.find(cmd.timerId);
      if (!t) return reject('timer_not_found', 'No such timer');
      if (t.state !== 'paused') return reject('not_paused', 'The timer is not paused');
      stopOthers(d, t.id, now);
      d.put(resumed(t, now));
      d.setActive(t.id);
      return null;
    }
    case 'reset': {
      const t = d.find(cmd.timerId);
      if (!t) return reject('timer_not_found', 'No such timer');
      if (t.state === 'idle' && t.adjustMs === 0) return null;
      d.put(resetTimer(t));
      return null;
    }
    case 'adjust': {
      const t = d.find(cmd.timerId);
      if (!t) return reject('timer_not_found', 'No such timer');
      if (cmd.deltaMs === 0) return null;
      // Adding time to a finished timer brings it back from overtime.
      d.put(revived({ ...t, adjustMs: t.adjustMs + cmd.deltaMs }, now));
      return null;
    }
    case 'next':
    case 'previous': {
      const ts = d.state.timers;
      if (ts.length === 0) return reject('no_timers', 'The room has no timers');
      const cur = d.find(undefined);
      const idx = cur ? ts.findIndex((t) => t.id === cur.id) : -1;
      const target = ts[cmd.type === 'next' ? idx + 1 : idx - 1];
      if (!target)
        return cmd.type === 'next'
          ? reject('no_next_timer', 'This is the last timer')
          : reject('no_previous_timer', 'This is the first timer');
      const wasRunning = cur !== null && isClockRunning(cur);
      if (cur && wasRunning) {
        d.put(frozen(cur, now, 'finished'));
        d.put(handedOver(target, now));
      } else if (cur && cur.state === 'paused') d.endPlayed(cur.id, cur.pausedAt ?? now);
      d.setActive(target.id);
      return null;
    }
    case 'select': {
      const t = d.find(cmd.timerId);
      if (!t || t.id !== cmd.timerId) return reject('timer_not_found', 'No such timer');
      d.setActive(t.id);
      return null;
    }
    case 'reorder': {
      const ids = d.state.timers.map((t) => t.id);
      const same =
        cmd.timerIds.length === ids.length &&
        new Set(cmd.timerIds).size === ids.length &&
        cmd.timerIds.every((id) => ids.includes(id));
      if (!same) return reject('invalid_order', 'timerIds must list every timer exactly once');
      if (cmd.timerIds.every((id, i) => ids[i] === id)) return null;
      const timers = cmd.timerIds.map((id, order) => ({
        ...(d.state.timers.find((t) => t.id === id) as Timer),
        order,
      }));
      d.state = { ...d.state, timers };
      d.events.push({ type: 'timers-reordered', timerIds: cmd.timerIds });
      return null;
    }
    case 'set-message': {
      const message = { text: cmd.text, flash: cmd.flash, blackout: cmd.blackout, target: cmd.target };
      d.state = { ...d.state, message };
      d.events.push({ type: 'message', message });
      return null;
    }
    case 'clear-message': {
      if (d.state.message === null) return null;
      d.state = { ...d.state, message: null };
      d.events.push({ type: 'message', message: null });
      return null;
    }
    case 'import-rundown':
      return importRundown(d, cmd);
    case 'update-room': {
      const room = { ...d.state.room };
      if (cmd.name !== undefined) room.name = cmd.name;
      if (cmd.warnMs !== undefined) room.warnMs = cmd.warnMs;
      if (cmd.dangerMs !== undefined) room.dangerMs = cmd.dangerMs;
      if (cmd.plannedStart !== undefined) room.plannedStart = cmd.plannedStart;
      if (cmd.timeZone !== undefined) room.timeZone = cmd.timeZone;
      if (cmd.chimes !== undefined) room.chimes = cmd.chimes;
      d.state = { ...d.state, room };
      d.events.push({ type: 'room-update', room });
      return null;
    }
  }
}

/**
 * An import: every definition is checked as create-timer checks one, and the cap applies to the result; any
 * refusal leaves the room as it was. Replace stops whatever ran (its timers are gone) and makes the first new
 * timer active; append keeps the active timer, or makes the first new one active when there was none.
 */
function importRundown(d: Draft, cmd: Extract<RoomCommand, { type: 'import-rundown' }>): Result | null {
  if (cmd.timers.length === 0) return reject('invalid_timer', 'The import has no timers');
  const kept = cmd.mode === 'replace' ? [] : d.state.timers;
  if (kept.length + cmd.timers.length > MAX_TIMERS)
    return reject(
      'too_many_timers',
      `A room holds at most ${MAX_TIMERS} timers; this import would make ${kept.length + cmd.timers.length}`,
    );
  const ids = new Set(kept.map((t) => t.id));
  const first = (kept.at(-1)?.order ?? -1) + 1;
  const added: Timer[] = [];
  for (const [i, fields] of cmd.timers.entries()) {
    if (ids.has(fields.id)) return reject('invalid_timer', 'A timer with this id exists');
    ids.add(fields.id);
    const t = makeTimer({ ...definedFields(fields), id: fields.id, order: first + i });
    const invalid = invalidDefinition(t);
    if (invalid) return reject('invalid_timer', `Timer ${i + 1}: ${invalid}`);
    added.push(t);
  }
  const timers = [...kept, ...added];
  const phases = cmd.mode === 'replace' ? {} : d.state.phases;
  d.state = { ...d.state, timers, phases };
  d.events.push({ type: 'rundown-replaced', timers });
  const active = d.state.room.activeTimerId;
  if (cmd.mode === 'replace' || active === null) d.setActive(added[0]?.id ?? null);
  return null;
}

/** Drops the records of timers that no longer exist (deleted, or replaced by an import). */
function prunePlayed(d: Draft) {
  const ids = Object.keys(d.state.played);
  if (ids.every((id) => d.state.timers.some((t) => t.id === id))) return;
  const played = Object.fromEntries(
    Object.entries(d.state.played).filter(([id]) => d.state.timers.some((t) => t.id === id)),
  );
  d.state = { ...d.state, played };
}

/**
 * True when a cue started, ended, reopened or was reset. Records dropped with their timer (delete, import) are
 * not a change worth an event: clients drop them on `timer-deleted` / `rundown-replaced` themselves.
 */
function playedChanged(before: Played, after: RoomState): boolean {
  if (before === after.played) return false;
  for (const [id, rec] of Object.entries(after.played)) if (before[id] !== rec) return true;
  return Object.keys(before).some((id) => !(id in after.played) && after.timers.some((t) => t.id === id));
}

/** Why a timer definition cannot run, or null when it can. */
function invalidDefinition(t: Timer): string | null {
  if (!Number.isFinite(t.durationMs) || t.durationMs < 0) return 'durationMs must be a non-negative number';
  if (t.mode === 'time-of-day' && !Number.isFinite(t.targetTime)) return 'A time-of-day timer needs targetTime';
  if (t.trigger === 'scheduled' && !Number.isFinite(t.startAt)) return 'A scheduled timer needs startAt';
  for (const v of [t.warnMs, t.dangerMs])
    if (v !== null && !(Number.isFinite(v) && v >= 0)) return 'Thresholds must be non-negative';
  if (t.buffer !== null && !(Number.isFinite(t.buffer.minDurationMs) && t.buffer.minDurationMs >= 0))
    return 'buffer.minDurationMs must be a non-negative number';
  if (t.buffer !== null && t.buffer.minDurationMs > t.durationMs)
    return 'buffer.minDurationMs cannot exceed the duration';
  return null;
}

function definedFields<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
