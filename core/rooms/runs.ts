/**
 * Run history, derived purely from state changes: a run is one timer's life
 * from its first start to its reset, its freeze at the end of a rundown step,
 * or its deletion. The room object mirrors each changed run to Postgres.
 */
import { type CueSchedule, computeSchedule } from './schedule.ts';
import type { RoomState } from './transition.ts';
import { type Timer, elapsedMs, isClockRunning, totalMs } from './timer.ts';

export type ActorRole = 'owner' | 'controller' | 'system';
export interface Actor {
  id: string | null;
  role: ActorRole;
}

export interface RunRecord {
  id: string;
  roomId: string;
  timerId: string;
  label: string;
  mode: Timer['mode'];
  plannedMs: number;
  /** The cue's planned start in the room's schedule, or null when the show had no plan. */
  plannedStart: number | null;
  /** How far the cue ended (or, while open, is projected to end) after its planned end; > 0 behind. */
  overUnderMs: number | null;
  startedAt: number;
  finishedAt: number | null;
  endedAt: number | null;
  status: 'running' | 'paused' | 'finished' | 'ended';
  endReason: 'reset' | 'deleted' | 'stopped' | null;
  elapsedMs: number;
  pausedMs: number;
  overtimeMs: number;
  startedBy: string | null;
  startedByRole: ActorRole;
  endedBy: string | null;
  endedByRole: ActorRole | null;
  version: number;
  updatedAt: number;
}

/** Open runs by timer id. */
export type OpenRuns = Record<string, RunRecord>;

function measure(t: Timer, run: RunRecord, now: number) {
  const elapsed = elapsedMs(t, now);
  const end =
    t.state === 'running' || t.state === 'finished'
      ? isClockRunning(t)
        ? now
        : (t.pausedAt ?? now)
      : (t.pausedAt ?? now);
  const wall = Math.max(0, end - run.startedAt);
  return {
    elapsedMs: elapsed,
    pausedMs: Math.max(0, wall - elapsed),
    overtimeMs: t.mode === 'countup' ? 0 : Math.max(0, elapsed - totalMs(t)),
    plannedMs: totalMs(t),
  };
}

const same = (a: RunRecord, b: RunRecord) =>
  a.status === b.status &&
  a.finishedAt === b.finishedAt &&
  a.endedAt === b.endedAt &&
  a.plannedMs === b.plannedMs &&
  a.plannedStart === b.plannedStart &&
  a.overUnderMs === b.overUnderMs &&
  a.label === b.label;

/** Planned vs actual for a run: its cue's planned start, and its (projected or actual) end against the plan. */
function versusPlan(cue: CueSchedule | undefined, run: RunRecord | null, endedAt: number | null) {
  if (!cue) return { plannedStart: run?.plannedStart ?? null, overUnderMs: run?.overUnderMs ?? null };
  const overUnderMs = cue.plannedEnd === null ? null : endedAt !== null ? endedAt - cue.plannedEnd : cue.overUnderMs;
  return { plannedStart: cue.plannedStart, overUnderMs };
}

/**
 * Compares two room states and returns the runs that opened, changed or
 * closed, plus the new set of open runs.
 */
export function trackRuns(
  open: OpenRuns,
  prev: RoomState,
  next: RoomState,
  actor: Actor,
  now: number,
): { open: OpenRuns; changed: RunRecord[] } {
  const result: OpenRuns = {};
  const changed: RunRecord[] = [];
  const ids = new Set([...prev.timers.map((t) => t.id), ...next.timers.map((t) => t.id)]);
  const cues = new Map(computeSchedule(next, now).cues.map((c) => [c.timerId, c]));
  // A deleted timer's cue is only in the schedule it left.
  const cueOf = (id: string) => cues.get(id) ?? computeSchedule(prev, now).cues.find((c) => c.timerId === id);
  for (const id of ids) {
    const t = next.timers.find((x) => x.id === id);
    const run = open[id];
    if (!run) {
      if (t && isClockRunning(t) && t.startedAt !== null) {
        const opened: RunRecord = {
          id: `${id}-${t.startedAt}`,
          roomId: next.room.id,
          timerId: id,
          label: t.label,
          mode: t.mode,
          plannedMs: totalMs(t),
          ...versusPlan(cues.get(id), null, null),
          startedAt: t.startedAt,
          finishedAt: t.finishedAt,
          endedAt: null,
          status: t.state === 'finished' ? 'finished' : 'running',
          endReason: null,
          elapsedMs: 0,
          pausedMs: 0,
          overtimeMs: 0,
          startedBy: actor.id,
          startedByRole: actor.role,
          endedBy: null,
          endedByRole: null,
          version: next.version,
          updatedAt: now,
        };
        const measured = { ...opened, ...measure(t, opened, now) };
        result[id] = measured;
        changed.push(measured);
      }
      continue;
    }
    const closing = !t
      ? 'deleted'
      : t.state === 'idle'
        ? 'reset'
        : t.state === 'finished' && !isClockRunning(t)
          ? 'stopped'
          : null;
    if (closing) {
      const endedAt = !t ? now : t.state === 'idle' ? now : (t.pausedAt ?? now);
      // A reset or deleted timer no longer holds its run's figures: measure it as it was just before.
      const basis = t && t.state !== 'idle' ? t : prev.timers.find((x) => x.id === id);
      const last = basis ? measure(basis, run, now) : {};
      changed.push({
        ...run,
        ...last,
        finishedAt: basis?.finishedAt ?? run.finishedAt,
        ...versusPlan(cueOf(id), run, endedAt),
        status: 'ended',
        endReason: closing,
        endedAt,
        endedBy: actor.id,
        endedByRole: actor.role,
        version: next.version,
        updatedAt: now,
      });
      continue;
    }
    const t2 = t as Timer;
    const updated: RunRecord = {
      ...run,
      ...measure(t2, run, now),
      ...versusPlan(cues.get(id), run, null),
      label: t2.label,
      finishedAt: t2.finishedAt,
      status: t2.state === 'paused' ? 'paused' : t2.state === 'finished' ? 'finished' : 'running',
      version: next.version,
      updatedAt: now,
    };
    result[id] = updated;
    if (!same(run, updated)) changed.push(updated);
  }
  return { open: result, changed };
}
