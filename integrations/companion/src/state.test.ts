import { describe, expect, it } from 'vitest';
import { T0, roomWith, run } from '../../../core/rooms/fixtures.ts';
import { formatDuration } from '../../../core/time.ts';
import type { RoomServerMessage } from '../../../core/rooms/wire.ts';
import type { RoomState } from '../../../core/rooms/transition.ts';
import { blackoutCommand, resolveTimer, toggleCommand } from './actions.ts';
import { parseConfig } from './config.ts';
import { backoffDelay, httpRoute } from './connection.ts';
import {
  type RoomView,
  applyMessage,
  changedVariables,
  deriveFeedback,
  deriveVariables,
  emptyView,
  formatHMmSs,
  formatMmSs,
  formatOverUnder,
  loadSnapshot,
  msToNextChange,
} from './state.ts';

const ROOM = 'a1b2c3d4e5f6a7b8c9d0';
const TOKEN = `${ROOM}_abcdefghijklmnopqrstuvwx`;

const viewOf = (s: RoomState): RoomView =>
  loadSnapshot(emptyView(), {
    room: s.room,
    timers: s.timers,
    message: s.message,
    version: s.version,
    played: s.played,
  });

const twoTimers = () =>
  roomWith([
    { id: 'a', label: 'Opening', durationMs: 5 * 60_000 },
    { id: 'b', label: 'Keynote', durationMs: 2 * 3_600_000 },
  ]);

describe('derived variables', () => {
  it('reads a running countdown as the viewer does, between changes, from the state alone', () => {
    const s = run(twoTimers(), { type: 'start' }, T0).state;
    const v = viewOf(s);
    const at = (ms: number) => deriveVariables(v, T0 + ms);
    expect(at(0)).toMatchObject({ remaining: '5:00', remaining_mmss: '05:00', remaining_hms: '0:05:00' });
    expect(at(1)).toMatchObject({ remaining: '5:00', elapsed: '0:01' });
    expect(at(1_000).remaining).toBe('4:59');
    expect(at(61_500)).toMatchObject({
      remaining: '3:59',
      remaining_seconds: 239,
      label: 'Opening',
      next_label: 'Keynote',
    });
    expect(at(61_500)).toMatchObject({ state: 'running', phase: 'normal' });
    expect(at(4 * 60_000 + 1_000).phase).toBe('warning');
    expect(at(5 * 60_000 + 12_000)).toMatchObject({ remaining: '-0:12', remaining_mmss: '-00:12', phase: 'overtime' });
    // Every reading agrees with the core's formatter, the one the viewer renders with.
    for (const ms of [0, 999, 1_000, 1_001, 59_999, 299_999, 300_000, 300_001, 310_500])
      expect(at(ms).remaining).toBe(formatDuration(300_000 - ms));
  });

  it('formats hours both ways and over/under with a sign', () => {
    expect(formatMmSs(75 * 60_000)).toBe('75:00');
    expect(formatHMmSs(75 * 60_000)).toBe('1:15:00');
    expect(formatHMmSs(-3_601_000)).toBe('-1:00:01');
    expect(formatOverUnder(65_000)).toBe('+1:05');
    expect(formatOverUnder(-30_000)).toBe('-0:30');
    expect(formatOverUnder(0)).toBe('0:00');
    const s = run(roomWith([{ id: 'k', label: 'Long', durationMs: 2 * 3_600_000 }]), { type: 'start' }, T0).state;
    expect(deriveVariables(viewOf(s), T0 + 500)).toMatchObject({ remaining: '2:00:00', remaining_mmss: '120:00' });
  });

  it('is empty without timers or a schedule, and reads the time of day in the room zone', () => {
    const v = viewOf(roomWith([]));
    const vars = deriveVariables(v, Date.UTC(2026, 0, 31, 9, 5, 7, 400));
    expect(vars).toMatchObject({ remaining: '', label: '', next_label: '', over_under: '', state: 'empty' });
    expect(vars.time_of_day).toBe('09:05:07');
    const paris = { ...v, room: { ...(v.room as NonNullable<RoomView['room']>), timeZone: 'Europe/Paris' } };
    expect(deriveVariables(paris, Date.UTC(2026, 0, 31, 9, 5, 7)).time_of_day).toBe('10:05:07');
  });

  it('reads over/under from the live schedule: empty without a plan, signed once the show is planned', () => {
    const planned = twoTimers();
    planned.room = { ...planned.room, plannedStart: T0 };
    expect(deriveVariables(viewOf(twoTimers()), T0).over_under).toBe('');
    // The show was planned for T0 and its first cue started 90 s late: 1:30 behind.
    const late = run(planned, { type: 'start' }, T0 + 90_000).state;
    expect(deriveVariables(viewOf(late), T0 + 90_000)).toMatchObject({ over_under: '+1:30', over_under_seconds: 90 });
  });

  it('feeds back phase, running, paused and blackout', () => {
    let s = run(twoTimers(), { type: 'start' }, T0).state;
    expect(deriveFeedback(viewOf(s), T0 + 1)).toMatchObject({ phase: 'normal', running: true, paused: false });
    s = run(s, { type: 'pause' }, T0 + 290_000).state;
    expect(deriveFeedback(viewOf(s), T0 + 400_000)).toMatchObject({ phase: 'danger', running: false, paused: true });
    s = run(s, { type: 'set-message', text: '', flash: false, blackout: true, target: 'all' }, T0 + 400_000).state;
    expect(deriveFeedback(viewOf(s), T0 + 400_000).blackout).toBe(true);
  });

  it('hands over only what changed, and wakes when a shown second turns over', () => {
    const s = run(twoTimers(), { type: 'start' }, T0 + 250).state;
    const v = viewOf(s);
    const a = deriveVariables(v, T0 + 1_000);
    const b = deriveVariables(v, T0 + 1_100);
    expect(changedVariables(a, b)).toEqual({});
    expect(Object.keys(changedVariables(a, deriveVariables(v, T0 + 1_300)))).toContain('remaining');
    // The timer started 250 ms into a second: its next turn-over is at +1250, before the next whole second.
    expect(msToNextChange(v, T0 + 1_100)).toBe(150 + 5);
    expect(msToNextChange(viewOf(twoTimers()), T0 + 1_100)).toBe(900 + 5);
  });
});

describe('messages in version order', () => {
  const start = () => {
    const s0 = twoTimers();
    return { s0, view: viewOf(s0) };
  };

  it('applies the next version and ignores older ones', () => {
    const { s0, view } = start();
    const r = run(s0, { type: 'start' }, T0);
    const m = { ...r.events[0], version: r.state.version, serverTime: T0 } as RoomServerMessage;
    const applied = applyMessage(view, m);
    expect(applied).toMatchObject({ sync: false, changed: true });
    expect(applied.view.timers[0]?.state).toBe('running');
    expect(applyMessage(applied.view, { ...m, version: view.version - 1 } as RoomServerMessage).changed).toBe(false);
  });

  it('asks for a snapshot on a gap, and when presence shows a newer version', () => {
    const { view } = start();
    const gap = { type: 'message', message: null, version: view.version + 2, serverTime: T0 } as RoomServerMessage;
    expect(applyMessage(view, gap)).toMatchObject({ sync: true, changed: false });
    const uc = { type: 'user-count', viewers: 1, controllers: 1, version: view.version + 1, serverTime: T0 };
    expect(applyMessage(view, uc as RoomServerMessage).sync).toBe(true);
    expect(applyMessage(emptyView(), gap).sync).toBe(false);
  });

  it('keeps what has played from schedule-update events', () => {
    const planned = twoTimers();
    planned.room = { ...planned.room, plannedStart: T0 };
    const view = viewOf(planned);
    const r = run(planned, { type: 'start' }, T0 + 30_000);
    const update = r.events.find((e) => e.type === 'schedule-update');
    expect(update).toBeDefined();
    let v = view;
    for (const e of r.events)
      v = applyMessage(v, { ...e, version: r.state.version, serverTime: T0 } as RoomServerMessage).view;
    expect(Object.keys(v.played)).toEqual(['a']);
    expect(deriveVariables(v, T0 + 30_000).over_under).toBe('+0:30');
  });
});

describe('configuration', () => {
  it('takes a full controller link, or a token with the URL', () => {
    expect(parseConfig({ link: `https://kt.example.com/control/?room=${ROOM}&token=${TOKEN}` })).toEqual({
      ok: true,
      target: { base: 'https://kt.example.com', roomId: ROOM, auth: { kind: 'link', token: TOKEN } },
    });
    expect(parseConfig({ url: 'http://10.0.0.5:8787/', link: TOKEN })).toMatchObject({
      ok: true,
      target: { base: 'http://10.0.0.5:8787' },
    });
  });

  it('says which field is wrong', () => {
    expect(parseConfig({ link: TOKEN })).toMatchObject({ ok: false, error: expect.stringMatching(/URL is required/) });
    expect(parseConfig({ url: 'ftp://x', link: TOKEN })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/URL/),
    });
    expect(parseConfig({ url: 'http://x', link: 'nope' })).toMatchObject({ ok: false, error: /Controller link/ });
    const tokenMode = { url: 'http://x', mode: 'token' as const, room: ROOM };
    expect(parseConfig(tokenMode, { apiToken: 'kt_short' })).toMatchObject({ ok: false, error: /API token/ });
    expect(parseConfig({ ...tokenMode, room: 'x' }, { apiToken: `kt_${'a'.repeat(32)}` })).toMatchObject({
      ok: false,
      error: /Room/,
    });
    expect(parseConfig(tokenMode, { apiToken: `kt_${'a'.repeat(32)}` })).toMatchObject({
      ok: true,
      target: { roomId: ROOM, auth: { kind: 'token' } },
    });
  });
});

describe('actions and commands', () => {
  it('toggle starts, pauses and resumes; blackout keeps the message text', () => {
    let s = twoTimers();
    expect(toggleCommand(viewOf(s))).toEqual({ type: 'start' });
    s = run(s, { type: 'start' }, T0).state;
    expect(toggleCommand(viewOf(s))).toEqual({ type: 'pause' });
    s = run(s, { type: 'pause' }, T0 + 1).state;
    expect(toggleCommand(viewOf(s))).toEqual({ type: 'resume' });
    expect(blackoutCommand(viewOf(s), 'off')).toEqual({ type: 'clear-message' });
    s = run(s, { type: 'set-message', text: 'Hi', flash: true, blackout: false, target: 'all' }, T0 + 2).state;
    expect(blackoutCommand(viewOf(s), 'toggle')).toMatchObject({ type: 'set-message', text: 'Hi', blackout: true });
    expect(resolveTimer(viewOf(s), '2')).toBe('b');
    expect(resolveTimer(viewOf(s), 'Keynote')).toBe('b');
    expect(resolveTimer(viewOf(s), '9')).toBeNull();
  });

  it('maps commands to the HTTP routes, defaulting to the active timer', () => {
    const v = viewOf(twoTimers());
    expect(httpRoute(ROOM, { type: 'adjust', deltaMs: 60_000 }, v)).toEqual({
      method: 'POST',
      path: `/api/rooms/${ROOM}/timers/a/adjust`,
      body: { deltaMs: 60_000 },
    });
    expect(httpRoute(ROOM, { type: 'clear-message' }, v)).toEqual({
      method: 'DELETE',
      path: `/api/rooms/${ROOM}/message`,
    });
    expect(httpRoute(ROOM, { type: 'start' }, viewOf(roomWith([])))).toBeNull();
  });

  it('backs off with full jitter under a cap', () => {
    expect(backoffDelay(0, 500, 30_000, () => 1)).toBe(500);
    expect(backoffDelay(10, 500, 30_000, () => 1)).toBe(30_000);
    expect(backoffDelay(10, 500, 30_000, () => 0.5)).toBe(15_000);
    expect(backoffDelay(3, 500, 30_000, () => 0)).toBe(100);
  });
});
