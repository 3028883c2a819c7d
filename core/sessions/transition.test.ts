import { describe, expect, it } from 'vitest';
import {
  type ActiveSession,
  type SessionCommand,
  type SessionState,
  DEFAULT_SESSION_MAX_MS,
  MAX_PAUSES,
  elapsedMs,
  makeSessionState as makeDefaultState,
  nextBoundary,
  pausedMs,
  transition,
} from './transition.ts';
import { eventMessage, stateMessage, tickMessage } from './wire.ts';

/** These tests cover the hard cut-off: idleness is off (idle.test.ts covers it). */
const makeSessionState = (userId: string, now: number): SessionState => ({
  ...makeDefaultState(userId, now),
  settings: { idleLimitMs: null, autoStopIdleMs: null },
});

/** A fixed epoch for tests: 2023-11-14T22:13:20Z. */
const T0 = 1_700_000_000_000;
const MAX = 3_600_000;
const start = (label: string | null = 'Milking', id = 's1'): SessionCommand => ({
  type: 'start',
  id,
  label,
  maxMs: MAX,
});

function run(state: SessionState, cmd: SessionCommand, now: number) {
  const r = transition(state, cmd, now);
  if ('rejected' in r) throw new Error(`${cmd.type} rejected at +${now - T0}: ${r.rejected}`);
  return r;
}
const runAll = (state: SessionState, steps: Array<[SessionCommand, number]>) =>
  steps.reduce((s, [c, n]) => run(s, c, n).state, state);
const active = (s: SessionState): ActiveSession => {
  if (!s.active) throw new Error('no active session');
  return s.active;
};

// ── Fixtures: a user driven into each situation; `at` is when to act ──────
type Situation = 'fresh' | 'running' | 'paused' | 'stopped' | 'expired-running' | 'expired-paused';
const SITUATIONS: Situation[] = ['fresh', 'running', 'paused', 'stopped', 'expired-running', 'expired-paused'];

function reach(situation: Situation): { s: SessionState; at: number } {
  const empty = makeSessionState('u1', T0 - 1_000);
  const steps: Record<Situation, Array<[SessionCommand, number]>> = {
    fresh: [],
    running: [[start(), T0]],
    paused: [
      [start(), T0],
      [{ type: 'pause' }, T0 + 10_000],
    ],
    stopped: [
      [start(), T0],
      [{ type: 'stop' }, T0 + 10_000],
    ],
    'expired-running': [[start(), T0]],
    'expired-paused': [
      [start(), T0],
      [{ type: 'pause' }, T0 + 10_000],
    ],
  };
  const at = situation.startsWith('expired') ? T0 + MAX + 5_000 : T0 + 20_000;
  return { s: runAll(empty, steps[situation]), at };
}

type Outcome = { code: string } | { status: 'running' | 'paused' | null; events: string[] };
const rej = (code: string): Outcome => ({ code });
const to = (status: 'running' | 'paused' | null, ...events: string[]): Outcome => ({ status, events });

// Past its limit a session has already stopped (a command settles the auto-stop first), so stop finds nothing to stop.
const TABLE: Array<[string, SessionCommand, Record<Situation, Outcome>]> = [
  [
    'start',
    start('Next', 's2'),
    {
      fresh: to('running', 'started'),
      running: rej('session_exists'),
      paused: rej('session_exists'),
      stopped: to('running', 'started'),
      'expired-running': to('running', 'stopped', 'started'),
      'expired-paused': to('running', 'stopped', 'started'),
    },
  ],
  [
    'pause',
    { type: 'pause' },
    {
      fresh: rej('no_active_session'),
      running: to('paused', 'paused'),
      paused: rej('not_running'),
      stopped: rej('no_active_session'),
      'expired-running': rej('no_active_session'),
      'expired-paused': rej('no_active_session'),
    },
  ],
  [
    'resume',
    { type: 'resume' },
    {
      fresh: rej('no_active_session'),
      running: rej('not_paused'),
      paused: to('running', 'resumed'),
      stopped: rej('no_active_session'),
      'expired-running': rej('no_active_session'),
      'expired-paused': rej('no_active_session'),
    },
  ],
  [
    'stop',
    { type: 'stop' },
    {
      fresh: rej('no_active_session'),
      running: to(null, 'stopped'),
      paused: to(null, 'stopped'),
      stopped: rej('no_active_session'),
      'expired-running': rej('no_active_session'),
      'expired-paused': rej('no_active_session'),
    },
  ],
  [
    'tick',
    { type: 'tick' },
    {
      fresh: to(null),
      running: to('running'),
      paused: to('paused'),
      stopped: to(null),
      'expired-running': to(null, 'stopped'),
      'expired-paused': to(null, 'stopped'),
    },
  ],
];

describe('every command in every state', () => {
  for (const [name, cmd, expected] of TABLE) {
    it.each(SITUATIONS)(`${name} when %s`, (situation) => {
      const { s, at } = reach(situation);
      const want = expected[situation];
      const r = transition(s, cmd, at);
      if ('code' in want) {
        expect(r).toEqual({ rejected: want.code, message: expect.any(String) });
        return;
      }
      if ('rejected' in r) throw new Error(`unexpected rejection ${r.rejected}`);
      expect(r.state.active?.status ?? null).toBe(want.status);
      expect(r.events.map((e) => e.type)).toEqual(want.events);
      // One version per event, each event carrying its own.
      expect(r.state.version).toBe(s.version + r.events.length);
      expect(r.events.map((e) => e.version)).toEqual(r.events.map((_, i) => s.version + i + 1));
      if (r.events.length === 0) expect(r.state).toBe(s);
    });
  }
});

describe('start', () => {
  it('opens a running session with its label, id and auto-stop instant', () => {
    const r = run(makeSessionState('u1', T0 - 5), start('Morning', 'abc'), T0);
    expect(r.state.active).toEqual({
      id: 'abc',
      label: 'Morning',
      status: 'running',
      startTime: T0,
      accumulatedMs: 0,
      resumedAt: T0,
      pauseSegments: [],
      autoStopAt: T0 + MAX,
      projectId: null,
      taskId: null,
      tags: [],
      lastActivityAt: T0,
      idle: null,
      focus: null,
    });
    expect(r.events).toEqual([{ type: 'started', session: r.state.active, version: 1, at: T0, cause: 'user' }]);
    expect(nextBoundary(r.state)).toBe(T0 + MAX);
  });

  it('a session starting in the millisecond the last one started gets the next millisecond', () => {
    const s = runAll(makeSessionState('u1', T0), [
      [start(null, 'a'), T0],
      [{ type: 'stop' }, T0],
    ]);
    const r = run(s, start(null, 'b'), T0);
    expect(r.state.active?.startTime).toBe(T0 + 1);
    expect(elapsedMs(active(r.state), T0) + pausedMs(active(r.state), T0)).toBe(0);
  });

  it('the default limit is 12 hours of wall time', () => {
    expect(DEFAULT_SESSION_MAX_MS).toBe(43_200_000);
  });
});

describe('pause and resume', () => {
  it('pausing banks the running time and opens a pause segment; resuming closes it', () => {
    let s = run(makeSessionState('u1', T0), start(), T0).state;
    s = run(s, { type: 'pause' }, T0 + 10_000).state;
    expect(active(s)).toMatchObject({
      status: 'paused',
      accumulatedMs: 10_000,
      resumedAt: null,
      pauseSegments: [{ pausedAt: T0 + 10_000, resumedAt: null }],
    });
    expect(elapsedMs(active(s), T0 + 25_000)).toBe(10_000);
    expect(pausedMs(active(s), T0 + 25_000)).toBe(15_000);
    s = run(s, { type: 'resume' }, T0 + 30_000).state;
    expect(active(s)).toMatchObject({
      status: 'running',
      accumulatedMs: 10_000,
      resumedAt: T0 + 30_000,
      pauseSegments: [{ pausedAt: T0 + 10_000, resumedAt: T0 + 30_000 }],
    });
    expect(elapsedMs(active(s), T0 + 45_000)).toBe(25_000);
    expect(pausedMs(active(s), T0 + 45_000)).toBe(20_000);
  });

  it('keeps every pause segment, in order', () => {
    let s = run(makeSessionState('u1', T0), start(), T0).state;
    for (let i = 0; i < 5; i++) {
      s = run(s, { type: 'pause' }, T0 + i * 100 + 10).state;
      s = run(s, { type: 'resume' }, T0 + i * 100 + 50).state;
    }
    expect(active(s).pauseSegments).toEqual(
      [0, 1, 2, 3, 4].map((i) => ({ pausedAt: T0 + i * 100 + 10, resumedAt: T0 + i * 100 + 50 })),
    );
    expect(pausedMs(active(s), T0 + 1_000)).toBe(200);
    expect(elapsedMs(active(s), T0 + 1_000)).toBe(800);
  });

  it(`refuses the ${MAX_PAUSES + 1}th pause`, () => {
    let s = run(makeSessionState('u1', T0), start(), T0).state;
    for (let i = 0; i < MAX_PAUSES; i++) {
      s = run(s, { type: 'pause' }, T0 + i * 2 + 1).state;
      s = run(s, { type: 'resume' }, T0 + i * 2 + 2).state;
    }
    expect(transition(s, { type: 'pause' }, T0 + 10_000)).toMatchObject({ rejected: 'too_many_pauses' });
    expect(run(s, { type: 'stop' }, T0 + 10_000).events[0]).toMatchObject({
      type: 'stopped',
      session: { pausedMs: MAX_PAUSES },
    });
  });
});

describe('stop', () => {
  it('records the completed session, closing an open pause', () => {
    const s = runAll(makeSessionState('u1', T0), [
      [start('Evening'), T0],
      [{ type: 'pause' }, T0 + 60_000],
      [{ type: 'resume' }, T0 + 90_000],
      [{ type: 'pause' }, T0 + 100_000],
    ]);
    const r = run(s, { type: 'stop' }, T0 + 130_000);
    const done = {
      id: 's1',
      label: 'Evening',
      startTime: T0,
      endTime: T0 + 130_000,
      durationMs: 130_000,
      elapsedMs: 70_000,
      pausedMs: 60_000,
      pauseSegments: [
        { pausedAt: T0 + 60_000, resumedAt: T0 + 90_000 },
        { pausedAt: T0 + 100_000, resumedAt: T0 + 130_000 },
      ],
      autoStopped: false,
      version: 5,
      projectId: null,
      taskId: null,
      tags: [],
      stopReason: 'user',
      stoppedBy: { device: null, role: 'user' },
    };
    expect(r.state).toEqual({
      userId: 'u1',
      version: 5,
      active: null,
      last: done,
      changedAt: T0 + 130_000,
      settings: { idleLimitMs: null, autoStopIdleMs: null },
    });
    expect(r.events).toEqual([{ type: 'stopped', session: done, version: 5, at: T0 + 130_000, cause: 'user' }]);
    expect(nextBoundary(r.state)).toBeNull();
  });
});

describe('auto-stop', () => {
  it('a tick before the limit changes nothing; at the limit it stops the session at the exact instant', () => {
    const s = run(makeSessionState('u1', T0), start(), T0).state;
    expect(run(s, { type: 'tick' }, T0 + MAX - 1)).toEqual({ state: s, events: [] });
    // The alarm may run late: the session still ends at its limit, with running time capped there.
    const r = run(s, { type: 'tick' }, T0 + MAX + 7_000);
    expect(r.events).toEqual([expect.objectContaining({ type: 'stopped', at: T0 + MAX })]);
    expect(r.state.last).toMatchObject({
      endTime: T0 + MAX,
      durationMs: MAX,
      elapsedMs: MAX,
      pausedMs: 0,
      autoStopped: true,
    });
    // Alarms are at-least-once: a repeat does nothing.
    expect(run(r.state, { type: 'tick' }, T0 + MAX + 8_000)).toEqual({ state: r.state, events: [] });
  });

  it('a paused session is stopped at the limit with its pause closed there', () => {
    const s = runAll(makeSessionState('u1', T0), [
      [start(), T0],
      [{ type: 'pause' }, T0 + 1_000],
    ]);
    const r = run(s, { type: 'tick' }, T0 + MAX + 1);
    expect(r.state.last).toMatchObject({
      elapsedMs: 1_000,
      pausedMs: MAX - 1_000,
      pauseSegments: [{ pausedAt: T0 + 1_000, resumedAt: T0 + MAX }],
      autoStopped: true,
    });
  });

  it('readings never pass the limit, even before the alarm has run', () => {
    const s = run(makeSessionState('u1', T0), start(), T0).state;
    expect(elapsedMs(active(s), T0 + MAX * 2)).toBe(MAX);
    expect(pausedMs(active(s), T0 + MAX * 2)).toBe(0);
  });

  it('a start after the limit closes the old session first, then opens the new one', () => {
    const s = run(makeSessionState('u1', T0), start('old', 'a'), T0).state;
    const r = run(s, start('new', 'b'), T0 + MAX + 50);
    expect(r.events.map((e) => [e.type, e.version, e.at])).toEqual([
      ['stopped', 2, T0 + MAX],
      ['started', 3, T0 + MAX + 50],
    ]);
    expect(r.state.last).toMatchObject({ id: 'a', autoStopped: true });
    expect(r.state.active).toMatchObject({ id: 'b', label: 'new', startTime: T0 + MAX + 50 });
  });
});

describe('clock', () => {
  it('a clock reading earlier than the last change is treated as that change', () => {
    const s = runAll(makeSessionState('u1', T0), [
      [start(), T0],
      [{ type: 'pause' }, T0 + 5_000],
    ]);
    const r = run(s, { type: 'resume' }, T0 + 1_000);
    expect(active(r.state)).toMatchObject({
      resumedAt: T0 + 5_000,
      pauseSegments: [{ pausedAt: T0 + 5_000, resumedAt: T0 + 5_000 }],
    });
    expect(elapsedMs(active(r.state), T0)).toBe(5_000);
    expect(pausedMs(active(r.state), T0)).toBe(0);
  });

  it('readings before the session started are zero', () => {
    const s = run(makeSessionState('u1', T0), start(), T0).state;
    expect(elapsedMs(active(s), T0 - 10_000)).toBe(0);
    expect(pausedMs(active(s), T0 - 10_000)).toBe(0);
  });
});

describe('views', () => {
  it('SESSION_STATE for a user who never started is idle at version 0', () => {
    expect(stateMessage(null, 'u1', T0)).toMatchObject({
      type: 'SESSION_STATE',
      userId: 'u1',
      status: 'idle',
      startTime: null,
      elapsedTime: 0,
      pausedTime: 0,
      label: null,
      version: 0,
      serverTime: T0,
      id: null,
      last: null,
    });
  });

  it('SESSION_STATE for a running session reads the clock at serverTime', () => {
    const s = run(makeSessionState('u1', T0), start('Cow 7'), T0).state;
    expect(stateMessage(s, 'u1', T0 + 1_500)).toMatchObject({
      status: 'running',
      startTime: T0,
      elapsedTime: 1_500,
      pausedTime: 0,
      label: 'Cow 7',
      version: 1,
      serverTime: T0 + 1_500,
      id: 's1',
      resumedAt: T0,
      accumulatedMs: 0,
      autoStopAt: T0 + MAX,
    });
  });

  it('after a stop, SESSION_STATE is idle and carries the last session; SESSION_STOPPED carries the totals', () => {
    const r = run(run(makeSessionState('u1', T0), start(), T0).state, { type: 'stop' }, T0 + 4_000);
    const state = stateMessage(r.state, 'u1', T0 + 9_000);
    expect(state).toMatchObject({
      status: 'idle',
      version: 2,
      last: { status: 'stopped', id: 's1', elapsedTime: 4_000, endTime: T0 + 4_000 },
    });
    expect(eventMessage('u1', r.events[0]!, T0 + 4_000)).toMatchObject({
      type: 'SESSION_STOPPED',
      status: 'stopped',
      startTime: T0,
      endTime: T0 + 4_000,
      elapsedTime: 4_000,
      pausedTime: 0,
      version: 2,
      autoStopped: false,
    });
  });

  it('SESSION_TICK only while running', () => {
    const s = run(makeSessionState('u1', T0), start(), T0).state;
    expect(tickMessage(s, T0 + 2_000)).toMatchObject({ type: 'SESSION_TICK', elapsedTime: 2_000, status: 'running' });
    expect(tickMessage(run(s, { type: 'pause' }, T0 + 3_000).state, T0 + 4_000)).toBeNull();
    expect(tickMessage(makeSessionState('u1', T0), T0)).toBeNull();
  });
});
