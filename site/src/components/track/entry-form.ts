/**
 * The entry editor's form model: datetime-local strings (this browser's zone)
 * to instants and back, and the checks the server makes, so most mistakes get
 * a message before anything is sent. Pure.
 *
 * The inputs show whole seconds. A field the user leaves alone keeps its exact
 * instant (the `*Ms` originals), so an entry with a pause shorter than a second,
 * or one that started and stopped within the same second, saves unchanged
 * instead of reading as "the end must be after the start".
 */
import type { Entry, EntryInput } from '../../lib/sessions/entries.ts';
import { parseTags, tagsProblem } from '../../lib/sessions/projects.ts';

export interface PauseRow {
  from: string;
  to: string;
  /** The exact instants this row was loaded with, kept while its text is unchanged. */
  fromMs?: number;
  toMs?: number;
}

export interface EntryForm {
  start: string;
  end: string;
  label: string;
  projectId: string | null;
  taskId: string | null;
  tagsText: string;
  pauses: PauseRow[];
  startMs?: number;
  endMs?: number;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** "2026-01-05T14:02:09" in this browser's zone. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
/** The exact original when the text still shows it, else the text's own instant. */
function instantOf(text: string, original: number | undefined): number {
  return original !== undefined && toLocalInput(original) === text ? original : fromLocalInput(text);
}

/** The instant of a datetime-local value (NaN when empty or malformed). */
export function fromLocalInput(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
  if (!m) return Number.NaN;
  return new Date(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6] ?? 0),
  ).getTime();
}

export function formOf(e: Entry | null, now: number): EntryForm {
  if (!e) {
    const end = Math.floor(now / 60_000) * 60_000;
    return {
      start: toLocalInput(end - 3_600_000),
      end: toLocalInput(end),
      label: '',
      projectId: null,
      taskId: null,
      tagsText: '',
      pauses: [],
    };
  }
  return {
    start: toLocalInput(e.startTime),
    end: toLocalInput(e.endTime),
    label: e.label ?? '',
    projectId: e.projectId,
    taskId: e.taskId,
    tagsText: e.tags.join(', '),
    pauses: e.pauseSegments.map((p) => ({
      from: toLocalInput(p.pausedAt),
      to: toLocalInput(p.resumedAt),
      fromMs: p.pausedAt,
      toMs: p.resumedAt,
    })),
    startMs: e.startTime,
    endMs: e.endTime,
  };
}

const SKEW_MS = 60_000;
const MAX_MS = 7 * 86_400_000;

/** The entry to send, or the first problem (in words) and the field it is about. */
export function checkForm(
  f: EntryForm,
  now: number,
): { ok: true; input: EntryInput } | { ok: false; field: string; message: string } {
  const startTime = instantOf(f.start, f.startMs);
  const endTime = instantOf(f.end, f.endMs);
  if (Number.isNaN(startTime)) return { ok: false, field: 'start', message: 'Enter when it started' };
  if (Number.isNaN(endTime)) return { ok: false, field: 'end', message: 'Enter when it ended' };
  if (endTime <= startTime) return { ok: false, field: 'end', message: 'The end must be after the start' };
  if (endTime > now + SKEW_MS) return { ok: false, field: 'end', message: 'An entry cannot end in the future' };
  if (endTime - startTime > MAX_MS) return { ok: false, field: 'end', message: 'An entry lasts at most 7 days' };
  if (f.label.length > 200) return { ok: false, field: 'label', message: 'The label has at most 200 characters' };
  const tags = parseTags(f.tagsText);
  const tagIssue = tagsProblem(tags);
  if (tagIssue) return { ok: false, field: 'tags', message: tagIssue };
  const pauses = [];
  for (const [i, p] of f.pauses.entries()) {
    const pausedAt = instantOf(p.from, p.fromMs);
    const resumedAt = instantOf(p.to, p.toMs);
    const n = i + 1;
    if (Number.isNaN(pausedAt) || Number.isNaN(resumedAt))
      return { ok: false, field: `pause-${i}`, message: `Pause ${n}: enter both times` };
    if (resumedAt <= pausedAt)
      return { ok: false, field: `pause-${i}`, message: `Pause ${n}: the end must be after the start` };
    if (pausedAt < startTime || resumedAt > endTime)
      return { ok: false, field: `pause-${i}`, message: `Pause ${n} must lie inside the entry` };
    pauses.push({ pausedAt, resumedAt });
  }
  const sorted = [...pauses].sort((a, b) => a.pausedAt - b.pausedAt);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (prev && cur && cur.pausedAt < prev.resumedAt)
      return { ok: false, field: 'pauses', message: 'Pauses must not overlap' };
  }
  return {
    ok: true,
    input: {
      startTime,
      endTime,
      label: f.label.trim() || null,
      projectId: f.projectId,
      taskId: f.taskId,
      tags,
      pauses: sorted,
    },
  };
}
