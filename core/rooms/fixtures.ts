/**
 * Fixture builders for the pure-core tests: a room with timers, and helpers
 * that run commands at explicit instants. Not used at runtime.
 */
import {
  type RejectCode,
  type RoomCommand,
  type RoomEvent,
  type RoomState,
  type TimerFields,
  makeRoom,
  transition,
} from './transition.ts';
import { type Timer, type TimerMode, makeTimer } from './timer.ts';

/** A fixed epoch for tests: 2023-11-14T22:13:20Z. */
export const T0 = 1_700_000_000_000;

type TimerSeed = Partial<Timer> & Pick<Timer, 'id'>;

/** A room holding `timers` in the given order, the first one active, last command at `T0`. */
export function roomWith(timers: TimerSeed[] = [], opts: { active?: string | null; at?: number } = {}): RoomState {
  const at = opts.at ?? T0;
  const base = makeRoom({ id: 'room', name: 'Room', ownerId: 'owner', createdAt: at });
  const built = timers.map((t, order) => makeTimer({ order, ...t }));
  const active = opts.active === undefined ? (built[0]?.id ?? null) : opts.active;
  return { ...base, timers: built, room: { ...base.room, activeTimerId: active } };
}

/** Runs `cmd` at `now`; fails the test if it is rejected. */
export function run(state: RoomState, cmd: RoomCommand, now: number): { state: RoomState; events: RoomEvent[] } {
  const r = transition(state, cmd, now);
  if ('rejected' in r) throw new Error(`${cmd.type} rejected at ${now - T0}: ${r.rejected} (${r.message})`);
  return r;
}

/** Runs a list of `[command, now]` steps and returns the final state. */
export function runAll(state: RoomState, steps: Array<[RoomCommand, number]>): RoomState {
  return steps.reduce((s, [cmd, now]) => run(s, cmd, now).state, state);
}

/** The rejection code of `cmd` at `now`, or null when it is accepted. */
export function rejection(state: RoomState, cmd: RoomCommand, now: number): RejectCode | null {
  const r = transition(state, cmd, now);
  return 'rejected' in r ? r.rejected : null;
}

/** The timer `id` in `state`; fails the test if it is missing. */
export function timerIn(state: RoomState, id: string): Timer {
  const t = state.timers.find((x) => x.id === id);
  if (!t) throw new Error(`no timer ${id}`);
  return t;
}

/** A create-timer command for a 60 s timer of `mode` (time-of-day targets T0 + 60 s). */
export function createCmd(id: string, mode: TimerMode = 'countdown', extra: Partial<TimerFields> = {}): RoomCommand {
  const timer =
    mode === 'time-of-day'
      ? { label: id, durationMs: 0, mode, targetTime: T0 + 60_000 }
      : { label: id, durationMs: 60_000, mode };
  return { type: 'create-timer', id, timer: { ...timer, ...extra } };
}
