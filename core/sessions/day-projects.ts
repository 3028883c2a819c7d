/**
 * The split of each day's net time by project, for the statistics' stacked
 * day chart. Pure: sessions come in with their start, net time and project;
 * a day is the calendar day of a session's start at the caller's UTC offset
 * (as in stats.ts). Each day's parts follow one order for the whole period
 * (most net time first, "no project" last among equals) so that the stacks
 * of neighbouring days line up, and a day's parts add up to its net time.
 */

export interface DayProjectSession {
  startTime: number;
  /** Net (running) time. */
  elapsedMs: number;
  projectId?: string | null;
}

export interface DayProjectPart {
  /** null: the time of entries without a project. */
  projectId: string | null;
  sessions: number;
  netMs: number;
}

interface SplitOptions {
  /** The local day number (days since the epoch) of the period's first day. */
  firstDay: number;
  days: number;
  /** Minutes to subtract from UTC to get local time (`Date#getTimezoneOffset()`). */
  tzOffsetMinutes?: number;
}

const DAY_MS = 86_400_000;

/** The local day number of `ms` at `tz` minutes behind UTC. */
export const localDayNumber = (ms: number, tz = 0): number => Math.floor((ms - tz * 60_000) / DAY_MS);

/** One list of parts per day of the period, oldest first; an empty day has an empty list. */
export function splitDaysByProject(sessions: readonly DayProjectSession[], opts: SplitOptions): DayProjectPart[][] {
  const tz = opts.tzOffsetMinutes ?? 0;
  const days: Map<string | null, DayProjectPart>[] = Array.from({ length: opts.days }, () => new Map());
  const period = new Map<string | null, number>();
  for (const s of sessions) {
    const slot = days[localDayNumber(s.startTime, tz) - opts.firstDay];
    if (!slot) continue;
    const id = s.projectId ?? null;
    const part = slot.get(id) ?? { projectId: id, sessions: 0, netMs: 0 };
    part.sessions++;
    part.netMs += s.elapsedMs;
    slot.set(id, part);
    period.set(id, (period.get(id) ?? 0) + s.elapsedMs);
  }
  const rank = projectOrder(period);
  return days.map((slot) =>
    [...slot.values()].sort((a, b) => (rank.get(a.projectId) ?? 0) - (rank.get(b.projectId) ?? 0)),
  );
}

/** Projects by net time over the period, most first; ties: named projects by id, then "no project". */
function projectOrder(period: Map<string | null, number>): Map<string | null, number> {
  const ids = [...period.entries()]
    .sort(([a, am], [b, bm]) => bm - am || (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([id]) => id);
  return new Map(ids.map((id, i) => [id, i]));
}
