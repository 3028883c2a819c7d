/**
 * The working copy a room transition edits, and the timer moves shared by
 * commands and boundaries (freeze, resume, hand over). Pure: no clock, no I/O.
 */
import type { RoomEvent, RoomState } from './transition.ts';
import { type Thresholds, type Timer, elapsedMs, isClockRunning, remainingMs, resetTimer } from './timer.ts';

/** Copy-on-write room state plus the events produced so far; never mutates the state it was given. */
export class Draft {
  events: RoomEvent[] = [];
  constructor(
    public state: RoomState,
    readonly now: number,
  ) {}

  /** The timer `id`, or the active timer (else the first) when no id is given. */
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

export function resumed(t: Timer, now: number): Timer {
  return { ...t, state: 'running', startedAt: now, pausedAt: null };
}

/** Stops a timer's clock at `at`, folding the running segment into accumulatedMs. */
export function frozen(t: Timer, at: number, state: 'paused' | 'finished'): Timer {
  const finishedAt = state === 'finished' ? (t.finishedAt ?? at) : t.finishedAt;
  return { ...t, state, accumulatedMs: elapsedMs(t, at), startedAt: null, pausedAt: at, finishedAt };
}

/**
 * Starts `t` at `at` when the rundown moves onto it (next/previous, a linked
 * handover): a paused timer resumes, a finished one starts over, an idle one
 * keeps any time added to it in advance.
 */
export function handedOver(t: Timer, at: number): Timer {
  if (t.state === 'paused') return resumed(t, at);
  const fresh = t.state === 'idle' ? t : resetTimer(t);
  return { ...fresh, state: 'running', startedAt: at, pausedAt: null };
}

/** A finished timer given time back (adjust, a longer duration) returns to running, or to paused if its clock had stopped. */
export function revived(t: Timer, now: number): Timer {
  if (t.state !== 'finished' || remainingMs(t, now) <= 0) return t;
  return { ...t, state: isClockRunning(t) ? 'running' : 'paused', finishedAt: null };
}

/** Only one timer's clock runs at a time: starting one pauses the others. */
export function stopOthers(d: Draft, keepId: string, now: number) {
  for (const t of d.state.timers) {
    if (t.id !== keepId && isClockRunning(t)) d.put(frozen(t, now, t.state === 'finished' ? 'finished' : 'paused'));
  }
}
