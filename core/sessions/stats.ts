/**
 * Session statistics over the last N days, with plain-language insights that
 * compare them with the N days before. Pure: the sessions and the clock come
 * in; days are calendar days at the caller's UTC offset.
 */

// ── Input and output ───────────────────────────────────────────────────────
export interface StatsSession {
  startTime: number;
  /** Active (running) time. */
  elapsedMs: number;
  pausedMs: number;
  label: string | null;
  autoStopped?: boolean;
  /** The longest single pause (0 when unknown). */
  longestPauseMs?: number;
  /** Pauses that count under the break rule (all of them when unknown). */
  qualifyingBreakMs?: number;
  projectId?: string | null;
}

interface StatsOptions {
  now: number;
  /** How many calendar days, today included. */
  days: number;
  /** Minutes to subtract from UTC to get local time, as `Date#getTimezoneOffset()` returns (UTC−5 is 300). */
  tzOffsetMinutes?: number;
  breakRule?: BreakRule | null;
  /** Names and colours for the split by project. */
  projects?: Array<{ id: string; name: string; color: string }>;
}

/** Gross (wall), net (running) and break (paused) time: net + breaks = gross. */
interface TimeFigures {
  grossMs: number;
  netMs: number;
  breakMs: number;
  longestBreakMs: number;
}

interface SessionStats {
  days: number;
  /** First and last calendar day of the period (YYYY-MM-DD). */
  from: string;
  to: string;
  totals: { sessions: number; activeMs: number; pausedMs: number } & TimeFigures;
  perDay: Array<
    { date: string; sessions: number; activeMs: number } & TimeFigures & {
        breakHint: BreakHint | null;
        /** The day's net time by project, in one order for the whole period (day-projects.ts). */
        byProject: DayProjectPart[];
      }
  >;
  /** The period split by project, most net time first (`projectId` null: no project). */
  projects: Array<{
    projectId: string | null;
    name: string;
    color: string | null;
    sessions: number;
    grossMs: number;
    netMs: number;
    breakMs: number;
  }>;
  breakRule: string | null;
  /** Mean active time per session; 0 with no sessions. */
  averageMs: number;
  longestMs: number;
  /** Consecutive days with a session, ending today (or yesterday, while today is still empty). */
  streakDays: number;
  labels: Array<{ label: string | null; sessions: number; activeMs: number }>;
  insights: string[];
}

import { type DayProjectPart, splitDaysByProject } from './day-projects.ts';
import { type BreakHint, type BreakRule, breakHint } from './report.ts';

const DAY_MS = 86_400_000;
const MAX_LABELS = 10;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// ── Calendar ───────────────────────────────────────────────────────────────
/** The local day number (days since the epoch) of `ms`. */
const dayNumber = (ms: number, tz: number) => Math.floor((ms - tz * 60_000) / DAY_MS);
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const shortDate = (day: number) => {
  const d = new Date(day * DAY_MS);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
};

// ── Statistics ───────────────────────────────────────────────────────────
export function sessionStats(sessions: StatsSession[], opts: StatsOptions): SessionStats {
  const tz = opts.tzOffsetMinutes ?? 0;
  const today = dayNumber(opts.now, tz);
  const first = today - opts.days + 1;
  const current = sessions.filter((s) => inDays(s, first, today, tz));
  const previous = sessions.filter((s) => inDays(s, first - opts.days, first - 1, tz));

  const days = Array.from({ length: opts.days }, (_, i) => ({
    date: dateOf(first + i),
    sessions: 0,
    activeMs: 0,
    ...zeroFigures(),
    qualifying: 0,
  }));
  for (const s of current) {
    const slot = days[dayNumber(s.startTime, tz) - first];
    if (!slot) continue;
    slot.sessions++;
    slot.activeMs += s.elapsedMs;
    addFigures(slot, s);
    slot.qualifying += s.qualifyingBreakMs ?? s.pausedMs;
  }
  const split = splitDaysByProject(current, { firstDay: first, days: opts.days, tzOffsetMinutes: tz });
  const perDay = days.map(({ qualifying, ...d }, i) => ({
    ...d,
    breakHint: breakHint(opts.breakRule ?? null, d.netMs, qualifying),
    byProject: split[i] ?? [],
  }));
  const totals = { ...summarise(current), ...zeroFigures() };
  for (const s of current) addFigures(totals, s);
  const longest = current.reduce<StatsSession | null>((m, s) => (!m || s.elapsedMs > m.elapsedMs ? s : m), null);
  const stats: Omit<SessionStats, 'insights'> = {
    days: opts.days,
    from: dateOf(first),
    to: dateOf(today),
    totals,
    perDay,
    averageMs: average(totals),
    longestMs: longest?.elapsedMs ?? 0,
    streakDays: streak(sessions, today, tz),
    labels: labelTotals(current),
    projects: projectTotals(current, opts.projects ?? []),
    breakRule: opts.breakRule?.name ?? null,
  };
  return { ...stats, insights: insights(stats, summarise(previous), longest, current, tz) };
}

function inDays(s: StatsSession, from: number, to: number, tz: number): boolean {
  const d = dayNumber(s.startTime, tz);
  return d >= from && d <= to;
}

function summarise(list: StatsSession[]) {
  return {
    sessions: list.length,
    activeMs: list.reduce((n, s) => n + s.elapsedMs, 0),
    pausedMs: list.reduce((n, s) => n + s.pausedMs, 0),
  };
}

const average = (t: { sessions: number; activeMs: number }) =>
  t.sessions === 0 ? 0 : Math.round(t.activeMs / t.sessions);

function streak(sessions: StatsSession[], today: number, tz: number): number {
  const days = new Set(sessions.map((s) => dayNumber(s.startTime, tz)));
  let day = days.has(today) ? today : today - 1;
  let n = 0;
  while (days.has(day)) {
    n++;
    day--;
  }
  return n;
}

const zeroFigures = (): TimeFigures => ({ grossMs: 0, netMs: 0, breakMs: 0, longestBreakMs: 0 });
function addFigures(f: TimeFigures, s: StatsSession): void {
  f.grossMs += s.elapsedMs + s.pausedMs;
  f.netMs += s.elapsedMs;
  f.breakMs += s.pausedMs;
  f.longestBreakMs = Math.max(f.longestBreakMs, s.longestPauseMs ?? 0);
}

function projectTotals(
  list: StatsSession[],
  projects: NonNullable<StatsOptions['projects']>,
): SessionStats['projects'] {
  const names = new Map(projects.map((p) => [p.id, p]));
  const by = new Map<string | null, SessionStats['projects'][number]>();
  for (const s of list) {
    const id = s.projectId ?? null;
    const p = id === null ? null : names.get(id);
    const row = by.get(id) ?? {
      projectId: id,
      name: id === null ? 'No project' : (p?.name ?? 'Deleted project'),
      color: p?.color ?? null,
      sessions: 0,
      grossMs: 0,
      netMs: 0,
      breakMs: 0,
    };
    row.sessions++;
    row.grossMs += s.elapsedMs + s.pausedMs;
    row.netMs += s.elapsedMs;
    row.breakMs += s.pausedMs;
    by.set(id, row);
  }
  return [...by.values()].sort((a, b) => b.netMs - a.netMs);
}

function labelTotals(list: StatsSession[]): SessionStats['labels'] {
  const by = new Map<string | null, { label: string | null; sessions: number; activeMs: number }>();
  for (const s of list) {
    const row = by.get(s.label) ?? { label: s.label, sessions: 0, activeMs: 0 };
    row.sessions++;
    row.activeMs += s.elapsedMs;
    by.set(s.label, row);
  }
  return [...by.values()].sort((a, b) => b.activeMs - a.activeMs || b.sessions - a.sessions).slice(0, MAX_LABELS);
}

// ── Insights ───────────────────────────────────────────────────────────────
/** A human duration: "1 h 5 min", "25 min", "40 s", "<1 s". */
export function humanDuration(ms: number): string {
  const totalS = Math.round(Math.max(0, ms) / 1000);
  if (totalS === 0 && ms > 0) return '<1 s';
  if (totalS < 60) return `${totalS} s`;
  const totalMin = Math.round(totalS / 60);
  const h = Math.floor(totalMin / 60);
  const m = totalMin % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

function periodNames(days: number): { now: string; before: string; inNow: string } {
  if (days === 1) return { now: 'Today', before: 'yesterday', inNow: 'today' };
  if (days === 7) return { now: 'This week', before: 'last week', inNow: 'this week' };
  return { now: `Last ${days} days`, before: `the ${days} days before`, inNow: `in the last ${days} days` };
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
const percent = (part: number, whole: number) => Math.round((part / whole) * 100);

/** A change as words: "12% shorter than" / "12% longer than" / "about the same length as". */
function change(cur: number, prev: number, less: string, more: string, same: string): string {
  const p = percent(Math.abs(cur - prev), prev);
  if (p === 0) return `${same} as`;
  return `${p}% ${cur < prev ? less : more} than`;
}

function insights(
  s: Omit<SessionStats, 'insights'>,
  prev: { sessions: number; activeMs: number; pausedMs: number },
  longest: StatsSession | null,
  current: StatsSession[],
  tz: number,
): string[] {
  const names = periodNames(s.days);
  const out: string[] = [];
  const cur = s.totals;
  if (cur.sessions === 0) {
    out.push(
      prev.sessions > 0
        ? `No sessions ${names.inNow}; ${names.before} had ${plural(prev.sessions, 'session')}.`
        : `No sessions ${names.inNow}.`,
    );
    return out;
  }
  const avg = s.averageMs;
  if (prev.sessions > 0) {
    const shorter = change(avg, average(prev), 'shorter', 'longer', 'about the same length');
    out.push(
      `${names.now}: ${plural(cur.sessions, 'session')}, ${shorter.replace(/ (than|as)$/, ' on average $1')} ${names.before}.`,
    );
    out.push(
      `${humanDuration(cur.activeMs)} of active time, ${change(cur.activeMs, prev.activeMs, 'less', 'more', 'about the same')} ${names.before}.`,
    );
  } else {
    out.push(
      `${names.now}: ${plural(cur.sessions, 'session')}, ${humanDuration(avg)} on average; nothing ${names.before} to compare with.`,
    );
  }
  if (longest) {
    const what = longest.label ? ` (“${longest.label}”)` : '';
    out.push(
      `Longest session: ${humanDuration(longest.elapsedMs)}${what} on ${shortDate(dayNumber(longest.startTime, tz))}.`,
    );
  }
  if (s.streakDays >= 2) out.push(`${s.streakDays}-day streak: at least one session every day.`);
  const top = s.labels[0];
  if (top?.label && s.labels.length > 1 && cur.activeMs > 0)
    out.push(`“${top.label}” took ${percent(top.activeMs, cur.activeMs)}% of your active time.`);
  const wall = cur.activeMs + cur.pausedMs;
  if (cur.pausedMs > 0 && wall > 0) out.push(`Pauses made up ${percent(cur.pausedMs, wall)}% of session time.`);
  const auto = current.filter((x) => x.autoStopped).length;
  if (auto > 0)
    out.push(
      `${plural(auto, 'session')} reached the time limit and stopped by ${auto === 1 ? 'itself' : 'themselves'}.`,
    );
  return out;
}
