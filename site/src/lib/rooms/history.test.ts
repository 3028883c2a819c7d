import { describe, expect, it } from 'vitest';
import { type TimerRun, actionDetail, commandText, isRoomAction, isTimerRun, spanText } from './history.ts';
import { chartRows } from './run-chart.ts';

const run = (over: Partial<TimerRun> = {}): TimerRun => ({
  id: 'r1',
  timerId: 't1',
  label: 'Talk',
  mode: 'countdown',
  plannedMs: 60_000,
  startedAt: 1_000,
  finishedAt: null,
  endedAt: 70_000,
  status: 'ended',
  endReason: 'reset',
  elapsedMs: 30_000,
  pausedMs: 0,
  overtimeMs: 0,
  startedBy: 'u1',
  startedByRole: 'owner',
  endedByRole: 'owner',
  ...over,
});

describe('history guards', () => {
  it('accepts the contract’s shapes and tolerates absent nullable fields', () => {
    expect(isTimerRun(run())).toBe(true);
    const { endReason: _e, startedBy: _s, endedByRole: _r, ...sparse } = run();
    expect(isTimerRun(sparse)).toBe(true);
    expect(isTimerRun({ ...run(), plannedMs: '60000' })).toBe(false);
    expect(
      isRoomAction({
        id: 'a',
        version: 3,
        command: 'start',
        timerId: 't1',
        payload: {},
        actorId: null,
        actorRole: 'controller',
        at: 5,
      }),
    ).toBe(true);
    expect(isRoomAction({ id: 'a', version: null, command: 'start', actorRole: 'owner', at: 'now' })).toBe(false);
  });

  it('summarises payloads and names commands', () => {
    const a = { id: 'a', version: 1, timerId: null, actorId: null, actorRole: 'owner', at: 0 };
    expect(actionDetail({ ...a, command: 'adjust', payload: { deltaMs: -10_000 } })).toBe('−0:10');
    expect(actionDetail({ ...a, command: 'set-message', payload: { text: 'Wrap up' } })).toBe('“Wrap up”');
    expect(actionDetail({ ...a, command: 'create-timer', payload: { timer: { label: 'Q&A' } } })).toBe('Q&A');
    expect(actionDetail({ ...a, command: 'start', payload: null })).toBe('');
    expect(commandText('create-timer')).toBe('create timer');
  });

  it('rounds spans to the second rather than a countdown’s ceiling', () => {
    expect(spanText(1_200)).toBe('0:01');
    expect(spanText(59_600)).toBe('1:00');
    expect(spanText(0)).toBe('0:00');
  });
});

describe('chartRows', () => {
  it('scales each run to its own plan or actual, whichever is longer, and splits overtime off the plan', () => {
    const rows = chartRows([
      run({ id: 'a', plannedMs: 60_000, elapsedMs: 90_000, overtimeMs: 30_000 }),
      run({ id: 'b', plannedMs: 600_000, elapsedMs: 300_000 }),
    ]);
    expect(rows[0]).toMatchObject({ planned: 66.67, onTime: 66.67, over: 33.33, overtimeMs: 30_000 });
    expect(rows[1]).toMatchObject({ planned: 100, onTime: 50, over: 0 });
  });

  it('keeps a tiny run visible, draws a count-up with no plan as a plain bar, and keeps at most `limit` rows', () => {
    expect(chartRows([run({ plannedMs: 3_600_000, elapsedMs: 1_000 })])[0]).toMatchObject({
      planned: 100,
      onTime: 0.8,
    });
    expect(chartRows([run({ mode: 'countup', plannedMs: 0, elapsedMs: 10_000 })])[0]).toMatchObject({
      planned: 0,
      onTime: 100,
      over: 0,
    });
    expect(
      chartRows(
        Array.from({ length: 15 }, (_, i) => run({ id: String(i) })),
        10,
      ),
    ).toHaveLength(10);
    expect(chartRows([])).toEqual([]);
  });
});
