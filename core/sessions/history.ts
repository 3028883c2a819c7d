/**
 * Session history as the API lists it: one item per stopped session, newest
 * first, paged by an opaque cursor. A user's sessions have strictly
 * increasing start times, so the start time alone positions a page; the id
 * rides along so a cursor names the exact session it follows.
 */
import type { CompletedSession, PauseSegment } from './transition.ts';

// ── Items ────────────────────────────────────────────────────────────────
export interface HistoryItem {
  id: string;
  userId: string;
  startTime: number;
  endTime: number;
  /** Wall-clock length, end minus start. */
  duration: number;
  /** Time spent running. */
  elapsedTime: number;
  pausedTime: number;
  label: string | null;
  createdAt: number;
  pauseSegments: PauseSegment[];
  autoStopped: boolean;
  /** Why it stopped: 'user', 'limit' (the hard cut-off), 'idle' (no answer to "Still working?"); null for a manual entry. */
  stopReason: CompletedSession['stopReason'] | null;
  projectId: string | null;
  taskId: string | null;
  tags: string[];
  /** The entry's version: rises with every edit; of two copies, the higher wins. */
  version: number;
  source: 'live' | 'manual';
  editedAt: number | null;
  /** Ids of other entries that share time with this one (allowed, only flagged). */
  overlaps: string[];
}

/** The fields every source (Postgres rows, the object's entries) can give; the entry fields may be missing. */
export type StoppedSession = Pick<
  CompletedSession,
  'id' | 'label' | 'startTime' | 'endTime' | 'durationMs' | 'elapsedMs' | 'pausedMs' | 'pauseSegments' | 'autoStopped'
> & {
  stopReason?: CompletedSession['stopReason'] | null;
  version?: number;
  projectId?: string | null;
  taskId?: string | null;
  tags?: string[];
  source?: 'live' | 'manual';
  createdAt?: number;
  editedAt?: number | null;
  overlaps?: string[];
};

/** A history item; a session's record is created when it starts, so `createdAt` is its start. */
export function historyItem(userId: string, s: StoppedSession): HistoryItem {
  return {
    id: s.id,
    userId,
    startTime: s.startTime,
    endTime: s.endTime,
    duration: s.durationMs,
    elapsedTime: s.elapsedMs,
    pausedTime: s.pausedMs,
    label: s.label,
    createdAt: s.createdAt ?? s.startTime,
    pauseSegments: s.pauseSegments,
    autoStopped: s.autoStopped,
    stopReason: s.stopReason ?? null,
    projectId: s.projectId ?? null,
    taskId: s.taskId ?? null,
    tags: s.tags ?? [],
    version: s.version ?? 0,
    source: s.source ?? 'live',
    editedAt: s.editedAt ?? null,
    overlaps: s.overlaps ?? [],
  };
}

/** True when `item` comes after the cursor in newest-first order (start time, then id, descending). */
export const afterCursor = (item: { startTime: number; id: string }, c: Cursor | null) =>
  !c || item.startTime < c.startTime || (item.startTime === c.startTime && item.id < c.id);

// ── Cursors ──────────────────────────────────────────────────────────────
export interface Cursor {
  startTime: number;
  id: string;
}

const toBase64Url = (s: string) => btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export function encodeCursor(c: Cursor): string {
  return toBase64Url(`${c.startTime}:${c.id}`);
}

/** The cursor `raw` names, or null when it is not one this API issued. */
export function decodeCursor(raw: string): Cursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(raw)) return null;
  let text: string;
  try {
    text = atob(raw.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return null;
  }
  const m = /^(\d{1,16}):([\x21-\x7e]{1,64})$/.exec(text);
  if (!m) return null;
  const startTime = Number(m[1]);
  return Number.isSafeInteger(startTime) ? { startTime, id: m[2] as string } : null;
}

// ── Pages ────────────────────────────────────────────────────────────────
/**
 * One page from several sources (Postgres and the object's entries, which
 * may hold sessions and edits not mirrored yet): deduplicated by id, the copy
 * with the higher version winning, newest first, strictly after the cursor,
 * at most `limit`, with the cursor of the next page.
 */
export function mergePage(
  sources: HistoryItem[][],
  limit: number,
  after: Cursor | null,
): { sessions: HistoryItem[]; nextCursor: string | null } {
  const byId = new Map<string, HistoryItem>();
  for (const list of sources)
    for (const item of list)
      if (afterCursor(item, after)) {
        const seen = byId.get(item.id);
        if (!seen || item.version > seen.version) byId.set(item.id, item);
      }
  const all = [...byId.values()].sort((a, b) => b.startTime - a.startTime || (a.id < b.id ? 1 : -1));
  const sessions = all.slice(0, limit);
  const last = sessions.at(-1);
  return {
    sessions,
    nextCursor: all.length > limit && last ? encodeCursor({ startTime: last.startTime, id: last.id }) : null,
  };
}
