/**
 * Boundaries: the instants a room changes by itself (a finish, a linked
 * handover, a scheduled start, a phase crossing). `settle` applies those due by
 * `now`; `nextBoundary` says when the alarm should fire next.
 */
import { Draft, handedOver, stopOthers } from './draft.ts';
import type { RoomEvent, RoomState } from './transition.ts';
import {
  type Phase,
  type Timer,
  elapsedMs,
  finishAt,
  isClockRunning,
  phaseOf,
  thresholdCrossings,
  totalMs,
} from './timer.ts';

type Boundary = { at: number; kind: 'finish' | 'scheduled'; timer: Timer };

/**
 * When an idle scheduled timer will start, or null. Only starts after the last
 * command are armed: a moment that passed before it (a past startAt, or a reset
 * after the timer already ran) is never replayed.
 */
function armedStart(t: Timer, s: RoomState): number | null {
  if (t.state !== 'idle' || t.trigger !== 'scheduled' || t.startAt === null) return null;
  return t.startAt > s.lastCommandAt ? t.startAt : null;
}

function dueBoundary(s: RoomState, now: number): Boundary | null {
  let best: Boundary | null = null;
  for (const t of s.timers) {
    const end = finishAt(t);
    if (end !== null && end <= now) {
      // A finish is never placed before the command that caused it (time cut below zero), nor before the
      // timer's own start (a time-of-day timer handed over or scheduled after its target).
      const at = Math.max(end, s.lastCommandAt, t.startedAt ?? end);
      if (!best || at < best.at) best = { at, kind: 'finish', timer: t };
    }
    const start = armedStart(t, s);
    if (start !== null && start <= now && (!best || start < best.at)) best = { at: start, kind: 'scheduled', timer: t };
  }
  return best;
}

/** Applies every finish and scheduled start due by `now`, in time order, then announces phase changes. */
export function settle(state: RoomState, now: number): { state: RoomState; events: RoomEvent[] } {
  const d = new Draft(state, now);
  // Each timer starts and finishes a bounded number of times per settle; the guard only backs that up.
  for (let guard = 4 * state.timers.length + 4; guard > 0; guard--) {
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
  d.put(handedOver(next, at));
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
    const start = armedStart(t, s);
    if (start !== null) consider(Math.max(start, now));
  }
  return best;
}

/** True when some timer's clock is running (ticks are only sent then). */
export const anyRunning = (s: RoomState): boolean => s.timers.some(isClockRunning);
