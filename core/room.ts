/**
 * The timer room's rules as a pure transition:
 * `transition(state, command, now) → { state, events } | { rejected }`.
 * No I/O, no clock: `now` is passed in, ids for new timers come with the command.
 */
import {
  type Phase,
  type Thresholds,
  type Timer,
  type TimerMode,
  type TimerTrigger,
  elapsedMs,
  finishAt,
  isClockRunning,
  makeTimer,
  phaseOf,
  remainingMs,
  resetTimer,
  thresholdCrossings,
  totalMs,
} from './timer.ts';

// ── State ──────────────────────────────────────────────────────────────────
export interface RoomInfo {
  id: string;
  name: string;
  ownerId: string;
  createdAt: number;
  warnMs: number;
  dangerMs: number;
  activeTimerId: string | null;
}

export interface RoomMessage {
  text: string;
  flash: boolean;
  blackout: boolean;
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
}

export const MAX_TIMERS = 100;
export const DEFAULT_WARN_MS = 60_000;
export const DEFAULT_DANGER_MS = 15_000;

export function makeRoom(info: Pick<RoomInfo, 'id' | 'name' | 'ownerId' | 'createdAt'> & Partial<RoomInfo>): RoomState {
  return {
    room: { warnMs: DEFAULT_WARN_MS, dangerMs: DEFAULT_DANGER_MS, activeTimerId: null, ...info },
    timers: [],
    message: null,
    version: 0,
    lastCommandAt: info.createdAt,
    phases: {},
  };
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
}

export type RoomCommand =
  | { type: 'create-timer'; id: string; timer: Partial<TimerFields> & { label: string; durationMs: number } }
  | { type: 'update-timer'; timerId: string; patch: Partial<TimerFields> }
  | { type: 'delete-timer'; timerId: string }
  | { type: 'start' | 'pause' | 'resume' | 'reset'; timerId?: string }
  | { type: 'adjust'; timerId?: string; deltaMs: number }
  | { type: 'next' | 'previous' }
  | { type: 'select'; timerId: string }
  | { type: 'reorder'; timerIds: string[] }
  | { type: 'set-message'; text: string; flash: boolean; blackout: boolean }
  | { type: 'clear-message' }
  | { type: 'update-room'; name?: string; warnMs?: number; dangerMs?: number }
  /** Internal: apply every boundary (finish, scheduled start, threshold) due by `now`. */
  | { type: 'tick' };

export type RoomCommandType = RoomCommand['type'];

// ── Events ─────────────────────────────────────────────────────────────────
export type RoomEvent =
  | { type: 'timer-update'; timer: Timer }
  | { type: 'timer-created'; timer: Timer }
  | { type: 'timer-deleted'; timerId: string }
  | { type: 'timer-finished'; timerId: string; finishedAt: number }
  | { type: 'timers-reordered'; timerIds: string[] }
  | { type: 'timer-phase'; timerId: string; phase: Phase }
  | { type: 'message'; message: RoomMessage | null }
  | { type: 'room-update'; room: RoomInfo };

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

export type Result = { state: RoomState; events: RoomEvent[] } | { rejected: RejectCode; message: string };

const reject = (rejected: RejectCode, message: string): Result => ({ rejected, message });

// ── Transition ─────────────────────────────────────────────────────────────
/**
 * Applies `cmd` at `now`. Due boundaries are applied first, so a command always
 * acts on up-to-date state. The version rises by one for each accepted command
 * that changed something, and never otherwise.
 */
export function transition(state: RoomState, cmd: RoomCommand, now: number): Result {
  const settled = settle(state, now);
  const draft = new Draft(settled.state, now);
  draft.events.push(...settled.events);
  const rejected = apply(draft, cmd);
  if (rejected) return rejected;
  if (cmd.type !== 'tick') {
    draft.state.lastCommandAt = now;
    // The command may have crossed thresholds or made a timer due at once.
    const after = settle(draft.state, now);
    draft.state = after.state;
    draft.events.push(...after.events);
  }
  if (draft.events.length === 0) return { state: draft.state, events: [] };
  return { state: { ...draft.state, version: state.version + 1 }, events: draft.events };
}

class Draft {
  events: RoomEvent[] = [];
  constructor(
    public state: RoomState,
    readonly now: number,
  ) {}

  find(id: string | undefined): Timer | null {
    const tid = id ?? this.state.room.activeTimerId ?? this.state.timers[0]?.id;
    return this.state.timers.find((t) => t.id === tid) ?? null;
  }

  put(t: Timer, kind: 'timer-update' | 'timer-created' = 'timer-update') {
    const timers = this.state.timers.filter((x) => x.id !== t.id);
    timers.push(t);
    timers.sort((a, b) => a.order - b.order);
    this.state = { ...this.state, timers };
    this.events.push({ type: kind, timer: t });
  }

  setActive(id: string | null) {
    if (this.state.room.activeTimerId === id) return;
    this.state = { ...this.state, room: { ...this.state.room, activeTimerId: id } };
    this.events.push({ type: 'room-update', room: this.state.room });
  }

  thresholds(): Thresholds {
    return { warnMs: this.state.room.warnMs, dangerMs: this.state.room.dangerMs };
  }
}

function apply(d: Draft, cmd: RoomCommand): Result | null {
  const now = d.now;
  switch (cmd.type) {
    case 'tick':
      return null;
    case 'create-timer': {
      if (d.state.timers.length >= MAX_TIMERS) return reject('too_many_timers', `A room holds at most ${MAX_TIMERS} timers`);
      const fields = cmd.timer;
      if (fields.mode === 'time-of-day' && (fields.targetTime ?? null) === null)
        return reject('invalid_timer', 'A time-of-day timer needs targetTime');
      const order = (d.state.timers.at(-1)?.order ?? -1) + 1;
      d.put(makeTimer({ ...definedFields(fields), id: cmd.id, order }), 'timer-created');
      if (d.state.room.activeTimerId === null) d.setActive(cmd.id);
      return null;
    }
    case 'update-timer': {
      const t = d.find(cmd.timerId);
      if (!t || t.id !== cmd.timerId) return reject('timer_not_found', 'No such timer');
      const next = { ...t, ...definedFields(cmd.patch) };
      if (next.mode === 'time-of-day' && next.targetTime === null) return reject('invalid_timer', 'A time-of-day timer needs targetTime');
      d.put(next);
      return null;
    }
    case 'delete-timer': {
      const idx = d.state.timers.findIndex((t) => t.id === cmd.timerId);
      if (idx < 0) return reject('timer_not_found', 'No such timer');
      const timers = d.state.timers.filter((t) => t.id !== cmd.timerId);
      const { [cmd.timerId]: _gone, ...phases } = d.state.phases;
      d.state = { ...d.state, timers, phases };
      d.events.push({ type: 'timer-deleted', timerId: cmd.timerId });
      if (d.state.room.activeTimerId === cmd.timerId) d.setActive((timers[idx] ?? timers[idx - 1])?.id ?? null);
      return null;
    }
    case 'start': {
      const t = d.find(cmd.timerId);
      if (!t) return d.state.timers.length ? reject('timer_not_found', 'No such timer') : reject('no_timers', 'The room has no timers');
      if (t.state === 'running') return reject('already_running', 'The timer is already running');
      if (t.state === 'finished') return reject('timer_finished', 'The timer has finished; reset it first');
      stopOthers(d, t.id, now);
      d.put(t.state === 'paused' ? resumed(t, now) : { ...t, state: 'running', startedAt: now, pausedAt: null, accumulatedMs: 0 });
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
      let next: Timer = { ...t, adjustMs: t.adjustMs + cmd.deltaMs };
      // Adding time to a finished timer brings it back from overtime.
      if (t.state === 'finished' && remainingMs(next, now) > 0)
        next = { ...next, state: isClockRunning(t) ? 'running' : 'paused', finishedAt: null };
      d.put(next);
      return null;
    }
    case 'next':
    case 'previous': {
      const ts = d.state.timers;
      if (ts.length === 0) return reject('no_timers', 'The room has no timers');
      const cur = d.find(undefined);
      const idx = cur ? ts.findIndex((t) => t.id === cur.id) : -1;
      const target = ts[cmd.type === 'next' ? idx + 1 : idx - 1];
      if (!target) return cmd.type === 'next' ? reject('no_next_timer', 'This is the last timer') : reject('no_previous_timer', 'This is the first timer');
      const wasRunning = cur !== null && isClockRunning(cur);
      if (cur && wasRunning) d.put(frozen(cur, now, 'finished'));
      if (wasRunning) {
        const fresh = target.state === 'paused' ? target : resetTimer(target);
        d.put(fresh.state === 'paused' ? resumed(fresh, now) : { ...fresh, state: 'running', startedAt: now });
      }
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
      const same = cmd.timerIds.length === ids.length && new Set(cmd.timerIds).size === ids.length && cmd.timerIds.every((id) => ids.includes(id));
      if (!same) return reject('invalid_order', 'timerIds must list every timer exactly once');
      if (cmd.timerIds.every((id, i) => ids[i] === id)) return null;
      const timers = cmd.timerIds.map((id, order) => ({ ...(d.state.timers.find((t) => t.id === id) as Timer), order }));
      d.state = { ...d.state, timers };
      d.events.push({ type: 'timers-reordered', timerIds: cmd.timerIds });
      return null;
    }
    case 'set-message': {
      const message = { text: cmd.text, flash: cmd.flash, blackout: cmd.blackout };
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
    case 'update-room': {
      const room = { ...d.state.room };
      if (cmd.name !== undefined) room.name = cmd.name;
      if (cmd.warnMs !== undefined) room.warnMs = cmd.warnMs;
      if (cmd.dangerMs !== undefined) room.dangerMs = cmd.dangerMs;
      d.state = { ...d.state, room };
      d.events.push({ type: 'room-update', room });
      return null;
    }
  }
}

function definedFields<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function resumed(t: Timer, now: number): Timer {
  return { ...t, state: 'running', startedAt: now, pausedAt: null };
}

/** Stops a timer's clock at `at`, folding the running segment into accumulatedMs. */
function frozen(t: Timer, at: number, state: 'paused' | 'finished'): Timer {
  const finishedAt = state === 'finished' ? (t.finishedAt ?? at) : t.finishedAt;
  return { ...t, state, accumulatedMs: elapsedMs(t, at), startedAt: null, pausedAt: at, finishedAt };
}

/** Only one timer's clock runs at a time: starting one pauses the others. */
function stopOthers(d: Draft, keepId: string, now: number) {
  for (const t of d.state.timers) {
    if (t.id !== keepId && isClockRunning(t)) d.put(frozen(t, now, t.state === 'finished' ? 'finished' : 'paused'));
  }
}

// ── Boundaries ───────────────────────────────────────────────────────────
type Boundary = { at: number; kind: 'finish' | 'scheduled'; timer: Timer };

function dueBoundary(s: RoomState, now: number): Boundary | null {
  let best: Boundary | null = null;
  for (const t of s.timers) {
    const end = finishAt(t);
    if (end !== null && end <= now) {
      const at = Math.max(end, s.lastCommandAt);
      if (!best || at < best.at) best = { at, kind: 'finish', timer: t };
    }
    if (t.state === 'idle' && t.trigger === 'scheduled' && t.startAt !== null && t.startAt <= now) {
      const at = Math.max(t.startAt, s.lastCommandAt);
      if (!best || at < best.at) best = { at, kind: 'scheduled', timer: t };
    }
  }
  return best;
}

/** Applies every finish and scheduled start due by `now`, in time order, then announces phase changes. */
export function settle(state: RoomState, now: number): { state: RoomState; events: RoomEvent[] } {
  const d = new Draft(state, now);
  for (let guard = 0; guard < MAX_TIMERS * 4; guard++) {
    const b = dueBoundary(d.state, now);
    if (!b) break;
    if (b.kind === 'scheduled') {
      stopOthers(d, b.timer.id, b.at);
      d.put({ ...b.timer, state: 'running', startedAt: b.at, pausedAt: null, accumulatedMs: 0 });
      d.setActive(b.timer.id);
      continue;
    }
    finish(d, b.timer, b.at);
  }
  announcePhases(d);
  return { state: d.state, events: d.events };
}

function finish(d: Draft, t: Timer, at: number) {
  d.events.push({ type: 'timer-finished', timerId: t.id, finishedAt: at });
  const idx = d.state.timers.findIndex((x) => x.id === t.id);
  const next = d.state.timers[idx + 1];
  const chained = next && next.trigger === 'linked' && d.state.room.activeTimerId === t.id;
  if (!chained) {
    // Keeps counting into overtime until someone moves on.
    d.put({ ...t, state: 'finished', finishedAt: at });
    return;
  }
  // The chain hands over at the exact finish instant, so no drift accumulates.
  const done: Timer =
    t.mode === 'time-of-day'
      ? { ...t, state: 'finished', finishedAt: at, startedAt: null, pausedAt: at, accumulatedMs: elapsedMs(t, at) }
      : { ...t, state: 'finished', finishedAt: at, startedAt: null, pausedAt: at, accumulatedMs: totalMs(t) };
  d.put(done);
  d.put({ ...resetTimer(next), state: 'running', startedAt: at });
  d.setActive(next.id);
}

function announcePhases(d: Draft) {
  const phases: Record<string, Phase> = {};
  let changed = false;
  for (const t of d.state.timers) {
    if (!isClockRunning(t)) continue;
    const p = phaseOf(t, d.now, d.thresholds());
    phases[t.id] = p;
    const before = d.state.phases[t.id];
    if (before !== p) {
      changed = true;
      // The first reading after a start is implied by the start itself.
      if (before !== undefined && p !== 'normal') d.events.push({ type: 'timer-phase', timerId: t.id, phase: p });
    }
  }
  if (changed || Object.keys(phases).length !== Object.keys(d.state.phases).length) d.state = { ...d.state, phases };
}

/** The next instant anything in the room changes by itself: a finish, a threshold crossing or a scheduled start. */
export function nextBoundary(s: RoomState, now: number): number | null {
  const t0 = { warnMs: s.room.warnMs, dangerMs: s.room.dangerMs };
  let best: number | null = null;
  const consider = (at: number) => {
    if (best === null || at < best) best = at;
  };
  for (const t of s.timers) {
    const end = finishAt(t);
    if (end !== null) {
      consider(Math.max(end, now));
      thresholdCrossings(t, now, t0).forEach(consider);
    }
    if (t.state === 'idle' && t.trigger === 'scheduled' && t.startAt !== null) consider(Math.max(t.startAt, now));
  }
  return best;
}

/** True when some timer's clock is running (ticks are only sent then). */
export const anyRunning = (s: RoomState): boolean => s.timers.some(isClockRunning);
