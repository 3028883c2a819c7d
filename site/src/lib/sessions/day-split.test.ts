import { describe, expect, it } from 'vitest';
import type { ProjectTotal } from './api.ts';
import { splitLegend, splitTable, stackDay } from './day-split.ts';

const MIN = 60_000;
const total = (
  projectId: string | null,
  name: string,
  netMs: number,
  color: string | null = '#123456',
): ProjectTotal => ({
  projectId,
  name,
  color,
  sessions: 1,
  grossMs: netMs,
  netMs,
  breakMs: 0,
});

describe('day chart split by project', () => {
  const totals = [
    total('a', 'Old name', 60 * MIN, '#111111'),
    total(null, 'No project', 30 * MIN, null),
    total('gone', 'Barn', 90 * MIN),
  ];

  it('names the legend from the live projects, marks a deleted one, orders by net time', () => {
    const legend = splitLegend(totals, [{ id: 'a', name: 'Renamed', color: '#22c55e' }]);
    expect(legend.map((l) => [l.key, l.name, l.color, l.netMs, l.deleted])).toEqual([
      ['gone', 'Barn (deleted)', '#123456', 90 * MIN, true],
      ['a', 'Renamed', '#22c55e', 60 * MIN, false],
      ['none', 'No project', null, 30 * MIN, false],
    ]);
    // While the live list is unknown, nothing is called deleted.
    expect(splitLegend(totals, null).find((l) => l.key === 'gone')?.name).toBe('Barn');
  });

  it('stacks a day bottom up in the legend’s order; the stack’s height is the day’s share of the scale', () => {
    const legend = splitLegend(totals, [{ id: 'a', name: 'A', color: '#22c55e' }]);
    const segs = stackDay(
      [
        { projectId: null, sessions: 1, netMs: 15 * MIN },
        { projectId: 'a', sessions: 1, netMs: 30 * MIN },
        { projectId: 'gone', sessions: 1, netMs: 0 },
      ],
      60 * MIN,
      legend,
    );
    expect(segs.map((s) => [s.key, s.from, s.height, s.color])).toEqual([
      ['a', 0, 0.5, '#22c55e'],
      ['none', 0.5, 0.25, null],
    ]);
  });

  it('tabulates days with time, a cell per legend item', () => {
    const legend = splitLegend(totals, null);
    const rows = splitTable(
      [
        { date: '2026-11-20', sessions: 0, activeMs: 0, byProject: [] },
        {
          date: '2026-11-21',
          sessions: 2,
          activeMs: 45 * MIN,
          byProject: [
            { projectId: 'a', sessions: 1, netMs: 30 * MIN },
            { projectId: null, sessions: 1, netMs: 15 * MIN },
          ],
        },
      ],
      legend,
    );
    expect(rows).toEqual([{ date: '2026-11-21', totalMs: 45 * MIN, cells: [0, 30 * MIN, 15 * MIN] }]);
  });
});
