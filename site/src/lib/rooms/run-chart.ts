/**
 * Geometry for the planned-vs-actual chart. Pure. Each run's bar is scaled to
 * its own longer side (plan or actual): runs of 30 s and 30 min sit on one
 * chart, and what shows is how each run went against its plan.
 */
import { type TimerRun, actualMs, hasOvertime } from './history.ts';

interface ChartRow {
  id: string;
  label: string;
  plannedMs: number;
  actualMs: number;
  overtimeMs: number;
  /** Widths in percent of the row: the planned track, the actual bar up to plan, and the overtime beyond it. */
  planned: number;
  onTime: number;
  over: number;
}

/** A sliver stays visible: a one-second run against a one-hour plan is still a run. */
const MIN_PCT = 0.8;

/** The newest `limit` runs, newest first. */
export function chartRows(runs: TimerRun[], limit = 10): ChartRow[] {
  return runs.slice(0, limit).map((r) => {
    const actual = actualMs(r);
    // A count-up with no plan has no overtime.
    const beyond = r.plannedMs > 0 ? actual - r.plannedMs : 0;
    const over = hasOvertime(beyond) ? beyond : 0;
    const max = Math.max(1, r.plannedMs, actual);
    const pct = (ms: number) => (ms <= 0 ? 0 : Math.max(MIN_PCT, Math.round((ms / max) * 10_000) / 100));
    const onTime = pct(over > 0 ? r.plannedMs : actual);
    return {
      id: r.id,
      label: r.label,
      plannedMs: r.plannedMs,
      actualMs: actual,
      overtimeMs: over,
      planned: pct(r.plannedMs),
      onTime,
      over: over > 0 ? Math.max(MIN_PCT, Math.round((100 - onTime) * 100) / 100) : 0,
    };
  });
}
