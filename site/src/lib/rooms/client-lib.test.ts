import { describe, expect, it } from 'vitest';
import { makeTimer } from '../../../../core/rooms/timer.ts';
import { makeRoom } from '../../../../core/rooms/transition.ts';
import { activeAndNext, displayFrame } from './display.ts';
import { formatDurationInput, optionalSeconds, parseDuration } from '../clock/duration-input.ts';
import { parseServerMessage } from './messages.ts';
import { shortcutFor } from './shortcuts.ts';
import { backoffDelay } from '../net/socket.ts';

const key = (
  k: string,
  code = '',
  mods: Partial<{ shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {},
) => ({
  key: k,
  code,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe('shortcuts', () => {
  it('maps keys to actions', () => {
    expect(shortcutFor(key(' ', 'Space'))).toEqual({ type: 'toggle' });
    expect(shortcutFor(key('ArrowRight'))).toEqual({ type: 'next' });
    expect(shortcutFor(key('ArrowDown'))).toEqual({ type: 'next' });
    expect(shortcutFor(key('ArrowLeft'))).toEqual({ type: 'previous' });
    expect(shortcutFor(key('ArrowUp'))).toEqual({ type: 'previous' });
    expect(shortcutFor(key('=', 'Equal'))).toEqual({ type: 'adjust', deltaMs: 60_000 });
    expect(shortcutFor(key('+', 'NumpadAdd'))).toEqual({ type: 'adjust', deltaMs: 60_000 });
    expect(shortcutFor(key('-', 'Minus'))).toEqual({ type: 'adjust', deltaMs: -60_000 });
    expect(shortcutFor(key('+', 'Equal', { shiftKey: true }))).toEqual({ type: 'adjust', deltaMs: 10_000 });
    expect(shortcutFor(key('_', 'Minus', { shiftKey: true }))).toEqual({ type: 'adjust', deltaMs: -10_000 });
    expect(shortcutFor(key('?', 'Slash', { shiftKey: true }))).toEqual({ type: 'help' });
  });
  it('leaves browser and OS combinations alone', () => {
    expect(shortcutFor(key('ArrowLeft', '', { altKey: true }))).toBeNull();
    expect(shortcutFor(key('-', 'Minus', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key('a', 'KeyA'))).toBeNull();
  });
});

describe('duration input', () => {
  it('parses what people type', () => {
    expect(parseDuration('5:00')).toBe(300_000);
    expect(parseDuration('1:30:00')).toBe(5_400_000);
    expect(parseDuration('90')).toBe(90_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1h 30m')).toBe(5_400_000);
    expect(parseDuration('45s')).toBe(45_000);
    expect(parseDuration('0:10')).toBe(10_000);
    expect(parseDuration('5:75')).toBeNull();
    expect(parseDuration('soon')).toBeNull();
    expect(parseDuration('')).toBeNull();
  });
  it('formats for editing', () => {
    expect(formatDurationInput(300_000)).toBe('5:00');
    expect(formatDurationInput(5_400_000)).toBe('1:30:00');
  });
  it('reads optional seconds', () => {
    expect(optionalSeconds('')).toBeNull();
    expect(optionalSeconds('30')).toBe(30_000);
    expect(optionalSeconds('-1')).toBeUndefined();
    expect(optionalSeconds('x')).toBeUndefined();
  });
});

describe('display frame', () => {
  const room = { warnMs: 60_000, dangerMs: 15_000 };
  it('shows tenths only in the last ten seconds of a countdown', () => {
    const t = makeTimer({ id: 't', durationMs: 30_000, state: 'running', startedAt: 0 });
    expect(displayFrame(t, room, 10_000)).toMatchObject({ text: '0:20', phase: 'warning' });
    expect(displayFrame(t, room, 20_000).text).toBe('0:10.0');
    expect(displayFrame(t, room, 25_050).text).toBe('0:05.0');
    expect(displayFrame(t, room, 33_500)).toMatchObject({ text: '-0:03', phase: 'overtime', progress: 1 });
  });
  it('colours by phase', () => {
    const t = makeTimer({ id: 't', durationMs: 120_000, state: 'running', startedAt: 0 });
    expect(displayFrame(t, room, 0).phase).toBe('normal');
    expect(displayFrame(t, room, 70_000).phase).toBe('warning');
  });
  it('picks the active timer and the next one', () => {
    const timers = [makeTimer({ id: 'a' }), makeTimer({ id: 'b' }), makeTimer({ id: 'c' })];
    const info = {
      ...makeRoom({ id: 'r', name: 'R', ownerId: 'u', createdAt: 0 }).room,
      warnMs: 1,
      dangerMs: 1,
      activeTimerId: 'b',
    };
    expect(activeAndNext(info, timers)).toEqual({ active: timers[1], next: timers[2] });
    expect(activeAndNext({ ...info, activeTimerId: null }, timers)).toEqual({ active: timers[0], next: timers[1] });
    expect(activeAndNext(info, [])).toEqual({ active: null, next: null });
  });
});

describe('backoff', () => {
  it('uses full jitter under an exponential cap', () => {
    expect(backoffDelay(0, 500, 15_000, () => 0.999)).toBeLessThan(500);
    expect(backoffDelay(3, 500, 15_000, () => 0.5)).toBe(2_000);
    expect(backoffDelay(10, 500, 15_000, () => 1)).toBe(15_000);
    expect(backoffDelay(10, 500, 15_000, () => 0)).toBe(0);
  });
});

describe('server message guard', () => {
  it('accepts well-formed messages and drops the rest', () => {
    expect(parseServerMessage('{"type":"pong","t0":1,"serverTime":2}')).toEqual({ type: 'pong', t0: 1, serverTime: 2 });
    expect(parseServerMessage('{"type":"pong","t0":"1","serverTime":2}')).toBeNull();
    expect(parseServerMessage('{"type":"timer-update","timer":{"id":"x"},"version":1,"serverTime":1}')).toBeNull();
    expect(parseServerMessage('{"type":"launch-missiles"}')).toBeNull();
    expect(parseServerMessage('not json')).toBeNull();
    expect(parseServerMessage(42)).toBeNull();
    const timer = makeTimer({ id: 't' });
    expect(parseServerMessage(JSON.stringify({ type: 'timer-created', timer, version: 2, serverTime: 5 }))?.type).toBe(
      'timer-created',
    );
  });
});
