/**
 * Session entries: a stopped session or a manual entry as history keeps it,
 * and the pure rules for creating and editing one. No I/O and no clock: the
 * current entry, the user's projects and `now` come with the call.
 */
import type { CompletedSession, PauseSegment } from './transition.ts';

// ── Entry ──────────────────────────────────────────────────────────────────
/** A closed pause: both instants are set. */
export interface ClosedPause {
  pausedAt: number;
  resumedAt: number;
}

/** One entry of a user's history. `elapsedMs + pausedMs === durationMs` (net + breaks = gross). */
export interface SessionEntry {
  id: string;
  label: string | null;
  startTime: number;
  endTime: number;
  durationMs: number;
  elapsedMs: number;
  pausedMs: number;
  pauseSegments: PauseSegment[];
  autoStopped: boolean;
  /** Why a live session stopped; null for a manual entry. */
  stopReason: CompletedSession['stopReason'] | null;
  /** Rises by one with every edit (a stopped session starts at the session version it stopped with). */
  version: number;
  projectId: string | null;
  taskId: string | null;
  tags: string[];
  source: 'live' | 'manual';
  /** When it was created (its start for a live session). */
  createdAt: number;
  editedAt: number | null;
  deletedAt: number | null;
}

export const ENTRY_LIMITS = {
  /** Entries the user's object keeps; beyond it the oldest are dropped (Postgres keeps them, read-only). */
  entries: 20_000,
  tagsPerEntry: 20,
  tagLength: 40,
  distinctTags: 500,
  projects: 200,
  tasks: 1_000,
  label: 200,
  /** The longest entry. */
  maxEntryMs: 7 * 86_400_000,
  pauses: 1_000,
  /** How far ahead of the server clock an instant may be (clock skew). */
  skewMs: 60_000,
  /** How long a deleted entry can be restored. */
  undoMs: 60_000,
} as const;

/** A stopped session as an entry (sessions stored before projects and tags lack them). */
export function entryFromSession(s: CompletedSession): SessionEntry {
  return {
    id: s.id,
    label: s.label,
    startTime: s.startTime,
    endTime: s.endTime,
    durationMs: s.durationMs,
    elapsedMs: s.elapsedMs,
    pausedMs: s.pausedMs,
    pauseSegments: s.pauseSegments,
    autoStopped: s.autoStopped,
    stopReason: s.stopReason ?? (s.autoStopped ? 'limit' : 'user'),
    version: s.version,
    projectId: s.projectId ?? null,
    taskId: s.taskId ?? null,
    tags: s.tags ?? [],
    source: 'live',
    createdAt: s.startTime,
    editedAt: null,
    deletedAt: null,
  };
}

// ── Input ──────────────────────────────────────────────────────────────────
/** The fields a create or edit may set; absent = unchanged (on edit), null = cleared. */
export interface EntryFields {
  startTime?: number;
  endTime?: number;
  label?: string | null;
  projectId?: string | null;
  taskId?: string | null;
  tags?: string[];
  pauses?: ClosedPause[];
}

/** What the rules need to know about the user's projects and tasks. */
export interface EntryContext {
  now: number;
  projectExists: (id: string) => boolean;
  /** The project a task belongs to, or null when there is no such task. */
  taskProject: (id: string) => string | null;
}

export type EntryResult = { ok: true; entry: SessionEntry } | { ok: false; code: 'invalid_entry'; message: string };

const invalid = (message: string): EntryResult => ({ ok: false, code: 'invalid_entry', message });

/** Tags trimmed, empty ones dropped, deduplicated case-insensitively (first spelling wins). */
export function normaliseTags(tags: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const t = raw.trim().replace(/\s+/g, ' ');
    if (!t || seen.has(t.toLowerCase())) continue;
    seen.add(t.toLowerCase());
    out.push(t);
  }
  return out;
}

// ── Rules ──────────────────────────────────────────────────────────────────
/**
 * Applies `fields` to `base` (a new manual entry when null) and checks the
 * result: end after start, no future instant, pauses inside the entry and not
 * overlapping, a known project and task. The version is not changed here.
 */
export function applyEntryFields(base: SessionEntry | null, fields: EntryFields, ctx: EntryContext): EntryResult {
  const startTime = fields.startTime ?? base?.startTime;
  const endTime = fields.endTime ?? base?.endTime;
  if (startTime === undefined || endTime === undefined) return invalid('startTime and endTime are required');
  if (!(endTime > startTime)) return invalid('endTime must be after startTime');
  if (endTime > ctx.now + ENTRY_LIMITS.skewMs) return invalid('An entry cannot end in the future');
  if (endTime - startTime > ENTRY_LIMITS.maxEntryMs)
    return invalid(`An entry lasts at most ${ENTRY_LIMITS.maxEntryMs / 86_400_000} days`);

  const pauses = fields.pauses ?? closed(base?.pauseSegments ?? []);
  if (pauses.length > ENTRY_LIMITS.pauses) return invalid(`An entry holds at most ${ENTRY_LIMITS.pauses} pauses`);
  const sorted = [...pauses].sort((a, b) => a.pausedAt - b.pausedAt);
  let cursor = startTime;
  for (const [i, p] of sorted.entries()) {
    if (!(p.resumedAt > p.pausedAt)) return invalid(`pauses[${i}]: resumedAt must be after pausedAt`);
    if (p.pausedAt < startTime || p.resumedAt > endTime)
      return invalid(
        fields.pauses
          ? `pauses[${i}]: a pause must lie inside the entry`
          : 'The pauses fall outside the new times: send pauses too',
      );
    if (p.pausedAt < cursor) return invalid('Pauses must not overlap');
    cursor = p.resumedAt;
  }

  const label = fields.label === undefined ? (base?.label ?? null) : cleanLabel(fields.label);
  if (label !== null && label.length > ENTRY_LIMITS.label)
    return invalid(`label: at most ${ENTRY_LIMITS.label} characters`);
  const tags = fields.tags === undefined ? (base?.tags ?? []) : normaliseTags(fields.tags);
  if (tags.length > ENTRY_LIMITS.tagsPerEntry) return invalid(`At most ${ENTRY_LIMITS.tagsPerEntry} tags per entry`);
  const longTag = tags.find((t) => t.length > ENTRY_LIMITS.tagLength);
  if (longTag !== undefined) return invalid(`A tag has at most ${ENTRY_LIMITS.tagLength} characters`);

  let projectId = fields.projectId === undefined ? (base?.projectId ?? null) : fields.projectId;
  let taskId = fields.taskId === undefined ? (base?.taskId ?? null) : fields.taskId;
  // Clearing or changing the project drops a task of another project, unless a task is named too.
  if (fields.projectId !== undefined && fields.taskId === undefined && taskId !== null) {
    if (ctx.taskProject(taskId) !== projectId) taskId = null;
  }
  if (taskId !== null) {
    const owner = ctx.taskProject(taskId);
    if (owner === null) return invalid('taskId: no such task');
    if (projectId === null || fields.projectId === undefined) projectId = owner;
    if (owner !== projectId) return invalid('taskId: the task belongs to another project');
  }
  const changedProject = fields.projectId !== undefined || fields.taskId !== undefined;
  if (projectId !== null && (changedProject || base === null) && !ctx.projectExists(projectId))
    return invalid('projectId: no such project');

  const pausedMs = sorted.reduce((n, p) => n + (p.resumedAt - p.pausedAt), 0);
  const durationMs = endTime - startTime;
  const entry: SessionEntry = {
    id: base?.id ?? '',
    label,
    startTime,
    endTime,
    durationMs,
    elapsedMs: durationMs - pausedMs,
    pausedMs,
    pauseSegments: sorted.map((p) => ({ pausedAt: p.pausedAt, resumedAt: p.resumedAt })),
    autoStopped: base?.autoStopped ?? false,
    stopReason: base?.stopReason ?? null,
    version: base?.version ?? 1,
    projectId,
    taskId,
    tags,
    source: base?.source ?? 'manual',
    createdAt: base?.createdAt ?? ctx.now,
    editedAt: base ? ctx.now : null,
    deletedAt: base?.deletedAt ?? null,
  };
  return { ok: true, entry };
}

const cleanLabel = (l: string | null) => (l === null || l.trim() === '' ? null : l.trim());

function closed(segments: PauseSegment[]): ClosedPause[] {
  return segments.map((p) => ({ pausedAt: p.pausedAt, resumedAt: p.resumedAt ?? p.pausedAt }));
}

/** True when the two entries share some time (touching ends do not count). */
export const overlapping = (a: { startTime: number; endTime: number }, b: { startTime: number; endTime: number }) =>
  a.startTime < b.endTime && b.startTime < a.endTime;

/** The longest single pause of an entry. */
export const longestPause = (e: { pauseSegments: PauseSegment[] }) =>
  e.pauseSegments.reduce((m, p) => Math.max(m, (p.resumedAt ?? p.pausedAt) - p.pausedAt), 0);
