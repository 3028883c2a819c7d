import { describe, expect, it } from 'vitest';
import type { SessionView } from './messages.ts';
import { clockText, elapsedAt, pausedAt, timeline } from './time.ts';

const base: SessionView = {
  userId: 'u',
  status: 'running',
  startTime: 0,
  elapsedTime: 0,
  pausedTime: 0,
  label: null,
  version: 1,
  serverTime: 0,
  id: 's',
  endTime: null,
  accumulatedMs: 0,
  resumedAt: 0,
  pauseSegments: [],
  autoStopAt: 100_000,
  autoStopped: false,
  projectId: null,
  taskId: null,
  tags: [],
  lastActivityAt: null,
  idleSince: null,
  idleAutoStopAt: null,
  focus: null,
  stopReason: null,
  stoppedBy: null,
};

describe('session time', () => {
  it('counts up while running, holds while paused, stops at the auto-stop', () => {
    expect(elapsedAt(base, 12_345)).toBe(12_345);
    expect(elapsedAt(base, 500_000)).toBe(100_000);
    const paused: SessionView = {
      ...base,
      status: 'paused',
      accumulatedMs: 4_000,
      resumedAt: null,
      pauseSegments: [{ pausedAt: 4_000, resumedAt: null }],
    };
    expect(elapsedAt(paused, 9_000)).toBe(4_000);
    expect(pausedAt(paused, 9_000)).toBe(5_000);
  });

  it('formats whole seconds elapsed, never rounding up', () => {
    expect(clockText(0)).toBe('0:00');
    expect(clockText(59_999)).toBe('0:59');
    expect(clockText(61_000)).toBe('1:01');
    expect(clockText(3_600_000 + 62_000)).toBe('1:01:02');
    expect(clockText(-5)).toBe('0:00');
  });

  it('splits the session into running and paused stretches', () => {
    const v: SessionView = {
      ...base,
      accumulatedMs: 4_000,
      resumedAt: 6_000,
      pauseSegments: [
        { pausedAt: 2_000, resumedAt: 4_000 },
        { pausedAt: 5_000, resumedAt: 6_000 },
      ],
    };
    const parts = timeline(v, 10_000);
    expect(parts.map((p) => [p.kind, Math.round(p.start), Math.round(p.width)])).toEqual([
      ['run', 0, 20],
      ['pause', 20, 20],
      ['run', 40, 10],
      ['pause', 50, 10],
      ['run', 60, 40],
    ]);
    const open = timeline(
      { ...v, status: 'paused', resumedAt: null, pauseSegments: [{ pausedAt: 5_000, resumedAt: null }] },
      10_000,
    );
    expect(open.map((p) => p.kind)).toEqual(['run', 'pause']);
    expect(open[1]?.width).toBe(50);
  });
});
