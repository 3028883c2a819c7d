import { describe, expect, it } from 'vitest';
import { T0, createCmd, rejection, roomWith, run, runAll, timerIn } from './fixtures.ts';
import { MAX_TIMERS, type RoomCommand, type RoomState, makeRoom, transition } from './transition.ts';
import { type TimerMode, type TimerState, isClockRunning, remainingMs } from './timer.ts';

// ── Fixtures: timer `a` (mode under test) and an idle countdown `b`, driven into each state ──
type Situation = 'idle' | 'running' | 'paused' | 'finished-live' | 'finished-frozen';
const SITUATIONS: Situation[] = ['idle', 'running', 'paused', 'finished-live', 'finished-frozen'];

/** The state, and the instant `at` to act at; `a` (60 s) starts at T0, b is an idle 60 s countdown. */
function reach(mode: TimerMode, situation: Situation): { s: RoomState; at: number } {
  const empty = makeRoom({ id: 'room', name: 'Room', ownerId: 'owner', createdAt: T0 - 10_000 });
  const s = runAll(empty, [
    [createCmd('a', mode), T0 - 5_000],
    [createCmd('b'), T0 - 5_000],
  ]);
  const steps: Record<Situation, Array<[RoomCommand, number]>> = {
    idle: [],
    running: [[{ type: 'start' }, T0]],
    paused: [
      [{ type: 'start' }, T0],
      [{ type: 'pause' }, T0 + 10_000],
    ],
    'finished-live': [
      [{ type: 'start' }, T0],
      [{ type: 'tick' }, T0 + 65_000],
    ],
    'finished-frozen': [
      [{ type: 'start' }, T0],
      [{ type: 'tick' }, T0 + 65_000],
      [{ type: 'pause' }, T0 + 66_000],
    ],
  };
  const at = {
    idle: T0 + 5_000,
    running: T0 + 10_000,
    paused: T0 + 20_000,
    'finished-live': T0 + 70_000,
    'finished-frozen': T0 + 70_000,
  }[situation];
  return { s: runAll(s, steps[situation]), at };
}

/** Expected outcome per situation: a rejection code, or the state `a` ends in. */
type Outcome = { code: string } | { state: TimerState | 'deleted'; live?: boolean };
const rej = (code: string): Outcome => ({ code });
const to = (state: TimerState | 'deleted', live?: boolean): Outcome =>
  live === undefined ? { state } : { state, live };

const TABLE: Array<[string, RoomCommand, Record<Situation, Outcome>]> = [
  [
    'start',
    { type: 'start', timerId: 'a' },
    {
      idle: to('running'),
      running: rej('already_running'),
      paused: to('running'),
      'finished-live': rej('timer_finished'),
      'finished-frozen': rej('timer_finished'),
    },
  ],
  [
    'pause',
    { type: 'pause', timerId: 'a' },
    {
      idle: rej('not_running'),
      running: to('paused'),
      paused: rej('not_running'),
      'finished-live': to('finished', false),
      'finished-frozen': rej('not_running'),
    },
  ],
  [
    'resume',
    { type: 'resume', timerId: 'a' },
    {
      idle: rej('not_paused'),
      running: rej('not_paused'),
      paused: to('running'),
      'finished-live': rej('not_paused'),
      'finished-frozen': rej('not_paused'),
    },
  ],
  [
    'reset',
    { type: 'reset', timerId: 'a' },
    {
      idle: to('idle'),
      running: to('idle'),
      paused: to('idle'),
      'finished-live': to('idle'),
      'finished-frozen': to('idle'),
    },
  ],
  [
    'adjust +2m',
    { type: 'adjust', timerId: 'a', deltaMs: 120_000 },
    {
      idle: to('idle'),
      running: to('running'),
      paused: to('paused'),
      'finished-live': to('running', true),
      'finished-frozen': to('paused'),
    },
  ],
  [
    'adjust -30s',
    { type: 'adjust', timerId: 'a', deltaMs: -30_000 },
    {
      idle: to('idle'),
      running: to('running'),
      paused: to('paused'),
      'finished-live': to('finished', true),
      'finished-frozen': to('finished', false),
    },
  ],
  [
    'delete',
    { type: 'delete-timer', timerId: 'a' },
    {
      idle: to('deleted'),
      running: to('deleted'),
      paused: to('deleted'),
      'finished-live': to('deleted'),
      'finished-frozen': to('deleted'),
    },
  ],
  [
    'update',
    { type: 'update-timer', timerId: 'a', patch: { label: 'renamed' } },
    {
      idle: to('idle'),
      running: to('running'),
      paused: to('paused'),
      'finished-live': to('finished', true),
      'finished-frozen': to('finished', false),
    },
  ],
  [
    'previous',
    { type: 'previous' },
    {
      idle: rej('no_previous_timer'),
      running: rej('no_previous_timer'),
      paused: rej('no_previous_timer'),
      'finished-live': rej('no_previous_timer'),
      'finished-frozen': rej('no_previous_timer'),
    },
  ],
  [
    'next',
    { type: 'next' },
    {
      idle: to('idle'),
      running: to('finished', false),
      paused: to('paused'),
      'finished-live': to('finished', false),
      'finished-frozen': to('finished', false),
    },
  ],
];

const MODES: Array<[TimerMode, Situation[]]> = [
  ['countdown', SITUATIONS],
  ['countup', SITUATIONS],
  ['time-of-day', SITUATIONS],
];

describe.each(MODES)('every command in every state: %s', (mode, situations) => {
  for (const [name, cmd, expected] of TABLE) {
    it.each(situations)(`${name} when %s`, (situation) => {
      const { s, at } = reach(mode, situation);
      expect(timerIn(s, 'a').state).toBe(situation.startsWith('finished') ? 'finished' : situation);
      const want = expected[situation];
      const r = transition(s, cmd, at);
      if ('code' in want) {
        expect(r).toMatchObject({ rejected: want.code });
        return;
      }
      if ('rejected' in r) throw new Error(`unexpected rejection ${r.rejected}`);
      if (want.state === 'deleted') {
        expect(r.state.timers.map((t) => t.id)).toEqual(['b']);
      } else {
        const a = timerIn(r.state, 'a');
        expect(a.state).toBe(want.state);
        if (want.live !== undefined) expect(isClockRunning(a)).toBe(want.live);
        if (want.state === 'running') expect(isClockRunning(a)).toBe(true);
      }
      // The version moves by one exactly when something was announced.
      expect(r.state.version).toBe(s.version + (r.events.length > 0 ? 1 : 0));
      expect(r.state.timers.filter(isClockRunning).length).toBeLessThanOrEqual(1);
    });
  }
});

describe('open-ended count-up', () => {
  it('runs, pauses and resumes without ever finishing', () => {
    const s0 = runAll(roomWith(), [[createCmd('u', 'countup', { durationMs: 0 }), T0]]);
    const s1 = runAll(s0, [
      [{ type: 'start' }, T0],
      [{ type: 'tick' }, T0 + 10 * 3_600_000],
    ]);
    expect(timerIn(s1, 'u').state).toBe('running');
    const s2 = runAll(s1, [
      [{ type: 'pause' }, T0 + 11 * 3_600_000],
      [{ type: 'resume' }, T0 + 12 * 3_600_000],
    ]);
    expect(timerIn(s2, 'u')).toMatchObject({
      state: 'running',
      accumulatedMs: 11 * 3_600_000,
      startedAt: T0 + 12 * 3_600_000,
    });
  });
});

describe('countdown specifics', () => {
  it('pause then resume keeps the remaining time and moves the finish', () => {
    const { s } = reach('countdown', 'paused');
    expect(remainingMs(timerIn(s, 'a'), T0 + 500_000)).toBe(50_000);
    const r = run(s, { type: 'resume' }, T0 + 30_000);
    expect(timerIn(r.state, 'a')).toMatchObject({ state: 'running', startedAt: T0 + 30_000, accumulatedMs: 10_000 });
    expect(r.events.map((e) => e.type)).toEqual(['timer-update']);
  });

  it('adjusting while paused changes the frozen remaining and the later finish', () => {
    const { s, at } = reach('countdown', 'paused');
    const adjusted = run(s, { type: 'adjust', deltaMs: 30_000 }, at).state;
    expect(timerIn(adjusted, 'a')).toMatchObject({ state: 'paused', adjustMs: 30_000 });
    expect(remainingMs(timerIn(adjusted, 'a'), at + 1_000_000)).toBe(80_000);
    const resumed = run(adjusted, { type: 'resume' }, T0 + 100_000).state;
    const done = run(resumed, { type: 'tick' }, T0 + 200_000);
    expect(done.events).toContainEqual({ type: 'timer-finished', timerId: 'a', finishedAt: T0 + 180_000 });
  });

  it('adjusting a running timer below zero finishes it at the command, not in the past', () => {
    const { s } = reach('countdown', 'running');
    const r = run(s, { type: 'adjust', deltaMs: -55_000 }, T0 + 10_000);
    expect(timerIn(r.state, 'a')).toMatchObject({ state: 'finished', finishedAt: T0 + 10_000 });
    expect(r.events).toContainEqual({ type: 'timer-finished', timerId: 'a', finishedAt: T0 + 10_000 });
  });

  it('adding time in overtime returns to running with the new remaining', () => {
    const { s, at } = reach('countdown', 'finished-live');
    expect(remainingMs(timerIn(s, 'a'), at)).toBe(-10_000);
    const r = run(s, { type: 'adjust', deltaMs: 60_000 }, at);
    expect(timerIn(r.state, 'a')).toMatchObject({ state: 'running', finishedAt: null, startedAt: T0 });
    expect(remainingMs(timerIn(r.state, 'a'), at)).toBe(50_000);
  });

  it('lengthening a finished timer brings it back, as adjust does', () => {
    const live = reach('countdown', 'finished-live');
    const a = timerIn(
      run(live.s, { type: 'update-timer', timerId: 'a', patch: { durationMs: 100_000 } }, live.at).state,
      'a',
    );
    expect(a).toMatchObject({ state: 'running', finishedAt: null, startedAt: T0 });
    const frozen = reach('countdown', 'finished-frozen');
    const b = timerIn(
      run(frozen.s, { type: 'update-timer', timerId: 'a', patch: { durationMs: 100_000 } }, frozen.at).state,
      'a',
    );
    expect(b).toMatchObject({ state: 'paused', finishedAt: null });
    expect(remainingMs(b, frozen.at)).toBe(34_000);
  });

  it('a reset during overtime returns the timer to idle with its full duration', () => {
    const { s, at } = reach('countdown', 'finished-live');
    const r = run(s, { type: 'reset' }, at);
    expect(timerIn(r.state, 'a')).toMatchObject({
      state: 'idle',
      startedAt: null,
      pausedAt: null,
      accumulatedMs: 0,
      adjustMs: 0,
      finishedAt: null,
    });
    expect(remainingMs(timerIn(r.state, 'a'), at)).toBe(60_000);
    expect(r.state.phases).toEqual({});
  });

  it('reset of an untouched idle timer is accepted and changes nothing', () => {
    const { s, at } = reach('countdown', 'idle');
    const r = run(s, { type: 'reset' }, at);
    expect(r.events).toEqual([]);
    expect(r.state.version).toBe(s.version);
    expect(r.state.timers).toEqual(s.timers);
  });

  it('deleting the running timer stops the clock and moves the active pointer on', () => {
    const { s, at } = reach('countdown', 'running');
    const r = run(s, { type: 'delete-timer', timerId: 'a' }, at);
    expect(r.events).toEqual([
      { type: 'timer-deleted', timerId: 'a' },
      { type: 'room-update', room: r.state.room },
    ]);
    expect(r.state.room.activeTimerId).toBe('b');
    expect(r.state.timers.some(isClockRunning)).toBe(false);
    expect(r.state.phases).toEqual({});
    expect(r.state.timers.map((t) => t.order)).toEqual([0]);
  });

  it('deleting the last timer falls back to the previous one, then to none', () => {
    const s = roomWith([{ id: 'a' }, { id: 'b' }], { active: 'b' });
    const one = run(s, { type: 'delete-timer', timerId: 'b' }, T0).state;
    expect(one.room.activeTimerId).toBe('a');
    expect(run(one, { type: 'delete-timer', timerId: 'a' }, T0).state.room.activeTimerId).toBeNull();
  });

  it('starting another timer pauses the running one at the same instant', () => {
    const { s, at } = reach('countdown', 'running');
    const r = run(s, { type: 'start', timerId: 'b' }, at);
    expect(timerIn(r.state, 'a')).toMatchObject({
      state: 'paused',
      pausedAt: at,
      accumulatedMs: 10_000,
      startedAt: null,
    });
    expect(timerIn(r.state, 'b')).toMatchObject({ state: 'running', startedAt: at });
    expect(r.state.room.activeTimerId).toBe('b');
  });

  it('starting another timer stops one counting overtime, keeping it finished', () => {
    const { s, at } = reach('countdown', 'finished-live');
    const a = timerIn(run(s, { type: 'start', timerId: 'b' }, at).state, 'a');
    expect(a).toMatchObject({ state: 'finished', startedAt: null, pausedAt: at, finishedAt: T0 + 60_000 });
    expect(remainingMs(a, at + 99_000)).toBe(-10_000);
  });

  it('next while running freezes the current as finished and starts the next at the same instant', () => {
    const { s, at } = reach('countdown', 'running');
    const r = run(s, { type: 'next' }, at);
    expect(timerIn(r.state, 'a')).toMatchObject({
      state: 'finished',
      startedAt: null,
      finishedAt: at,
      accumulatedMs: 10_000,
    });
    expect(timerIn(r.state, 'b')).toMatchObject({ state: 'running', startedAt: at });
    expect(r.state.room.activeTimerId).toBe('b');
    // Going back restarts the earlier timer from its full length.
    const back = run(r.state, { type: 'previous' }, at + 5_000).state;
    expect(timerIn(back, 'a')).toMatchObject({
      state: 'running',
      startedAt: at + 5_000,
      accumulatedMs: 0,
      finishedAt: null,
    });
    expect(timerIn(back, 'b')).toMatchObject({ state: 'finished', accumulatedMs: 5_000 });
  });

  it('next keeps time added in advance to the idle target', () => {
    const { s, at } = reach('countdown', 'running');
    const pre = run(s, { type: 'adjust', timerId: 'b', deltaMs: 30_000 }, at).state;
    const b = timerIn(run(pre, { type: 'next' }, at + 1_000).state, 'b');
    expect(b).toMatchObject({ state: 'running', startedAt: at + 1_000, adjustMs: 30_000 });
  });

  it('next onto a paused timer resumes it where it stopped', () => {
    const s = roomWith([
      { id: 'a', state: 'running', startedAt: T0 },
      { id: 'b', state: 'paused', pausedAt: T0 - 1, accumulatedMs: 7_000 },
    ]);
    const b = timerIn(run(s, { type: 'next' }, T0 + 1_000).state, 'b');
    expect(b).toMatchObject({ state: 'running', startedAt: T0 + 1_000, accumulatedMs: 7_000 });
  });

  it('next when nothing runs only moves the pointer', () => {
    const s = roomWith([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
    const r = run(s, { type: 'next' }, T0);
    expect(r.events).toEqual([{ type: 'room-update', room: r.state.room }]);
    expect(r.state.timers).toEqual(s.timers);
    expect(rejection(runAll(r.state, [[{ type: 'next' }, T0]]), { type: 'next' }, T0)).toBe('no_next_timer');
  });
});

describe('rejections', () => {
  const two = roomWith([{ id: 'a' }, { id: 'b' }]);
  const empty = roomWith();

  it.each<RoomCommand>([
    { type: 'start', timerId: 'zz' },
    { type: 'pause', timerId: 'zz' },
    { type: 'resume', timerId: 'zz' },
    { type: 'reset', timerId: 'zz' },
    { type: 'adjust', timerId: 'zz', deltaMs: 1 },
    { type: 'update-timer', timerId: 'zz', patch: { label: 'x' } },
    { type: 'delete-timer', timerId: 'zz' },
    { type: 'select', timerId: 'zz' },
  ])('timer_not_found: %o', (cmd) => {
    expect(rejection(two, cmd, T0)).toBe('timer_not_found');
  });

  it('no_timers for start/next/previous in an empty room', () => {
    expect(rejection(empty, { type: 'start' }, T0)).toBe('no_timers');
    expect(rejection(empty, { type: 'next' }, T0)).toBe('no_timers');
    expect(rejection(empty, { type: 'previous' }, T0)).toBe('no_timers');
    expect(rejection(empty, { type: 'pause' }, T0)).toBe('timer_not_found');
  });

  it('no_next_timer / no_previous_timer at the ends of the rundown', () => {
    expect(rejection(two, { type: 'previous' }, T0)).toBe('no_previous_timer');
    expect(rejection(run(two, { type: 'select', timerId: 'b' }, T0).state, { type: 'next' }, T0)).toBe('no_next_timer');
  });

  it.each([[['a']], [['a', 'a']], [['a', 'b', 'c']], [['a', 'zz']], [['b', 'b']]])('invalid_order: %o', (ids) => {
    expect(rejection(two, { type: 'reorder', timerIds: ids }, T0)).toBe('invalid_order');
  });

  it('reorder renumbers; the same order is a no-op', () => {
    const r = run(two, { type: 'reorder', timerIds: ['b', 'a'] }, T0);
    expect(r.state.timers.map((t) => [t.id, t.order])).toEqual([
      ['b', 0],
      ['a', 1],
    ]);
    expect(r.events).toEqual([{ type: 'timers-reordered', timerIds: ['b', 'a'] }]);
    expect(run(two, { type: 'reorder', timerIds: ['a', 'b'] }, T0).events).toEqual([]);
  });

  it('too_many_timers past the limit', () => {
    const full = roomWith(Array.from({ length: MAX_TIMERS }, (_, i) => ({ id: `t${i}` })));
    expect(rejection(full, createCmd('one-more'), T0)).toBe('too_many_timers');
  });

  it('invalid_timer for incomplete or clashing definitions', () => {
    expect(
      rejection(two, { type: 'create-timer', id: 'x', timer: { label: 'x', durationMs: 0, mode: 'time-of-day' } }, T0),
    ).toBe('invalid_timer');
    expect(
      rejection(two, { type: 'create-timer', id: 'x', timer: { label: 'x', durationMs: 1, trigger: 'scheduled' } }, T0),
    ).toBe('invalid_timer');
    expect(rejection(two, { type: 'create-timer', id: 'x', timer: { label: 'x', durationMs: -1 } }, T0)).toBe(
      'invalid_timer',
    );
    expect(rejection(two, { type: 'create-timer', id: 'x', timer: { label: 'x', durationMs: Number.NaN } }, T0)).toBe(
      'invalid_timer',
    );
    expect(rejection(two, createCmd('a'), T0)).toBe('invalid_timer');
    expect(rejection(two, { type: 'update-timer', timerId: 'a', patch: { mode: 'time-of-day' } }, T0)).toBe(
      'invalid_timer',
    );
    expect(rejection(two, { type: 'update-timer', timerId: 'a', patch: { trigger: 'scheduled' } }, T0)).toBe(
      'invalid_timer',
    );
  });

  it('a rejected command leaves the input untouched', () => {
    const before = structuredClone(two);
    expect(rejection(two, { type: 'pause' }, T0 + 1)).toBe('not_running');
    expect(two).toEqual(before);
  });

  it('an accepted no-op leaves the input untouched', () => {
    const before = structuredClone(two);
    const r = run(two, { type: 'select', timerId: 'a' }, T0 + 1_000);
    expect(r.events).toEqual([]);
    expect(r.state.version).toBe(two.version);
    expect(two).toEqual(before);
  });
});

describe('room commands', () => {
  it('create appends with the next order and activates the first timer', () => {
    const s = runAll(roomWith(), [
      [createCmd('a'), T0],
      [createCmd('b'), T0],
    ]);
    expect(s.timers.map((t) => [t.id, t.order])).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
    expect(s.room.activeTimerId).toBe('a');
    expect(s.version).toBe(2);
  });

  it('messages are set and cleared; clearing nothing is a no-op', () => {
    const r = run(roomWith(), { type: 'set-message', text: 'hi', flash: true, blackout: false, target: 'all' }, T0);
    expect(r.state.message).toEqual({ text: 'hi', flash: true, blackout: false, target: 'all' });
    const cleared = run(r.state, { type: 'clear-message' }, T0);
    expect(cleared.state.message).toBeNull();
    expect(run(cleared.state, { type: 'clear-message' }, T0).events).toEqual([]);
  });

  it('update-room changes the thresholds used for phases', () => {
    const s = runAll(roomWith([{ id: 'a', durationMs: 120_000 }]), [[{ type: 'start' }, T0]]);
    const r = run(s, { type: 'update-room', warnMs: 110_000 }, T0 + 15_000);
    expect(r.state.room.warnMs).toBe(110_000);
    expect(r.events).toContainEqual({ type: 'timer-phase', timerId: 'a', phase: 'warning' });
  });
});
