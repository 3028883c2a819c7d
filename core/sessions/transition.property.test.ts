import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CompletedSession,
  type SessionCommand,
  type SessionState,
  elapsedMs,
  makeSessionState,
  pausedMs,
  transition,
} from './transition.ts';
import { stateMessage } from './wire.ts';

/** CPU-bound fast-check runs: generous on a busy shared machine. */
const PROPERTY_TIMEOUT = 30_000;
const T0 = 1_700_000_000_000;

const command: fc.Arbitrary<SessionCommand> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('start' as const),
      id: fc.uuid(),
      label: fc.option(fc.string({ maxLength: 5 }), { nil: null }),
      maxMs: fc.oneof(fc.constant(43_200_000), fc.integer({ min: 1, max: 200_000 })),
    }),
  },
  { weight: 4, arbitrary: fc.constantFrom<SessionCommand>({ type: 'pause' }, { type: 'resume' }) },
  { weight: 2, arbitrary: fc.constant<SessionCommand>({ type: 'stop' }) },
  { weight: 3, arbitrary: fc.constant<SessionCommand>({ type: 'tick' }) },
);
/** Time between steps: mostly forward, sometimes not at all, sometimes backwards (a clock that steps back). */
const DT = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 60_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 400_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: -30_000, max: -1 }) },
);
const steps = fc.array(fc.tuple(command, DT), { minLength: 1, maxLength: 80 });

interface Trace {
  state: SessionState;
  completed: CompletedSession[];
  /** Accepted pauses per session id. */
  pauses: Map<string, number>;
}

/** Runs the steps, checking the per-step properties, and returns what happened. */
function play(list: Array<[SessionCommand, number]>): Trace {
  let state = makeSessionState('u', T0);
  let now = T0;
  const completed: CompletedSession[] = [];
  const pauses = new Map<string, number>();
  for (const [cmd, dt] of list) {
    now += dt;
    const before = state;
    const r = transition(state, cmd, now);
    if ('rejected' in r) {
      // A rejection names the reason the model predicts.
      const settledAway = before.active !== null && Math.max(now, before.changedAt) >= before.active.autoStopAt;
      const status = settledAway ? null : (before.active?.status ?? null);
      const expected = {
        start: 'session_exists',
        pause: status === null ? 'no_active_session' : 'not_running',
        resume: status === null ? 'no_active_session' : 'not_paused',
        stop: 'no_active_session',
      }[cmd.type as 'start'];
      expect(r.rejected).toBe(expected);
      continue;
    }
    // The version rises by exactly one per event, and events carry consecutive versions.
    expect(r.state.version).toBe(before.version + r.events.length);
    r.events.forEach((e, i) => expect(e.version).toBe(before.version + i + 1));
    expect(r.state.changedAt).toBeGreaterThanOrEqual(before.changedAt);
    for (const e of r.events) {
      if (e.type === 'stopped') completed.push(e.session);
      if (e.type === 'paused') pauses.set(e.session.id, (pauses.get(e.session.id) ?? 0) + 1);
    }
    state = r.state;
    const a = state.active;
    if (a) {
      // Elapsed plus paused is the wall time since the start, at any reading between the last change and the limit.
      for (const probe of [
        state.changedAt,
        state.changedAt + 1_234,
        Math.min(a.autoStopAt, state.changedAt + 90_000),
      ]) {
        const at = Math.min(probe, a.autoStopAt);
        expect(elapsedMs(a, at) + pausedMs(a, at)).toBe(at - a.startTime);
        expect(elapsedMs(a, at)).toBeGreaterThanOrEqual(a.accumulatedMs);
      }
      expect(a.status === 'running').toBe(a.resumedAt !== null);
      expect(a.pauseSegments.filter((p) => p.resumedAt === null).length).toBe(a.status === 'paused' ? 1 : 0);
      const view = stateMessage(state, 'u', state.changedAt);
      expect(view.elapsedTime + view.pausedTime).toBe(state.changedAt - a.startTime);
    }
  }
  return { state, completed, pauses };
}

describe('session properties', () => {
  it(
    'elapsed + paused = wall time since start; versions strictly increase; rejections match the model',
    () => {
      fc.assert(
        fc.property(steps, (list) => void play(list)),
        { numRuns: 400 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'completed sessions add up, keep every pause inside them, and never outlast their limit',
    () => {
      fc.assert(
        fc.property(steps, (list) => {
          const { completed, pauses } = play(list);
          const limits = new Map(list.flatMap(([c]) => (c.type === 'start' ? [[c.id, c.maxMs] as const] : [])));
          let prevStart = -Infinity;
          let prevVersion = 0;
          for (const s of completed) {
            expect(s.elapsedMs + s.pausedMs).toBe(s.durationMs);
            expect(s.durationMs).toBe(s.endTime - s.startTime);
            expect(s.elapsedMs).toBeGreaterThanOrEqual(0);
            expect(s.durationMs).toBeLessThanOrEqual(limits.get(s.id) ?? Infinity);
            if (s.autoStopped) expect(s.durationMs).toBe(limits.get(s.id));
            // Every pause is kept, closed, in order and inside the session.
            expect(s.pauseSegments.length).toBe(pauses.get(s.id) ?? 0);
            let cursor = s.startTime;
            for (const p of s.pauseSegments) {
              expect(p.resumedAt).not.toBeNull();
              expect(p.pausedAt).toBeGreaterThanOrEqual(cursor);
              expect(p.resumedAt as number).toBeGreaterThanOrEqual(p.pausedAt);
              cursor = p.resumedAt as number;
            }
            expect(cursor).toBeLessThanOrEqual(s.endTime);
            // (user, startTime) identifies a session: starts strictly increase, and so do versions.
            expect(s.startTime).toBeGreaterThan(prevStart);
            expect(s.version).toBeGreaterThan(prevVersion);
            prevStart = s.startTime;
            prevVersion = s.version;
          }
        }),
        { numRuns: 400 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'elapsed time never goes down as the clock moves on',
    () => {
      fc.assert(
        fc.property(
          steps,
          fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 2, maxLength: 10 }),
          (list, probes) => {
            const { state } = play(list);
            const a = state.active;
            if (!a) return;
            let prev = -1;
            for (const at of [...probes].sort((x, y) => x - y).map((p) => state.changedAt + p)) {
              const e = elapsedMs(a, at);
              expect(e).toBeGreaterThanOrEqual(prev);
              prev = e;
            }
          },
        ),
        { numRuns: 300 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'transition is pure: the same input gives the same output and the input is untouched',
    () => {
      fc.assert(
        fc.property(steps, command, fc.integer({ min: -5_000, max: 100_000 }), (list, cmd, dt) => {
          const { state } = play(list);
          const frozen = JSON.stringify(state);
          const a = transition(state, cmd, state.changedAt + dt);
          const b = transition(state, cmd, state.changedAt + dt);
          expect(a).toEqual(b);
          expect(JSON.stringify(state)).toBe(frozen);
        }),
        { numRuns: 200 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});
