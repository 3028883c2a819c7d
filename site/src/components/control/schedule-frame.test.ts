import { describe, expect, it } from 'vitest';
import { makeTimer } from '../../../../core/rooms/timer.ts';
import {
  clockTime,
  dateTimeInputValue,
  fromZonedInput,
  overUnderWords,
  scheduleFrame,
  scheduleFramer,
} from './schedule-frame.ts';

const T = Date.UTC(2026, 2, 14, 9, 0, 0);
const room = { plannedStart: T, activeTimerId: 'a', timeZone: 'Europe/Paris' };
const timers = [makeTimer({ id: 'a', durationMs: 600_000 }), makeTimer({ id: 'b', durationMs: 300_000, order: 1 })];

describe('schedule frame', () => {
  it('says over/under in words with a sign', () => {
    expect(overUnderWords(135_000)).toEqual({ text: '+2:15 behind', tone: 'behind' });
    expect(overUnderWords(-30_000)).toEqual({ text: '\u22120:30 ahead', tone: 'ahead' });
    expect(overUnderWords(400)).toEqual({ text: 'On time', tone: 'on-time' });
  });

  it('shows times as hh:mm:ss in the room zone, and reads inputs back in that zone', () => {
    expect(clockTime('Europe/Paris', T)).toBe('10:00:00');
    expect(clockTime('Not/AZone', T)).toBe('09:00:00');
    expect(dateTimeInputValue(T, 'Europe/Paris')).toBe('2026-03-14T10:00:00');
    expect(fromZonedInput('2026-03-14T10:00:00', 'Europe/Paris', 0)).toBe(T);
    expect(fromZonedInput('10:30', 'Europe/Paris', T)).toBe(T + 1_800_000);
    expect(fromZonedInput('', 'UTC', T)).toBeNull();
    expect(fromZonedInput('25:00', 'UTC', T)).toBeUndefined();
    expect(fromZonedInput('soon', 'UTC', T)).toBeUndefined();
  });

  it('rows carry planned and projected times; the header the badge and the end', () => {
    const f = scheduleFrame(room, timers, {}, T + 60_000);
    expect(f.badge).toEqual({ text: '+1:00 behind', tone: 'behind' });
    expect(f.end).toBe('10:16:00');
    expect(f.rows.get('b')).toEqual({ planned: '10:10:00', projected: '10:11:00', actual: null, drift: null });
    const played = { a: { actualStart: T + 60_000, actualEnd: null, absorbedMs: 0 } };
    expect(scheduleFrame(room, timers, played, T + 90_000).rows.get('a')?.actual).toBe('10:01:00–');
  });

  it('the framer reformats only when a shown second changes', () => {
    const framer = scheduleFramer();
    const none = {};
    const a = framer(room, timers, none, T + 60_000);
    expect(framer(room, timers, none, T + 60_400)).toBe(a);
    const b = framer(room, timers, none, T + 61_000);
    expect(b).not.toBe(a);
    expect(b.end).toBe('10:16:01');
  });
});
