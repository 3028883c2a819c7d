import { describe, expect, it } from 'vitest';
import { axisText, dayChart, gridStep } from './day-chart.ts';

const days = (values: number[], from = '2026-11-16') =>
  values.map((activeMs, i) => ({
    date: new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10),
    sessions: activeMs > 0 ? 1 : 0,
    activeMs,
  }));

describe('day chart', () => {
  it('picks round gridlines for seconds, minutes and hours', () => {
    expect(gridStep(3_000)).toBe(1_000);
    expect(gridStep(25 * 60_000)).toBe(10 * 60_000);
    expect(gridStep(5 * 3_600_000)).toBe(2 * 3_600_000);
    expect(axisText(30_000, 'en')).toBe('30 sec');
    expect(axisText(30_000, 'de-DE')).toBe('30 Sek.');
    expect(axisText(15 * 60_000, 'en')).toBe('15 min');
    expect(axisText(5_400_000, 'en')).toBe('1.5 hr');
    expect(axisText(5_400_000, 'de-DE')).toBe('1,5 Std.');
  });

  it('lays out a week with weekday ticks and bars scaled to the top gridline', () => {
    const c = dayChart(days([0, 0, 0, 0, 0, 30 * 60_000, 45 * 60_000]), 'en');
    expect(c.bars).toHaveLength(7);
    expect(c.bars.map((b) => b.tick)).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    expect(c.maxMs).toBe(60 * 60_000);
    expect(c.bars[6]?.height).toBe(0.75);
    expect(c.grid.map((g) => g.text)).toEqual(['15 min', '30 min', '45 min', '1 hr']);
    expect(dayChart(days([0, 0, 0, 0, 0, 0, 60_000]), 'de-DE').bars[0]?.tick).toMatch(/^Mo\.?$/);
    expect(c.bars[0]?.x).toBeGreaterThan(0);
    expect((c.bars[6]?.x ?? 0) + (c.bars[6]?.width ?? 0)).toBeLessThan(100);
  });

  it('labels a month every few days, today included, and copes with an empty period', () => {
    const c = dayChart(days(Array(30).fill(0)), 'en-GB');
    expect(c.bars.at(-1)?.tick).toBe('15 Dec');
    expect(c.bars.filter((b) => b.tick).length).toBeLessThanOrEqual(7);
    expect(c.bars.every((b) => b.height === 0)).toBe(true);
    expect(c.grid.length).toBeGreaterThanOrEqual(2);
  });
});
