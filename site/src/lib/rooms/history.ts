/**
 * A room's mirrored history: past timer runs and the action journal, read back
 * from Postgres (newest first). The mirror is asynchronous, so rows land a
 * moment after the commands that made them.
 */
import { formatDuration } from '../../../../core/time.ts';
import { api } from '../net/api.ts';
import { arrayOf, isBool, isNum, isNumOrNull, isRec, isStr, isStrOrNull } from '../net/guards.ts';

export interface TimerRun {
  id: string;
  timerId: string;
  label: string;
  mode: string;
  plannedMs: number;
  /** The cue's planned start (null: the show had no plan, or the run predates schedules). */
  plannedStart?: number | null;
  /** How far the run ended after its planned end (> 0 behind), or null. */
  overUnderMs?: number | null;
  startedAt: number;
  finishedAt: number | null;
  endedAt: number | null;
  status: string;
  endReason: string | null;
  elapsedMs: number;
  pausedMs: number;
  overtimeMs: number;
  startedBy: string | null;
  startedByRole: string;
  endedByRole: string | null;
}

export interface RoomAction {
  id: string;
  version: number | null;
  command: string;
  timerId: string | null;
  payload: unknown;
  actorId: string | null;
  actorRole: string;
  at: number;
}

export interface RoomHistory {
  runs: TimerRun[];
  actions: RoomAction[];
  cached: boolean;
  /** The database could not be reached: what is shown may be incomplete. */
  partial: boolean;
}

export const isTimerRun = (v: unknown): v is TimerRun =>
  isRec(v) &&
  isStr(v.id) &&
  isStr(v.timerId) &&
  isStr(v.label) &&
  isStr(v.mode) &&
  isNum(v.plannedMs) &&
  isNumOrNull(v.plannedStart ?? null) &&
  isNumOrNull(v.overUnderMs ?? null) &&
  isNum(v.startedAt) &&
  isNumOrNull(v.finishedAt) &&
  isNumOrNull(v.endedAt) &&
  isStr(v.status) &&
  isStrOrNull(v.endReason ?? null) &&
  isNum(v.elapsedMs) &&
  isNum(v.pausedMs) &&
  isNum(v.overtimeMs) &&
  isStrOrNull(v.startedBy ?? null) &&
  isStr(v.startedByRole) &&
  isStrOrNull(v.endedByRole ?? null);

export const isRoomAction = (v: unknown): v is RoomAction =>
  isRec(v) &&
  isStr(v.id) &&
  isNumOrNull(v.version ?? null) &&
  isStr(v.command) &&
  isStrOrNull(v.timerId ?? null) &&
  isStrOrNull(v.actorId ?? null) &&
  isStr(v.actorRole) &&
  isNum(v.at);

type Raw = { runs: TimerRun[]; actions: RoomAction[]; cached?: boolean; partial?: boolean };
const isRaw = (v: unknown): v is Raw =>
  isRec(v) &&
  arrayOf(isTimerRun)(v.runs) &&
  arrayOf(isRoomAction)(v.actions) &&
  (v.cached === undefined || isBool(v.cached)) &&
  (v.partial === undefined || isBool(v.partial));

const base = (roomId: string) => `/api/rooms/${encodeURIComponent(roomId)}/history`;

/** Reads the newest `limit` runs and actions. Owner's cookie, or a controller token. */
export async function fetchHistory(roomId: string, token: string | null, limit = 50): Promise<RoomHistory> {
  const r = await api(`${base(roomId)}?limit=${limit}`, isRaw, { token });
  return {
    runs: r.runs.map((x) => ({
      ...x,
      endReason: x.endReason ?? null,
      startedBy: x.startedBy ?? null,
      endedByRole: x.endedByRole ?? null,
    })),
    actions: r.actions.map((a) => ({
      ...a,
      version: a.version ?? null,
      timerId: a.timerId ?? null,
      actorId: a.actorId ?? null,
    })),
    cached: r.cached ?? false,
    partial: r.partial ?? false,
  };
}

/** Where the CSV exports download from (same-origin: the owner's cookie goes along). */
export function historyCsvUrl(roomId: string, kind: 'runs' | 'actions', token: string | null): string {
  const url = `${base(roomId)}/${kind}.csv`;
  return token ? `${url}?token=${encodeURIComponent(token)}` : url;
}

/** A span to the nearest second, e.g. 4:59 (history reads elapsed time, not a countdown's ceiling). */
export const spanText = (ms: number): string => formatDuration(Math.round(ms / 1000) * 1000);

/** Overtime worth showing: at least half a second, so it never reads "+0:00". */
export const hasOvertime = (ms: number): boolean => ms >= 500;

/** The run's actual length: time spent running, overtime included. */
export const actualMs = (r: TimerRun): number => r.elapsedMs;

/** Words for a run's status and why it ended. */
export function runStatusText(r: TimerRun): string {
  if (r.status === 'ended') return r.endReason ? `ended (${r.endReason})` : 'ended';
  return r.status;
}

/** A short human summary of a command's payload (a nudge, a message, a new label). */
export function actionDetail(a: RoomAction): string {
  const p = isRec(a.payload) ? a.payload : {};
  if (isNum(p.deltaMs)) return `${p.deltaMs < 0 ? '−' : '+'}${spanText(Math.abs(p.deltaMs))}`;
  if (isStr(p.text)) return `“${p.text}”`;
  if (isStr(p.label)) return p.label;
  if (isRec(p.timer) && isStr(p.timer.label)) return p.timer.label;
  if (isRec(p.patch) && isStr(p.patch.label)) return p.patch.label;
  if (isStr(p.name)) return p.name;
  return '';
}

/** "create-timer" → "create timer". */
export const commandText = (command: string): string => command.replace(/[-_.]/g, ' ');
