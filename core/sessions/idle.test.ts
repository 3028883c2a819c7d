import { describe, expect, it } from 'vitest';
import { settingsProblem } from './idle.ts';
import {
  type SessionCommand,
  type SessionEvent,
  type SessionState,
  elapsedMs,
  makeSessionState,
  nextBoundary,
  pausedMs,
  transition,
} from './transition.ts';
import { stateMessage } from './wire.ts';

const T0 = 1_700_000_000_000;
const MIN = 60_000;
const HOUR = 60 * MIN;

function run(state: SessionState, cmd: SessionCommand, now: number): { state: SessionState; events: SessionEvent[] } {
  const r = transition(state, cmd, now);
  if ('rejected' in r) throw new Error(`${cmd.type} rejected: ${r.rejected}`);
  return r;
}
/** A running session started at T0 with the defaults (prompt after 30 min, auto-stop after 2 h). */
const started = () =>
  run(makeSessionState('u', T0), { type: 'start', id: 's1', label: null, maxMs: 12 * HOUR }, T0).state;

describe('idle prompt', () => {
  it('opens exactly at the idle limit after the last activity, once', () => {
    let s = run(started(), { type: 'activity', at: T0 + 10 * MIN }, T0 + 11 * MIN).state;
    expect(s.version).toBe(1);
    expect(nextBoundary(s)).toBe(T0 + 40 * MIN);
    const r = run(s, { type: 'tick' }, T0 + 55 * MIN);
    expect(r.events.map((e) => [e.type, e.at])).toEqual([['idle', T0 + 40 * MIN]]);
    s = r.state;
    expect(s.active?.idle).toEqual({ since: T0 + 10 * MIN, promptedAt: T0 + 40 * MIN });
    expect(stateMessage(s, 'u', T0 + 55 * MIN)).toMatchObject({
      idleSince: T0 + 10 * MIN,
      idleAutoStopAt: T0 + 130 * MIN,
    });
    expect(run(s, { type: 'tick' }, T0 + 60 * MIN).events).toEqual([]);
  });

  it('a paused session never prompts; the prompt can come when it runs again', () => {
    let s = run(started(), { type: 'pause' }, T0 + MIN).state;
    expect(run(s, { type: 'tick' }, T0 + 5 * HOUR).events).toEqual([]);
    s = run(s, { type: 'resume' }, T0 + 5 * HOUR).state;
    expect(nextBoundary(s)).toBe(T0 + 5 * HOUR + 30 * MIN);
  });

  it('keep: the idle time counts and the prompt closes', () => {
    const s = run(started(), { type: 'tick' }, T0 + 45 * MIN).state;
    const r = run(s, { type: 'idle-answer', choice: 'keep' }, T0 + 50 * MIN);
    expect(r.events).toMatchObject([{ type: 'idle-cleared', choice: 'keep' }]);
    expect(r.state.active?.idle).toBeNull();
    expect(elapsedMs(r.state.active!, T0 + 50 * MIN)).toBe(50 * MIN);
    expect(nextBoundary(r.state)).toBe(T0 + 80 * MIN);
  });

  it('discard: the span from the last activity becomes a pause, and the session runs on', () => {
    let s = run(started(), { type: 'activity', at: T0 + 5 * MIN }, T0 + 5 * MIN).state;
    s = run(s, { type: 'tick' }, T0 + 40 * MIN).state;
    const r = run(s, { type: 'idle-answer', choice: 'discard' }, T0 + 50 * MIN);
    const a = r.state.active!;
    expect(a.status).toBe('running');
    expect(a.pauseSegments).toEqual([{ pausedAt: T0 + 5 * MIN, resumedAt: T0 + 50 * MIN, kind: 'idle' }]);
    expect(elapsedMs(a, T0 + 60 * MIN)).toBe(15 * MIN);
    expect(pausedMs(a, T0 + 60 * MIN)).toBe(45 * MIN);
  });

  it('stop answers stop now', () => {
    const s = run(started(), { type: 'tick' }, T0 + 40 * MIN).state;
    const r = run(s, { type: 'idle-answer', choice: 'stop', device: 'laptop' }, T0 + 41 * MIN);
    expect(r.state.last).toMatchObject({ endTime: T0 + 41 * MIN, stopReason: 'user', stoppedBy: { device: 'laptop' } });
  });

  it('no answer: the session stops itself at the last activity', () => {
    let s = run(started(), { type: 'activity', at: T0 + 7 * MIN }, T0 + 7 * MIN).state;
    s = run(s, { type: 'pause' }, T0 + 8 * MIN).state;
    s = run(s, { type: 'resume' }, T0 + 9 * MIN).state;
    const r = run(s, { type: 'tick' }, T0 + 10 * HOUR);
    expect(r.events.map((e) => [e.type, e.at])).toEqual([
      ['idle', T0 + 39 * MIN],
      ['stopped', T0 + 9 * MIN],
    ]);
    expect(r.state.last).toMatchObject({
      endTime: T0 + 9 * MIN,
      durationMs: 9 * MIN,
      elapsedMs: 8 * MIN,
      pausedMs: MIN,
      autoStopped: true,
      stopReason: 'idle',
      stoppedBy: { device: null, role: 'system' },
    });
  });

  it('activity after the prompt cancels the auto-stop; the prompt stays until answered', () => {
    let s = run(started(), { type: 'tick' }, T0 + 31 * MIN).state;
    s = run(s, { type: 'activity' }, T0 + 32 * MIN).state;
    expect(s.active?.idle).not.toBeNull();
    expect(run(s, { type: 'tick' }, T0 + 5 * HOUR).events).toEqual([]);
  });

  it('with the prompt off, the auto-stop alone stops at the last activity', () => {
    let s: SessionState = { ...makeSessionState('u', T0), settings: { idleLimitMs: null, autoStopIdleMs: HOUR } };
    s = run(s, { type: 'start', id: 's1', label: null, maxMs: 12 * HOUR }, T0).state;
    s = run(s, { type: 'activity' }, T0 + 20 * MIN).state;
    const r = run(s, { type: 'tick' }, T0 + 3 * HOUR);
    expect(r.events.map((e) => e.type)).toEqual(['stopped']);
    expect(r.state.last).toMatchObject({ endTime: T0 + 20 * MIN, stopReason: 'idle' });
  });

  it('an answer with no prompt open is refused', () => {
    expect(transition(started(), { type: 'idle-answer', choice: 'keep' }, T0 + MIN)).toMatchObject({
      rejected: 'not_idle',
    });
  });

  it('settings are validated', () => {
    expect(settingsProblem({ idleLimitMs: 30 * MIN, autoStopIdleMs: 2 * HOUR })).toBeNull();
    expect(settingsProblem({ idleLimitMs: null, autoStopIdleMs: null })).toBeNull();
    expect(settingsProblem({ idleLimitMs: 999, autoStopIdleMs: null })).toMatch(/idleLimitMs/);
    expect(settingsProblem({ idleLimitMs: 13 * HOUR, autoStopIdleMs: null })).toMatch(/idleLimitMs/);
    expect(settingsProblem({ idleLimitMs: HOUR, autoStopIdleMs: HOUR })).toMatch(/longer/);
    expect(settingsProblem({ idleLimitMs: 1.5 as number, autoStopIdleMs: null })).toMatch(/idleLimitMs/);
  });
});

describe('stale commands', () => {
  it('a command naming another session is refused and changes nothing', () => {
    const s = started();
    for (const type of ['pause', 'resume', 'stop', 'update'] as const)
      expect(transition(s, { type, sessionId: 'old' }, T0 + MIN)).toMatchObject({ rejected: 'stale_session' });
    const stopped = run(s, { type: 'stop' }, T0 + MIN).state;
    expect(transition(stopped, { type: 'stop', sessionId: 's1' }, T0 + 2 * MIN)).toMatchObject({
      rejected: 'stale_session',
    });
  });

  it('an older base version is refused for pause, resume and update; a stop of the right session goes through', () => {
    let s = run(started(), { type: 'pause' }, T0 + MIN).state;
    s = run(s, { type: 'resume' }, T0 + 2 * MIN).state;
    for (const type of ['pause', 'update'] as const)
      expect(transition(s, { type, sessionId: 's1', baseVersion: 1 }, T0 + 3 * MIN)).toMatchObject({
        rejected: 'stale_version',
      });
    expect(run(s, { type: 'pause', sessionId: 's1', baseVersion: 3 }, T0 + 3 * MIN).events[0]?.type).toBe('paused');
    expect(run(s, { type: 'stop', sessionId: 's1', baseVersion: 1 }, T0 + 3 * MIN).state.last?.id).toBe('s1');
  });

  it('update changes what the session is for, keeping fields left out', () => {
    let s = run(started(), { type: 'update', projectId: 'p1', tags: ['a', 'b'] }, T0 + MIN).state;
    s = run(s, { type: 'update', label: 'Work' }, T0 + 2 * MIN).state;
    expect(s.active).toMatchObject({ label: 'Work', projectId: 'p1', taskId: null, tags: ['a', 'b'] });
    s = run(s, { type: 'stop' }, T0 + 3 * MIN).state;
    expect(s.last).toMatchObject({ label: 'Work', projectId: 'p1', tags: ['a', 'b'] });
  });
});

describe('focus', () => {
  const cfg = { focusMs: 25 * MIN, breakMs: 5 * MIN, longBreakMs: 15 * MIN, every: 2 };
  const off = { idleLimitMs: null, autoStopIdleMs: null };
  const focused = () =>
    run(
      { ...makeSessionState('u', T0), settings: off },
      { type: 'start', id: 'f', label: null, maxMs: 12 * HOUR, focus: cfg },
      T0,
    ).state;

  it('breaks are pauses at exact instants; a long break after every `every` focus phases', () => {
    const r = run(focused(), { type: 'tick' }, T0 + 2 * HOUR);
    expect(r.events.map((e) => [e.type, (e.at - T0) / MIN])).toEqual([
      ['paused', 25],
      ['resumed', 30],
      ['paused', 55],
      ['resumed', 70],
      ['paused', 95],
      ['resumed', 100],
    ]);
    const a = r.state.active!;
    expect(elapsedMs(a, T0 + 2 * HOUR) + pausedMs(a, T0 + 2 * HOUR)).toBe(2 * HOUR);
    expect(pausedMs(a, T0 + 2 * HOUR)).toBe(25 * MIN);
  });

  it('a manual pause suspends the phase; resume continues its remaining time', () => {
    let s = run(focused(), { type: 'pause' }, T0 + 10 * MIN).state;
    expect(s.active?.focus).toMatchObject({ phaseEndsAt: null, remainingMs: 15 * MIN });
    expect(run(s, { type: 'tick' }, T0 + 3 * HOUR).events).toEqual([]);
    s = run(s, { type: 'resume' }, T0 + 3 * HOUR).state;
    expect(s.active?.focus?.phaseEndsAt).toBe(T0 + 3 * HOUR + 15 * MIN);
  });

  it('resume during a break skips it; pause during a break is refused', () => {
    const s = run(focused(), { type: 'tick' }, T0 + 26 * MIN).state;
    expect(s.active?.status).toBe('paused');
    expect(transition(s, { type: 'pause' }, T0 + 27 * MIN)).toMatchObject({ rejected: 'not_running' });
    const r = run(s, { type: 'resume' }, T0 + 27 * MIN).state;
    expect(r.active?.focus).toMatchObject({ index: 2, phaseEndsAt: T0 + 52 * MIN });
    expect(stateMessage(r, 'u', T0 + 27 * MIN).focus).toMatchObject({ phase: 'focus', cycle: 1 });
  });
});
