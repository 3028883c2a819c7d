/**
 * Timer model and pure derivations. A timer stores instants only
 * (startedAt / pausedAt / accumulatedMs / adjustMs); remaining time, elapsed
 * time and phase are computed from them and a clock reading.
 */
import type { Duration, Instant } from '../time.ts';

// ── State ──────────────────────────────────────────────────────────────────
export type TimerMode = 'countdown' | 'countup' | 'time-of-day';
export type TimerTrigger = 'manual' | 'linked' | 'scheduled';
export type TimerState = 'idle' | 'running' | 'paused' | 'finished';
export type Phase = 'idle' | 'normal' | 'warning' | 'danger' | 'overtime';

export interface Timer {
  id: string;
  label: string;
  mode: TimerMode;
  durationMs: number;
  /** time-of-day mode: the wall-clock instant counted down to. */
  targetTime: number | null;
  state: TimerState;
  /** Start of the current running segment (null unless running, or finished and still counting overtime). */
  startedAt: number | null;
  /** When the clock last froze: a pause, or a finished timer being stopped. */
  pausedAt: number | null;
  /** Elapsed time of all closed running segments. */
  accumulatedMs: number;
  /** Time added to (positive) or removed from (negative) the timer's total. */
  adjustMs: number;
  warnMs: number | null;
  dangerMs: number | null;
  trigger: TimerTrigger;
  startAt: number | null;
  order: number;
  /** When the timer reached zero, if it has. */
  finishedAt: number | null;
  /** Planned start of this cue: fixed, or null to follow on from the previous cue's planned end. */
  plannedStart: number | null;
  /** Crew or presenter notes: shown on the presenter view and the control panel, never on the public countdown. */
  notes: string;
  /** Set when the cue absorbs drift (see Buffer). */
  buffer: Buffer | null;
  /** Per-timer chime override; null follows the room's setting. */
  chimes: Chimes | null;
}

/** Which moments chime on viewers that enabled sound. */
export interface Chimes {
  warning: boolean;
  danger: boolean;
  zero: boolean;
}

/** A cue that absorbs drift: when it starts behind plan, it shrinks by the delay, never below `minDurationMs`. */
export interface Buffer {
  minDurationMs: number;
}

export interface Thresholds {
  warnMs: number;
  dangerMs: number;
}

// ── Derivations ──────────────────────────────────────────────────────────
/** True while the timer's clock is advancing (running, or finished and counting overtime). */
export const isClockRunning = (t: Timer): boolean =>
  t.startedAt !== null && (t.state === 'running' || t.state === 'finished');

/** Time the timer has run, at `now`. */
export function elapsedMs(t: Timer, now: Instant | number): Duration {
  const live = isClockRunning(t) ? Math.max(0, now - (t.startedAt as number)) : 0;
  return (t.accumulatedMs + live) as Duration;
}

/** The timer's total length (duration plus adjustments); for time-of-day, measured from the first start. */
export function totalMs(t: Timer): number {
  return t.durationMs + t.adjustMs;
}

/**
 * Remaining time at `now`; negative in overtime. Time-of-day timers count to
 * their target (plus adjustment) and freeze while paused.
 */
export function remainingMs(t: Timer, now: Instant | number): Duration {
  if (t.mode === 'time-of-day' && t.targetTime !== null) {
    // Frozen (paused, or finished and stopped) timers read from the instant they froze.
    const live = isClockRunning(t) || t.state === 'idle';
    const ref = live ? now : (t.pausedAt ?? now);
    return (t.targetTime + t.adjustMs - ref) as Duration;
  }
  return (totalMs(t) - elapsedMs(t, now)) as Duration;
}

/** What a display shows: remaining for countdowns (negative in overtime), elapsed for count-ups. */
export function displayMs(t: Timer, now: Instant | number): number {
  return t.mode === 'countup' ? elapsedMs(t, now) : remainingMs(t, now);
}

export function thresholdsFor(t: Timer, defaults: Thresholds): Thresholds {
  return { warnMs: t.warnMs ?? defaults.warnMs, dangerMs: t.dangerMs ?? defaults.dangerMs };
}

/** The colour phase at `now`. */
export function phaseOf(t: Timer, now: Instant | number, defaults: Thresholds): Phase {
  if (t.state === 'idle') return 'idle';
  const rem = remainingMs(t, now);
  if (t.mode === 'countup' && t.durationMs <= 0) return 'normal';
  if (rem <= 0 && (t.state === 'finished' || rem < 0)) return 'overtime';
  const { warnMs, dangerMs } = thresholdsFor(t, defaults);
  if (rem <= dangerMs) return 'danger';
  if (rem <= warnMs) return 'warning';
  return 'normal';
}

/** Instant the running timer reaches zero, or null if it is not counting toward one. */
export function finishAt(t: Timer): number | null {
  if (t.state !== 'running' || t.startedAt === null) return null;
  if (t.mode === 'countup' && t.durationMs <= 0) return null;
  if (t.mode === 'time-of-day' && t.targetTime !== null) return t.targetTime + t.adjustMs;
  return t.startedAt + (totalMs(t) - t.accumulatedMs);
}

/** Future instants at which a running timer crosses its warning or danger threshold. */
export function thresholdCrossings(t: Timer, now: number, defaults: Thresholds): number[] {
  const end = finishAt(t);
  if (end === null) return [];
  const { warnMs, dangerMs } = thresholdsFor(t, defaults);
  return [end - warnMs, end - dangerMs].filter((at) => at > now);
}

// ── Construction ─────────────────────────────────────────────────────────
export function makeTimer(fields: Partial<Timer> & Pick<Timer, 'id'>): Timer {
  return {
    label: '',
    mode: 'countdown',
    durationMs: 5 * 60_000,
    targetTime: null,
    state: 'idle',
    startedAt: null,
    pausedAt: null,
    accumulatedMs: 0,
    adjustMs: 0,
    warnMs: null,
    dangerMs: null,
    trigger: 'manual',
    startAt: null,
    order: 0,
    finishedAt: null,
    plannedStart: null,
    notes: '',
    buffer: null,
    chimes: null,
    ...fields,
  };
}

/** A timer returned to its initial state, keeping its definition. */
export function resetTimer(t: Timer): Timer {
  return { ...t, state: 'idle', startedAt: null, pausedAt: null, accumulatedMs: 0, adjustMs: 0, finishedAt: null };
}
