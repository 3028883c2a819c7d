/**
 * What a session change sends to the mirrors (one outbox row per event), and
 * the Ops notification a mirrored stop carries.
 */
import { type SessionEvent, elapsedMs, pausedMs } from '../../core/sessions/transition.ts';
import { humanDuration } from '../../core/sessions/stats.ts';
import { sql } from 'drizzle-orm';
import {
  type PauseSegment,
  projectsTable,
  sessionEditsTable,
  sessionsTable,
  tasksTable,
} from '../../drizzle/schema.ts';
import type { SessionEntry } from '../../core/sessions/entries.ts';
import type { Project, Task } from './projects-store.ts';
import type { TrailRow } from './trail.ts';
import { type Tx, checked, dateOrNull as d } from '../platform/mirrors/rows.ts';
import type { Notification } from '../ops/ops.ts';

/** The payload of a live-session outbox event ('session.started' | 'session.paused' | 'session.resumed' | 'session.stopped'). */
export interface SessionMirrorPayload {
  userId: string;
  version: number;
  at: number;
  actor: { id: string | null; role: 'user' | 'system' };
  session: {
    id: string;
    label: string | null;
    status: 'running' | 'paused' | 'completed';
    startTime: number;
    endTime: number | null;
    durationMs: number | null;
    elapsedMs: number;
    pausedMs: number;
    pauseSegments: PauseSegment[];
    autoStopped: boolean;
    projectId?: string | null;
    taskId?: string | null;
    tags?: string[];
    stopReason?: 'user' | 'limit' | 'idle' | null;
  };
}

/** An entry edit ('session.entry'): the entry after it and its trail row. */
export interface EntryMirrorPayload {
  userId: string;
  version: number;
  at: number;
  actor: TrailRow['actor'];
  op: TrailRow['op'];
  entry: SessionEntry;
  trail: TrailRow;
}
/** A project ('session.project') or task ('session.task') change: the row after it. */
export interface ProjectMirrorPayload {
  userId: string;
  version: number;
  at: number;
  actor: TrailRow['actor'];
  project: Project;
}
export interface TaskMirrorPayload {
  userId: string;
  version: number;
  at: number;
  actor: TrailRow['actor'];
  task: Task;
}

/** The outbox kind of an event: 'session.started', 'session.paused', 'session.resumed' or 'session.stopped'. */
export const outboxKind = (e: SessionEvent) => `session.${e.type}` as const;

export function sessionMirrorPayload(
  userId: string,
  e: SessionEvent,
  actor: SessionMirrorPayload['actor'],
): SessionMirrorPayload {
  const s = e.session as typeof e.session & { projectId?: string | null; taskId?: string | null; tags?: string[] };
  // A stopped session carries its final figures; an open one is measured at the event's instant.
  const figures =
    e.type === 'stopped'
      ? {
          status: 'completed' as const,
          endTime: e.session.endTime,
          durationMs: e.session.durationMs,
          elapsedMs: e.session.elapsedMs,
          pausedMs: e.session.pausedMs,
          autoStopped: e.session.autoStopped,
          stopReason: e.session.stopReason ?? null,
        }
      : {
          status: e.session.status,
          endTime: null,
          durationMs: null,
          elapsedMs: elapsedMs(e.session, e.at),
          pausedMs: pausedMs(e.session, e.at),
          autoStopped: false,
        };
  return {
    userId,
    version: e.version,
    at: e.at,
    actor,
    session: {
      id: s.id,
      label: s.label,
      startTime: s.startTime,
      pauseSegments: s.pauseSegments,
      ...figures,
      ...(s.projectId === undefined ? {} : { projectId: s.projectId }),
      ...(s.taskId === undefined ? {} : { taskId: s.taskId }),
      ...(s.tags === undefined ? {} : { tags: s.tags }),
    },
  };
}

/** The Ops feed entry for a mirrored stop; nothing for the other kinds. */
export function sessionNotifications(kind: string, p: SessionMirrorPayload): Notification[] {
  if (kind !== 'session.stopped') return [];
  const s = p.session;
  const name = s.label ? `Session “${s.label}”` : 'A session';
  const how =
    s.stopReason === 'idle'
      ? 'stopped itself at its last activity (no answer to “Still working?”)'
      : s.autoStopped
        ? `reached its time limit after ${humanDuration(s.durationMs ?? 0)}`
        : 'completed';
  return [
    {
      kind: 'session-completed',
      at: p.at,
      text: `${name} ${how}: ${humanDuration(s.elapsedMs)} active`,
      data: {
        userId: p.userId,
        sessionId: s.id,
        elapsedMs: s.elapsedMs,
        pausedMs: s.pausedMs,
        autoStopped: s.autoStopped,
      },
    },
  ];
}

/** Writes a 'session.*' outbox row: a live-session event, an entry edit, a project or a task. */
export async function writeSessionKind(tx: Tx, kind: string, payload: unknown) {
  if (kind === 'session.entry') return writeEntry(tx, payload as EntryMirrorPayload);
  if (kind === 'session.project') return writeProject(tx, payload as ProjectMirrorPayload);
  if (kind === 'session.task') return writeTask(tx, payload as TaskMirrorPayload);
  return writeSession(tx, payload as SessionMirrorPayload);
}

/** One row per session, keyed on its id; a late retry never rolls it back (version guard). */
export async function writeSession(tx: Tx, p: SessionMirrorPayload) {
  const s = p.session;
  const values = {
    id: s.id,
    userId: p.userId,
    label: s.label,
    status: s.status,
    startTime: new Date(s.startTime),
    endTime: d(s.endTime),
    durationMs: s.durationMs,
    elapsedMs: s.elapsedMs,
    pausedMs: s.pausedMs,
    pauseSegments: s.pauseSegments,
    autoStopped: s.autoStopped,
    version: p.version,
    createdAt: new Date(s.startTime),
    updatedAt: new Date(p.at),
    ...(s.projectId === undefined ? {} : { projectId: s.projectId }),
    ...(s.taskId === undefined ? {} : { taskId: s.taskId }),
    ...(s.tags === undefined ? {} : { tags: s.tags }),
    ...(s.stopReason == null ? {} : { stopReason: s.stopReason }),
  };
  const { id: _i, userId: _u, createdAt: _c, ...set } = values;
  await tx
    .insert(sessionsTable)
    .values(checked('sessions', values))
    .onConflictDoUpdate({
      target: sessionsTable.id,
      set,
      setWhere: sql`${sessionsTable.version} <= excluded.version`,
    });
}

/** An edited, added, deleted or restored entry: its row (version guard) and its trail row (once, by id). */
async function writeEntry(tx: Tx, p: EntryMirrorPayload) {
  const e = p.entry;
  const values = {
    id: e.id,
    userId: p.userId,
    label: e.label,
    status: 'completed' as const,
    startTime: new Date(e.startTime),
    endTime: new Date(e.endTime),
    durationMs: e.durationMs,
    elapsedMs: e.elapsedMs,
    pausedMs: e.pausedMs,
    pauseSegments: e.pauseSegments,
    autoStopped: e.autoStopped,
    version: e.version,
    createdAt: new Date(e.createdAt),
    updatedAt: new Date(p.at),
    projectId: e.projectId,
    taskId: e.taskId,
    tags: e.tags,
    source: e.source,
    editedAt: d(e.editedAt),
    deletedAt: d(e.deletedAt),
    stopReason: e.stopReason,
  };
  const { id: _i, userId: _u, createdAt: _c, ...set } = values;
  await tx
    .insert(sessionsTable)
    .values(checked('sessions', values))
    .onConflictDoUpdate({
      target: sessionsTable.id,
      set,
      setWhere: sql`${sessionsTable.version} <= excluded.version`,
    });
  const t = p.trail;
  await tx
    .insert(sessionEditsTable)
    .values({
      id: t.id,
      userId: p.userId,
      sessionId: t.entryId,
      version: t.version,
      op: t.op,
      actorId: t.actor.id,
      actorRole: t.actor.role,
      at: new Date(t.at),
      before: t.before as unknown as Record<string, unknown> | null,
      after: t.after as unknown as Record<string, unknown> | null,
    })
    .onConflictDoNothing();
}

async function writeProject(tx: Tx, p: ProjectMirrorPayload) {
  const r = p.project;
  const values = {
    id: r.id,
    userId: p.userId,
    name: r.name,
    color: r.color,
    client: r.client,
    version: r.version,
    createdAt: new Date(r.createdAt),
    updatedAt: new Date(r.updatedAt),
    deletedAt: d(r.deletedAt),
  };
  const { id: _i, userId: _u, createdAt: _c, ...set } = values;
  await tx
    .insert(projectsTable)
    .values(values)
    .onConflictDoUpdate({ target: projectsTable.id, set, setWhere: sql`${projectsTable.version} <= excluded.version` });
}

async function writeTask(tx: Tx, p: TaskMirrorPayload) {
  const r = p.task;
  const values = {
    id: r.id,
    userId: p.userId,
    projectId: r.projectId,
    title: r.title,
    estimateMs: r.estimateMs,
    done: r.done,
    version: r.version,
    createdAt: new Date(r.createdAt),
    updatedAt: new Date(r.updatedAt),
    deletedAt: d(r.deletedAt),
  };
  const { id: _i, userId: _u, createdAt: _c, ...set } = values;
  await tx
    .insert(tasksTable)
    .values(values)
    .onConflictDoUpdate({ target: tasksTable.id, set, setWhere: sql`${tasksTable.version} <= excluded.version` });
}
