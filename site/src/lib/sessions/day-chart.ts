/**
 * Geometry for the active-time-per-day chart: one bar per calendar day on a
 * scale with round gridlines (seconds, minutes or hours, whatever fits). Pure;
 * x positions are percentages so the SVG stretches to any width.
 */
import { axisSpan, dayLabel, dayMonth, weekdayShort } from '../format/intl.ts';
import type { DayTotal } from './api.ts';

interface DayBar {
  date: string;
  sessions: number;
  activeMs: number;
  /** Percent of the chart's width. */
  x: number;
  width: number;
  /** 0..1 of the scale's top. */
  height: number;
  /** The axis label under the bar ('' where the axis would be too crowded). */
  tick: string;
  /** "Mon 17 Nov". */
  title: string;
}

export interface DayChart {
  bars: DayBar[];
  /** Gridlines above zero, bottom up: value and 0..1 height. */
  grid: { ms: number; at: number; text: string }[];
  maxMs: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** Gridline steps to choose from, smallest first. */
const STEPS = [1, 2, 5, 10, 15, 30]
  .map((s) => s * SECOND)
  .concat(
    [1, 2, 5, 10, 15, 30].map((m) => m * MINUTE),
    [1, 2, 3, 4, 6, 12].map((h) => h * HOUR),
  );
const LINES = 4;

/** "1 hr", "1.5 hr", "30 min", "10 sec", in the reader's locale (Intl; `locale` for tests). */
export function axisText(ms: number, locale?: string): string {
  return axisSpan(ms, locale);
}

/** The smallest round step whose LINES gridlines cover `max`. */
export function gridStep(max: number): number {
  return STEPS.find((s) => s * LINES >= max) ?? Math.ceil(max / LINES / (24 * HOUR)) * 24 * HOUR;
}

export function dayChart(days: readonly DayTotal[], locale?: string): DayChart {
  const max = Math.max(0, ...days.map((d) => d.activeMs));
  // An empty period still gets a readable scale.
  const step = max === 0 ? 15 * MINUTE : gridStep(max);
  // Only as many gridlines as the data needs (at least two), with headroom above the tallest bar.
  const lines = Math.max(2, Math.floor(max / step) + 1);
  const top = step * lines;
  const n = Math.max(1, days.length);
  const slot = 100 / n;
  const every = n <= 10 ? 1 : Math.ceil(n / 6);
  const bars = days.map((d, i) => {
    // Daily labels for a week; for a month, every few days counted back from today (so today is labelled).
    const labelled = (n - 1 - i) % every === 0;
    return {
      date: d.date,
      sessions: d.sessions,
      activeMs: d.activeMs,
      x: i * slot + slot * 0.18,
      width: slot * 0.64,
      height: top > 0 ? d.activeMs / top : 0,
      tick: labelled ? (n <= 10 ? weekdayShort(d.date, locale) : dayMonth(d.date, locale)) : '',
      title: dayLabel(d.date, locale),
    };
  });
  const grid = Array.from({ length: lines }, (_, i) => ({
    ms: step * (i + 1),
    at: (i + 1) / lines,
    text: axisText(step * (i + 1), locale),
  }));
  return { bars, grid, maxMs: top };
}
