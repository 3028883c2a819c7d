/**
 * The day chart split by project: the legend (the period's projects, named
 * from the live project list so a rename shows at once; a project deleted
 * since keeps its old name with "(deleted)") and each day's stacked segments.
 * Pure; heights are fractions of the chart's scale, bottom up.
 */
import type { DayProjectPart, DayTotal, ProjectTotal } from './api.ts';

export interface LegendItem {
  /** A stable key ('none' for time without a project). */
  key: string;
  projectId: string | null;
  name: string;
  /** A project's #rrggbb, or null: draw with the palette's "no project" colour. */
  color: string | null;
  netMs: number;
  deleted: boolean;
}

export interface Segment {
  key: string;
  projectId: string | null;
  netMs: number;
  /** Bottom and height, 0..1 of the scale. */
  from: number;
  height: number;
  color: string | null;
}

const keyOf = (id: string | null) => id ?? 'none';

/** Most net time first; on a tie named projects by id, then "no project" (the server's day order). */
const byTime = (a: { projectId: string | null; netMs: number }, b: { projectId: string | null; netMs: number }) =>
  b.netMs - a.netMs ||
  (a.projectId === null
    ? 1
    : b.projectId === null
      ? -1
      : a.projectId < b.projectId
        ? -1
        : a.projectId > b.projectId
          ? 1
          : 0);

/**
 * The legend for the period. `live` is the user's current projects, or null
 * while they are not known (then no project is called deleted).
 */
export function splitLegend(
  totals: readonly ProjectTotal[],
  live: readonly { id: string; name: string; color: string }[] | null,
): LegendItem[] {
  const now = new Map((live ?? []).map((p) => [p.id, p]));
  return totals
    .filter((t) => t.netMs > 0)
    .map((t) => {
      const p = t.projectId === null ? null : now.get(t.projectId);
      const deleted = t.projectId !== null && live !== null && !p;
      return {
        key: keyOf(t.projectId),
        projectId: t.projectId,
        name: p?.name ?? (deleted ? `${t.name} (deleted)` : t.name),
        color: t.projectId === null ? null : (p?.color ?? t.color),
        netMs: t.netMs,
        deleted,
      };
    })
    .sort(byTime);
}

/** A day's parts stacked bottom up (in the legend's order) on a scale whose top is `topMs`. */
export function stackDay(parts: readonly DayProjectPart[], topMs: number, legend: readonly LegendItem[]): Segment[] {
  const rank = new Map(legend.map((l, i) => [l.key, i]));
  const colors = new Map(legend.map((l) => [l.key, l.color]));
  const sorted = parts
    .filter((p) => p.netMs > 0)
    .sort((a, b) => (rank.get(keyOf(a.projectId)) ?? legend.length) - (rank.get(keyOf(b.projectId)) ?? legend.length));
  let from = 0;
  return sorted.map((p) => {
    const height = topMs > 0 ? p.netMs / topMs : 0;
    const seg = {
      key: keyOf(p.projectId),
      projectId: p.projectId,
      netMs: p.netMs,
      from,
      height,
      color: colors.get(keyOf(p.projectId)) ?? null,
    };
    from += height;
    return seg;
  });
}

/** Rows for the chart's table: each day with time, and its net time per legend item (0 where none). */
export function splitTable(
  days: readonly DayTotal[],
  legend: readonly LegendItem[],
): { date: string; totalMs: number; cells: number[] }[] {
  return days
    .filter((d) => d.activeMs > 0)
    .map((d) => {
      const parts = new Map((d.byProject ?? []).map((p) => [keyOf(p.projectId), p.netMs]));
      return { date: d.date, totalMs: d.activeMs, cells: legend.map((l) => parts.get(l.key) ?? 0) };
    });
}
