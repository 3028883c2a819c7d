/**
 * Net time, breaks and reports over a date range. Pure: entries, projects,
 * tasks and the range come in. Gross is an entry's wall time, net its
 * running time, breaks its pauses (net + breaks = gross); a day is the
 * calendar day of an entry's start at the caller's UTC offset.
 */
import type { PauseSegment } from './transition.ts';

// ── Break rule ─────────────────────────────────────────────────────────────
/** "At least `minBreakMs` of breaks once the day's work passes `afterMs`"; pauses shorter than `minPauseMs` do not count. */
export interface BreakRule {
  name: string;
  steps: Array<{ afterMs: number; minBreakMs: number }>;
  minPauseMs: number;
}

const H = 3_600_000;
const MIN = 60_000;

/** Germany's working-time law (ArbZG §4): 30 min after 6 h, 45 min after 9 h, in breaks of at least 15 min. */
export const DE_ARBZG: BreakRule = {
  name: 'de-arbzg',
  steps: [
    { afterMs: 6 * H, minBreakMs: 30 * MIN },
    { afterMs: 9 * H, minBreakMs: 45 * MIN },
  ],
  minPauseMs: 15 * MIN,
};

export interface BreakHint {
  requiredMs: number;
  /** The breaks that count under the rule. */
  breakMs: number;
  text: string;
}

const hm = (ms: number) => {
  const m = Math.round(ms / MIN);
  return m % 60 === 0 ? `${m / 60} h` : m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
};

/** The hint for a day that misses the rule, or null when it keeps it (or there is no rule). */
export function breakHint(rule: BreakRule | null, netMs: number, qualifyingBreakMs: number): BreakHint | null {
  if (!rule) return null;
  const step = [...rule.steps].sort((a, b) => b.afterMs - a.afterMs).find((s) => netMs > s.afterMs);
  if (!step || qualifyingBreakMs >= step.minBreakMs) return null;
  return {
    requiredMs: step.minBreakMs,
    breakMs: qualifyingBreakMs,
    text: `≥${hm(step.minBreakMs)} of breaks after ${hm(step.afterMs)} of work (${hm(qualifyingBreakMs)} taken)`,
  };
}

// ── Input ──────────────────────────────────────────────────────────────────
export interface ReportEntry {
  id: string;
  startTime: number;
  durationMs: number;
  elapsedMs: number;
  pausedMs: number;
  pauseSegments: PauseSegment[];
  projectId: string | null;
  taskId: string | null;
}

export interface ReportProject {
  id: string;
  name: string;
  color: string;
  client: string | null;
}

export interface ReportTask {
  id: string;
  projectId: string;
  title: string;
  estimateMs: number | null;
}

export interface ReportOptions {
  from: number;
  to: number;
  tzOffsetMinutes: number;
  projectId: string | null;
  breakRule: BreakRule | null;
}

// ── Output ─────────────────────────────────────────────────────────────────
export interface Figures {
  entries: number;
  grossMs: number;
  netMs: number;
  breakMs: number;
}

export interface DayRow extends Figures {
  date: string;
  longestBreakMs: number;
  breakHint: BreakHint | null;
}

export interface Report {
  from: number;
  to: number;
  tzOffset: number;
  projectId: string | null;
  totals: Figures & { longestBreakMs: number };
  projects: Array<
    Figures & { projectId: string | null; name: string; color: string | null; client: string | null; sharePct: number }
  >;
  days: DayRow[];
  tasks: Array<{
    projectId: string;
    taskId: string;
    title: string;
    entries: number;
    netMs: number;
    estimateMs: number | null;
  }>;
  breakRule: string | null;
}

const DAY_MS = 86_400_000;
/** The local day number of `ms` at `tz` minutes (as `Date#getTimezoneOffset()`). */
export const dayNumber = (ms: number, tz: number) => Math.floor((ms - tz * MIN) / DAY_MS);
export const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

const zero = (): Figures => ({ entries: 0, grossMs: 0, netMs: 0, breakMs: 0 });
function add(f: Figures, e: ReportEntry): void {
  f.entries++;
  f.grossMs += e.durationMs;
  f.netMs += e.elapsedMs;
  f.breakMs += e.pausedMs;
}
const pauseLengths = (e: ReportEntry) => e.pauseSegments.map((p) => (p.resumedAt ?? p.pausedAt) - p.pausedAt);

// ── Report ─────────────────────────────────────────────────────────────────
/** The report of the entries that start in [from, to) (and belong to the project, when one is named). */
export function buildReport(
  all: ReportEntry[],
  projects: ReportProject[],
  tasks: ReportTask[],
  opts: ReportOptions,
): Report {
  const tz = opts.tzOffsetMinutes;
  const entries = all.filter(
    (e) =>
      e.startTime >= opts.from && e.startTime < opts.to && (opts.projectId === null || e.projectId === opts.projectId),
  );
  const first = dayNumber(opts.from, tz);
  const last = dayNumber(opts.to - 1, tz);
  const days: Array<DayRow & { qualifying: number }> = [];
  for (let d = first; d <= last; d++)
    days.push({ date: dateOf(d), ...zero(), longestBreakMs: 0, breakHint: null, qualifying: 0 });

  const totals = { ...zero(), longestBreakMs: 0 };
  const byProject = new Map<string | null, Figures>();
  const byTask = new Map<string, Figures>();
  for (const e of entries) {
    add(totals, e);
    const pauses = pauseLengths(e);
    const longest = Math.max(0, ...pauses);
    totals.longestBreakMs = Math.max(totals.longestBreakMs, longest);
    const day = days[dayNumber(e.startTime, tz) - first];
    if (day) {
      add(day, e);
      day.longestBreakMs = Math.max(day.longestBreakMs, longest);
      day.qualifying += pauses.filter((p) => p >= (opts.breakRule?.minPauseMs ?? 0)).reduce((n, p) => n + p, 0);
    }
    const p = byProject.get(e.projectId) ?? zero();
    add(p, e);
    byProject.set(e.projectId, p);
    if (e.taskId) {
      const t = byTask.get(e.taskId) ?? zero();
      add(t, e);
      byTask.set(e.taskId, t);
    }
  }
  const projectById = new Map(projects.map((p) => [p.id, p]));
  const taskById = new Map(tasks.map((t) => [t.id, t]));
  return {
    from: opts.from,
    to: opts.to,
    tzOffset: tz,
    projectId: opts.projectId,
    totals,
    projects: [...byProject.entries()]
      .map(([id, f]) => {
        const p = id === null ? null : projectById.get(id);
        return {
          projectId: id,
          name: id === null ? 'No project' : (p?.name ?? 'Deleted project'),
          color: p?.color ?? null,
          client: p?.client ?? null,
          ...f,
          sharePct: totals.netMs > 0 ? Math.round((f.netMs / totals.netMs) * 1000) / 10 : 0,
        };
      })
      .sort((a, b) => b.netMs - a.netMs || a.name.localeCompare(b.name)),
    days: days.map(({ qualifying, ...d }) => ({ ...d, breakHint: breakHint(opts.breakRule, d.netMs, qualifying) })),
    tasks: [...byTask.entries()]
      .map(([id, f]) => {
        const t = taskById.get(id);
        return {
          projectId: t?.projectId ?? '',
          taskId: id,
          title: t?.title ?? 'Deleted task',
          entries: f.entries,
          netMs: f.netMs,
          estimateMs: t?.estimateMs ?? null,
        };
      })
      .sort((a, b) => b.netMs - a.netMs),
    breakRule: opts.breakRule?.name ?? null,
  };
}
