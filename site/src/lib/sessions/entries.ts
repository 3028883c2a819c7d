/**
 * History entries (stopped sessions and manual entries): list with filters,
 * create, edit against a base version (409 stale_version carries the current
 * entry), delete with a one-minute undo, and the audit trail.
 */
import { ApiError, api } from '../net/api.ts';
import { arrayOf, isNum, isNumOrNull, isRec, isStr, isStrOrNull, oneOf } from '../net/guards.ts';

export interface Pause {
  pausedAt: number;
  resumedAt: number;
}

export interface Entry {
  id: string;
  startTime: number;
  endTime: number;
  duration: number;
  elapsedTime: number;
  pausedTime: number;
  label: string | null;
  pauseSegments: Pause[];
  autoStopped: boolean;
  projectId: string | null;
  taskId: string | null;
  tags: string[];
  version: number;
  source: 'live' | 'manual';
  editedAt: number | null;
  /** Ids of other entries sharing time with this one (allowed, flagged). */
  overlaps: string[];
}

export interface EntryFilter {
  projectId?: string | null;
  tag?: string | null;
  /** Inclusive local dates, YYYY-MM-DD. */
  from?: string | null;
  to?: string | null;
}

const isSegment = (v: unknown): boolean => isRec(v) && isNum(v.pausedAt) && isNumOrNull(v.resumedAt ?? null);
/** The fields every entry answer (history page, entry, report) carries. */
export const isRawEntry = (v: unknown): v is Record<string, unknown> =>
  isRec(v) &&
  isStr(v.id) &&
  isNum(v.startTime) &&
  isNum(v.endTime) &&
  isNum(v.duration) &&
  isNum(v.elapsedTime) &&
  isNum(v.pausedTime) &&
  isStrOrNull(v.label ?? null);

/** An entry from an answer; the fields added with projects and edits default when a server lacks them. */
export function toEntry(v: Record<string, unknown>): Entry {
  const segs = Array.isArray(v.pauseSegments) ? v.pauseSegments.filter(isSegment) : [];
  return {
    id: v.id as string,
    startTime: v.startTime as number,
    endTime: v.endTime as number,
    duration: v.duration as number,
    elapsedTime: v.elapsedTime as number,
    pausedTime: v.pausedTime as number,
    label: (v.label as string | null | undefined) ?? null,
    pauseSegments: segs.map((s) => {
      const r = s as { pausedAt: number; resumedAt: number | null };
      return { pausedAt: r.pausedAt, resumedAt: r.resumedAt ?? r.pausedAt };
    }),
    autoStopped: v.autoStopped === true,
    projectId: isStr(v.projectId) ? v.projectId : null,
    taskId: isStr(v.taskId) ? v.taskId : null,
    tags: arrayOf(isStr)(v.tags) ? v.tags : [],
    version: isNum(v.version) ? v.version : 0,
    source: v.source === 'manual' ? 'manual' : 'live',
    editedAt: isNum(v.editedAt) ? v.editedAt : null,
    overlaps: arrayOf(isStr)(v.overlaps) ? v.overlaps : [],
  };
}

const isPage = (v: unknown): v is { sessions: Record<string, unknown>[]; nextCursor: string | null } =>
  isRec(v) && Array.isArray(v.sessions) && v.sessions.every(isRawEntry) && isStrOrNull(v.nextCursor ?? null);
const isEntryBody = (v: unknown): v is { entry: Record<string, unknown> } => isRec(v) && isRawEntry(v.entry);
const isDeleted = (v: unknown): v is { entry: Record<string, unknown>; undoUntil?: number } =>
  isEntryBody(v) && (!('undoUntil' in v) || isNum((v as { undoUntil?: unknown }).undoUntil));

const DAY = 86_400_000;
/** Local midnight of a YYYY-MM-DD date, as epoch ms (NaN when malformed). */
export function localDayStart(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return Number.NaN;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
}
/** YYYY-MM-DD of an instant in this browser's zone. */
export function localDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
/** The day after a local date (DST-safe: noon plus a day, then midnight). */
export const nextLocalDay = (date: string) => localDate(localDayStart(date) + DAY + 12 * 3_600_000);

/** Query parameters for a filter (dates as local-midnight instants; `to` inclusive of its day). */
export function filterQuery(f: EntryFilter): Record<string, string> {
  const q: Record<string, string> = {};
  if (f.projectId) q.projectId = f.projectId;
  if (f.tag) q.tag = f.tag;
  if (f.from && !Number.isNaN(localDayStart(f.from))) q.from = String(localDayStart(f.from));
  if (f.to && !Number.isNaN(localDayStart(f.to))) q.to = String(localDayStart(nextLocalDay(f.to)));
  return q;
}

const qs = (q: Record<string, string>) => {
  const s = new URLSearchParams(q).toString();
  return s ? `?${s}` : '';
};

export async function fetchEntries(
  filter: EntryFilter,
  cursor: string | null,
  limit = 20,
): Promise<{ entries: Entry[]; nextCursor: string | null; partial: boolean }> {
  const q = { ...filterQuery(filter), limit: String(limit), ...(cursor ? { cursor } : {}) };
  const r = await api(`/api/sessions${qs(q)}`, isPage);
  return {
    entries: r.sessions.map(toEntry),
    nextCursor: r.nextCursor ?? null,
    partial: (r as { partial?: unknown }).partial === true,
  };
}

/** The CSV of the same filter. */
export const entriesCsvUrl = (filter: EntryFilter) => `/api/sessions/export.csv${qs(filterQuery(filter))}`;

export interface EntryInput {
  startTime: number;
  endTime: number;
  label: string | null;
  projectId: string | null;
  taskId: string | null;
  tags: string[];
  pauses: Pause[];
}

export async function createEntry(input: EntryInput): Promise<Entry> {
  const body = {
    startTime: input.startTime,
    endTime: input.endTime,
    label: input.label,
    projectId: input.projectId,
    taskId: input.taskId,
    tags: input.tags,
    pauses: input.pauses,
  };
  return toEntry((await api('/api/sessions/entries', isEntryBody, { method: 'POST', body })).entry);
}

/** The outcome of an edit: saved, or refused because the entry changed meanwhile (with the entry as it is now). */
export type EditResult = { ok: true; entry: Entry } | { ok: false; current: Entry };

export async function updateEntry(id: string, baseVersion: number, input: EntryInput): Promise<EditResult> {
  try {
    const r = await api(`/api/sessions/${encodeURIComponent(id)}`, isEntryBody, {
      method: 'PUT',
      body: { baseVersion, ...input },
    });
    return { ok: true, entry: toEntry(r.entry) };
  } catch (e) {
    const current = e instanceof ApiError && e.code === 'stale_version' ? e.details?.current : null;
    if (isRawEntry(current)) return { ok: false, current: toEntry(current) };
    throw e;
  }
}

export async function deleteEntry(id: string): Promise<{ undoUntil: number }> {
  const r = await api(`/api/sessions/${encodeURIComponent(id)}`, isDeleted, { method: 'DELETE' });
  return { undoUntil: r.undoUntil ?? Date.now() + 60_000 };
}

export async function restoreEntry(id: string): Promise<Entry> {
  const r = await api(`/api/sessions/${encodeURIComponent(id)}/restore`, isEntryBody, { method: 'POST' });
  return toEntry(r.entry);
}

export interface TrailItem {
  id: string;
  version: number;
  op: 'create' | 'update' | 'delete' | 'restore';
  actor: { id: string; role: string } | null;
  at: number;
  before: Entry | null;
  after: Entry | null;
}

const isOp = oneOf<TrailItem['op']>('create', 'update', 'delete', 'restore');
const isTrailItem = (v: unknown): boolean => isRec(v) && isNum(v.at) && isOp(v.op);
const isTrail = (v: unknown): v is { trail: Record<string, unknown>[] } =>
  isRec(v) && Array.isArray(v.trail) && v.trail.every(isTrailItem);

/** A trail's before/after: the history shape, or the stored entry's (durationMs, elapsedMs, pausedMs). */
function trailEntry(v: unknown): Entry | null {
  if (isRawEntry(v)) return toEntry(v);
  if (!isRec(v) || !isStr(v.id) || !isNum(v.startTime) || !isNum(v.endTime)) return null;
  const num = (x: unknown) => (isNum(x) ? x : 0);
  return toEntry({
    ...v,
    duration: num(v.durationMs),
    elapsedTime: num(v.elapsedMs),
    pausedTime: num(v.pausedMs),
    label: isStr(v.label) ? v.label : null,
  });
}

export async function fetchTrail(id: string): Promise<TrailItem[]> {
  const r = await api(`/api/sessions/${encodeURIComponent(id)}/trail`, isTrail);
  return r.trail.map((t, i) => ({
    id: isStr(t.id) ? t.id : String(i),
    version: isNum(t.version) ? t.version : i + 1,
    op: t.op as TrailItem['op'],
    actor:
      isRec(t.actor) && isStr(t.actor.id) ? { id: t.actor.id, role: isStr(t.actor.role) ? t.actor.role : '' } : null,
    at: t.at as number,
    before: trailEntry(t.before),
    after: trailEntry(t.after),
  }));
}

/** The fields that differ between two versions of an entry, as readable lines. */
export function entryChanges(before: Entry | null, after: Entry | null, fmt: (ms: number) => string): string[] {
  if (!before || !after) return [];
  const out: string[] = [];
  if (before.startTime !== after.startTime) out.push(`start ${fmt(before.startTime)} → ${fmt(after.startTime)}`);
  if (before.endTime !== after.endTime) out.push(`end ${fmt(before.endTime)} → ${fmt(after.endTime)}`);
  if (before.label !== after.label) out.push(`label “${before.label ?? ''}” → “${after.label ?? ''}”`);
  if (before.projectId !== after.projectId) out.push('project changed');
  if (before.taskId !== after.taskId) out.push('task changed');
  if (before.tags.join(',') !== after.tags.join(','))
    out.push(`tags ${before.tags.join(', ') || '—'} → ${after.tags.join(', ') || '—'}`);
  if (JSON.stringify(before.pauseSegments) !== JSON.stringify(after.pauseSegments))
    out.push(`pauses ${before.pauseSegments.length} → ${after.pauseSegments.length}`);
  return out;
}
