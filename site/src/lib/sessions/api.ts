/**
 * The user's session history, statistics and CSV export, and (for admins)
 * everyone's sessions in progress. History pages come newest first with an
 * opaque cursor; `partial` means the database could not be reached and only
 * the most recent sessions the live object keeps are shown.
 */
import { apiClient, call } from '../net/client.ts';
import { arrayOf, isBool, isNum, isNumOrNull, isRec, isStr, isStrOrNull } from '../net/guards.ts';
import { type SessionView, toSessionView } from './messages.ts';
import { isRawEntry } from './entries.ts';

export interface PastSession {
  id: string;
  startTime: number;
  endTime: number;
  duration: number;
  elapsedTime: number;
  pausedTime: number;
  label: string | null;
  pauses: number;
  autoStopped: boolean;
}

interface HistoryPage {
  sessions: PastSession[];
  nextCursor: string | null;
  cached: boolean;
  partial: boolean;
}

const isRawPage = (
  v: unknown,
): v is { sessions: Record<string, unknown>[]; nextCursor: string | null; cached?: boolean; partial?: boolean } =>
  isRec(v) &&
  Array.isArray(v.sessions) &&
  v.sessions.every(isRawEntry) &&
  (v.nextCursor === null || isStr(v.nextCursor));

const HISTORY_PAGE = 20;

const sessions = apiClient('sessions');

export async function fetchHistoryPage(cursor: string | null, limit = HISTORY_PAGE): Promise<HistoryPage> {
  const query = { limit: String(limit), ...(cursor ? { cursor } : {}) };
  const r = await call(sessions.sessions, '$get', { query }, isRawPage);
  return {
    sessions: r.sessions.map((s) => ({
      id: s.id as string,
      startTime: s.startTime as number,
      endTime: s.endTime as number,
      duration: s.duration as number,
      elapsedTime: s.elapsedTime as number,
      pausedTime: s.pausedTime as number,
      label: (s.label as string | null | undefined) ?? null,
      pauses: Array.isArray(s.pauseSegments) ? s.pauseSegments.length : 0,
      autoStopped: s.autoStopped === true,
    })),
    nextCursor: r.nextCursor,
    cached: r.cached === true,
    partial: r.partial === true,
  };
}

// ── Statistics ─────────────────────────────────────────────────────────────
export interface DayTotal {
  date: string;
  sessions: number;
  activeMs: number;
  /** Gross (wall), net (running) and break (paused) time; absent from an older server. */
  grossMs?: number;
  breakMs?: number;
  longestBreakMs?: number;
  breakHint?: { text: string } | null;
  /** The day's net time by project, stacked bottom up in this order (empty from an older server). */
  byProject?: DayProjectPart[];
}

export interface DayProjectPart {
  projectId: string | null;
  sessions: number;
  netMs: number;
}

export interface ProjectTotal {
  projectId: string | null;
  name: string;
  color: string | null;
  sessions: number;
  grossMs: number;
  netMs: number;
  breakMs: number;
}

export interface LabelTotal {
  label: string | null;
  sessions: number;
  activeMs: number;
}

export interface SessionStatsView {
  totals: {
    sessions: number;
    activeMs: number;
    pausedMs: number | null;
    grossMs: number;
    netMs: number;
    breakMs: number;
    longestBreakMs: number;
  };
  perDay: DayTotal[];
  projects: ProjectTotal[];
  breakRule: string | null;
  averageMs: number;
  longestMs: number | null;
  streakDays: number;
  labels: LabelTotal[];
  insights: string[];
  partial: boolean;
}

const isProjectTotal = (v: unknown): v is ProjectTotal =>
  isRec(v) &&
  isStrOrNull(v.projectId ?? null) &&
  isStr(v.name) &&
  isStrOrNull(v.color ?? null) &&
  isNum(v.netMs) &&
  isNum(v.grossMs) &&
  isNum(v.breakMs);
const isDay = (v: unknown): v is DayTotal => isRec(v) && isStr(v.date) && isNum(v.sessions) && isNum(v.activeMs);
const isDayPart = (v: unknown): v is DayProjectPart =>
  isRec(v) && isStrOrNull(v.projectId ?? null) && isNum(v.sessions) && isNum(v.netMs);
/** A day's split by project, checked; anything malformed reads as no split. */
const dayParts = (d: DayTotal): DayProjectPart[] =>
  arrayOf(isDayPart)(d.byProject)
    ? d.byProject.map((p) => ({ projectId: p.projectId ?? null, sessions: p.sessions, netMs: p.netMs }))
    : [];
const isLabelTotal = (v: unknown): v is LabelTotal =>
  isRec(v) && isStrOrNull(v.label ?? null) && isNum(v.sessions) && isNum(v.activeMs);
type RawStats = {
  totals: { sessions: number; activeMs: number; pausedMs?: number };
  perDay: DayTotal[];
  averageMs: number;
  longestMs?: number;
  streakDays: number;
  labels?: LabelTotal[];
  insights?: string[];
  partial?: boolean;
};
const isRawStats = (v: unknown): v is RawStats =>
  isRec(v) &&
  isRec(v.totals) &&
  isNum(v.totals.sessions) &&
  isNum(v.totals.activeMs) &&
  arrayOf(isDay)(v.perDay) &&
  isNum(v.averageMs) &&
  isNum(v.streakDays) &&
  isNumOrNull(v.longestMs ?? null) &&
  (v.labels === undefined || arrayOf(isLabelTotal)(v.labels)) &&
  (v.insights === undefined || arrayOf(isStr)(v.insights)) &&
  (v.partial === undefined || isBool(v.partial));

/** Statistics over the last `days` calendar days, in this browser's time zone. */
export async function fetchStats(days: number): Promise<SessionStatsView> {
  const query = { days: String(days), tzOffset: String(new Date().getTimezoneOffset()) };
  const r = await call(sessions.sessions.stats, '$get', { query }, isRawStats);
  const t = r.totals as Record<string, unknown>;
  const paused = isNum(r.totals.pausedMs) ? r.totals.pausedMs : null;
  const raw = r as unknown as Record<string, unknown>;
  return {
    totals: {
      sessions: r.totals.sessions,
      activeMs: r.totals.activeMs,
      pausedMs: paused,
      netMs: isNum(t.netMs) ? t.netMs : r.totals.activeMs,
      breakMs: isNum(t.breakMs) ? t.breakMs : (paused ?? 0),
      grossMs: isNum(t.grossMs) ? t.grossMs : r.totals.activeMs + (paused ?? 0),
      longestBreakMs: isNum(t.longestBreakMs) ? t.longestBreakMs : 0,
    },
    perDay: r.perDay.map((d) => ({ ...d, byProject: dayParts(d) })),
    projects: arrayOf(isProjectTotal)(raw.projects) ? raw.projects : [],
    breakRule: isStr(raw.breakRule) ? raw.breakRule : null,
    averageMs: r.averageMs,
    longestMs: r.longestMs ?? null,
    streakDays: r.streakDays,
    labels: (r.labels ?? []).map((l) => ({ ...l, label: l.label ?? null })),
    insights: r.insights ?? [],
    partial: r.partial === true,
  };
}

export const SESSIONS_CSV_URL = '/api/sessions/export.csv';

// ── Admins ───────────────────────────────────────────────────────────────
const isActiveList = (v: unknown): v is { sessions: unknown[]; serverTime: number } =>
  isRec(v) && Array.isArray(v.sessions) && isNum(v.serverTime);

/** A session in progress with whose it is (null when the server could not say). */
export type ActiveSessionView = SessionView & { user: { name: string; email: string } | null };

const userOf = (v: unknown): ActiveSessionView['user'] => {
  const u = isRec(v) ? v.user : null;
  return isRec(u) && typeof u.name === 'string' && typeof u.email === 'string'
    ? { name: u.name, email: u.email }
    : null;
};

/** Everyone's sessions in progress (admins only: a member gets a 403). */
export async function fetchActiveSessions(): Promise<ActiveSessionView[]> {
  const r = await call(sessions.sessions.active, '$get', undefined, isActiveList);
  return r.sessions.flatMap((raw) => {
    const view = toSessionView(raw);
    return view ? [{ ...view, user: userOf(raw) }] : [];
  });
}

/** Distinct labels, most recent first. */
export function recentLabels(
  sessions: readonly { label: string | null }[],
  more: readonly { label: string | null }[] = [],
  max = 8,
): string[] {
  const out: string[] = [];
  for (const s of [...sessions, ...more]) {
    const l = s.label?.trim();
    if (l && !out.includes(l)) out.push(l);
    if (out.length >= max) break;
  }
  return out;
}
