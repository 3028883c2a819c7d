import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Coalescer } from './coalescer.ts';

describe('Coalescer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs the first request at once and folds a burst into one trailing run', () => {
    const fn = vi.fn();
    const c = new Coalescer(500, fn);
    c.request();
    expect(fn).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 1000; i++) c.request();
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(499);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(5_000);
    expect(fn).toHaveBeenCalledTimes(2);
    c.request();
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('now() runs at once and cancels the due trailing run', () => {
    const fn = vi.fn();
    const c = new Coalescer(500, fn);
    c.request();
    c.request();
    c.now();
    expect(fn).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(1_000);
    expect(fn).toHaveBeenCalledTimes(2);
  });
});
