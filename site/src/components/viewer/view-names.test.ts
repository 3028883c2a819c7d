import { describe, expect, it } from 'vitest';
import { messageFor, overUnderText } from '../../lib/rooms/display.ts';
import { pickView } from './view-names.ts';

describe('pickView', () => {
  it('reads each view, case-insensitively and trimmed', () => {
    expect(pickView('?view=presenter')).toEqual({ name: 'presenter', unknown: null });
    expect(pickView('?view=Agenda')).toEqual({ name: 'agenda', unknown: null });
    expect(pickView('?view=%20clock%20')).toEqual({ name: 'clock', unknown: null });
    expect(pickView('?x=1&view=countdown')).toEqual({ name: 'countdown', unknown: null });
  });

  it('an absent or empty view is the countdown, with no notice', () => {
    expect(pickView('')).toEqual({ name: 'countdown', unknown: null });
    expect(pickView('?view=')).toEqual({ name: 'countdown', unknown: null });
  });

  it('an unknown view falls back to the countdown and names what was asked (capped)', () => {
    expect(pickView('?view=teleprompter')).toEqual({ name: 'countdown', unknown: 'teleprompter' });
    expect(pickView(`?view=${'x'.repeat(500)}`).unknown).toHaveLength(40);
    expect(pickView('?view=__proto__')).toEqual({ name: 'countdown', unknown: '__proto__' });
  });
});

describe('messageFor', () => {
  const msg = (target: 'all' | 'presenter') => ({ text: 'Wrap up', flash: false, blackout: false, target });

  it('the presenter sees every message; audience screens only those for all', () => {
    expect(messageFor(msg('presenter'), 'presenter')?.text).toBe('Wrap up');
    expect(messageFor(msg('all'), 'presenter')?.text).toBe('Wrap up');
    expect(messageFor(msg('all'), 'audience')?.text).toBe('Wrap up');
    expect(messageFor(msg('presenter'), 'audience')).toBeNull();
    expect(messageFor(null, 'presenter')).toBeNull();
  });
});

describe('overUnderText', () => {
  it('reads behind, ahead and on time to the second', () => {
    expect(overUnderText(125_000)).toMatchObject({ text: '2:05 behind', amount: '2:05', tone: 'behind' });
    expect(overUnderText(-61_400)).toMatchObject({ text: '1:01 ahead', tone: 'ahead' });
    expect(overUnderText(400)).toMatchObject({ text: 'On time', tone: 'on-time' });
    expect(overUnderText(-499)).toMatchObject({ tone: 'on-time' });
    expect(overUnderText(3_600_000).text).toBe('1:00:00 behind');
  });
});
