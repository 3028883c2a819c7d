import { describe, expect, it } from 'vitest';
import { ActivityReporter } from './activity.ts';

describe('ActivityReporter', () => {
  it('sends the first input at once, then at most once a minute, and only after new input', () => {
    let now = 1_000;
    const sent: number[] = [];
    const r = new ActivityReporter(
      (at) => sent.push(at) > 0,
      () => now,
    );
    r.noted();
    expect(sent).toEqual([1_000]);
    now = 20_000;
    r.noted();
    expect(sent).toEqual([1_000]);
    now = 61_000;
    expect(r.flush()).toBe(true);
    expect(sent).toEqual([1_000, 20_000]);
    // Nothing happened since: nothing is sent, however long the wait.
    now = 500_000;
    expect(r.flush()).toBe(false);
    expect(sent).toHaveLength(2);
  });

  it('keeps a report that could not be sent (offline) for the next check', () => {
    let now = 0;
    let online = false;
    const sent: number[] = [];
    const r = new ActivityReporter(
      (at) => online && sent.push(at) > 0,
      () => now,
    );
    r.noted();
    expect(sent).toEqual([]);
    online = true;
    now = 5_000;
    expect(r.flush()).toBe(true);
    expect(sent).toEqual([0]);
  });
});
