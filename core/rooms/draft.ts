/**
 * The working copy a room transition edits, and the timer moves shared by
 * commands and boundaries (freeze, resume, hand over). Pure: no clock, no I/O.
 */
import { type Played, bufferAbsorbs, plannedTimes } from './schedule.ts';
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

  put(given: Timer, kind: 'timer-update' | 'timer-created' = 'timer-update') {
    const t = this.track(this.state.timers.find((x) => x.id === given.id) ?? null, given);
    const timers = this.state.timers.filter((x) => x.id !== t.id);
    timers.push(t);
    timers.sort((a, b) => a.order - b.order);
    this.state = { ...this.state, timers };
    this.events.push({ type: kind, timer: t });
  }

  /**
   * Keeps `played` in step with a timer change: a start from idle (or a fresh start over) opens a record, and a
   * buffer starting behind plan shrinks by the delay (a negative adjustment, never below its minimum); a finished
   * timer whose clock stopped closes it; a resume reopens it; a reset drops it. Returns the timer as stored.
   */
  private track(old: Timer | null, t: Timer): Timer {
    const rec = this.state.played[t.id];
    if (t.state === 'idle') {
      if (rec) this.setPlayed(t.id, null);
      return t;
    }
    const running = isClockRunning(t);
    const restarted =
      old !== null && old.state === 'finished' && t.startedAt !== old.startedAt && t.accumulatedMs === 0;
    if (running && t.startedAt !== null && (!rec || old?.state === 'idle' || restarted)) {
      const opened = { actualStart: t.startedAt, actualEnd: null, absorbedMs: 0 };
      const played: Played = { ...this.state.played, [t.id]: opened };
      let stored = t;
      if (t.buffer !== null) {
        const idx = this.state.timers.findIndex((x) => x.id === t.id);
        const planned = plannedTimes({ room: this.state.room, timers: this.state.timers, played })[idx]?.start;
        const absorbed = planned == null ? 0 : bufferAbsorbs(t, t.startedAt - planned);
        stored = { ...t, adjustMs: t.adjustMs - absorbed };
        opened.absorbedMs = absorbed;
      }
      this.setPlayed(t.id, opened);
      return stored;
    }
    if (!rec) return t;
    if (running && rec.actualEnd !== null) this.setPlayed(t.id, { ...rec, actualEnd: null });
    else if (!running && t.state === 'finished' && rec.actualEnd === null)
      this.setPlayed(t.id, { ...rec, actualEnd: t.pausedAt ?? this.now });
    return t;
  }

  /** Closes a cue's record at `at` when the rundown moves on from it (it stays paused, but the show went on). */
  endPlayed(id: string, at: number) {
    const rec = this.state.played[id];
    if (rec && rec.actualEnd === null) this.setPlayed(id, { ...rec, actualEnd: at });
  }

  private setPlayed(id: string, rec: Played[string] | null) {
    const { [id]: _old, ...rest } = this.state.played;
    this.state = { ...this.state, played: rec ? { ...rest, [id]: rec } : rest };
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
    if (t.id !== keepId && isClockRunning(t)) {
      d.put(frozen(t, now, t.state === 'finished' ? 'finished' : 'paused'));
      d.endPlayed(t.id, now);
    }
  }
}
