/**
 * The entry operations UserSession exposes by RPC, as two typed maps (reads
 * and writes) so its own code stays a few delegating lines.
 */
import { type Answer, accept } from '../../core/errors.ts';
import type { BreakRuleInput, CreateEntryBody, UpdateEntryBody } from '../../core/sessions/entry-protocol.ts';
import type { BreakRule } from '../../core/sessions/report.ts';
import type { SessionEntry } from '../../core/sessions/entries.ts';
import type { EntryActor, EntryAnswer, EntryDesk, EntryView, TaskView } from './entry-desk.ts';
import type { Project, Task } from './projects-store.ts';
import type { TrailRow } from './trail.ts';

export interface Reads {
  trail: { in: { id: string }; out: Answer<{ entryId: string; trail: TrailRow[] }> };
  projects: { in: Record<string, never>; out: { projects: Project[] } };
  tasks: { in: { projectId: string }; out: Answer<{ projectId: string; tasks: TaskView[] }> };
  breakRule: { in: Record<string, never>; out: { breakRule: BreakRule | null } };
  /** Everything a report or the statistics need for entries starting in [from, to). */
  reportData: {
    in: { from: number; to: number };
    out: { entries: SessionEntry[]; projects: Project[]; tasks: Task[]; breakRule: BreakRule | null; horizon: number };
  };
}

export interface Writes {
  create: { in: { body: CreateEntryBody; key: string | null }; out: EntryAnswer<{ entry: EntryView }> };
  update: { in: { id: string; body: UpdateEntryBody }; out: EntryAnswer<{ entry: EntryView }> };
  remove: { in: { id: string; baseVersion: number | null }; out: EntryAnswer<{ entry: EntryView; undoUntil: number }> };
  restore: { in: { id: string }; out: EntryAnswer<{ entry: EntryView }> };
  createProject: { in: { name: string; color?: string; client?: string | null }; out: Answer<{ project: Project }> };
  updateProject: {
    in: { id: string; body: { name?: string; color?: string; client?: string | null } };
    out: Answer<{ project: Project }>;
  };
  deleteProject: { in: { id: string }; out: Answer<{ deleted: true }> };
  createTask: {
    in: { projectId: string; body: { title: string; estimateMs?: number | null } };
    out: Answer<{ task: TaskView }>;
  };
  updateTask: {
    in: { id: string; body: { title?: string; estimateMs?: number | null; done?: boolean } };
    out: Answer<{ task: TaskView }>;
  };
  deleteTask: { in: { id: string }; out: Answer<{ deleted: true }> };
  setBreakRule: { in: { breakRule: BreakRuleInput }; out: Answer<{ breakRule: BreakRule | null }> };
}

export type ReadAnswer<K extends keyof Reads> = Reads[K]['out'];
export type WriteAnswer<K extends keyof Writes> = Writes[K]['out'] | { ok: false; code: string; message: string };

const REPORT_ENTRY_CAP = 20_000;

export function read<K extends keyof Reads>(desk: EntryDesk, op: K, input: Reads[K]['in']): ReadAnswer<K> {
  const i = input as Record<string, never> & { id: string; projectId: string; from: number; to: number };
  const answers: { [P in keyof Reads]: () => Reads[P]['out'] } = {
    trail: () => desk.trailOf(i.id),
    projects: () => ({ projects: desk.projects.projects() }),
    tasks: () => desk.tasksOf(i.projectId),
    breakRule: () => ({ breakRule: desk.breakRule() }),
    reportData: () => ({
      entries: desk.entries.list({ from: i.from, to: i.to, limit: REPORT_ENTRY_CAP }),
      projects: desk.projects.allProjects(),
      tasks: desk.projects.allTasks(),
      breakRule: desk.breakRule(),
      horizon: desk.entries.horizon(),
    }),
  };
  return answers[op]() as ReadAnswer<K>;
}

/** What a read answers for a user this object is not. */
export function emptyRead<K extends keyof Reads>(op: K): ReadAnswer<K> {
  const empty: { [P in keyof Reads]: Reads[P]['out'] } = {
    trail: { ok: false, code: 'entry_not_found', message: 'No such entry' },
    projects: { projects: [] },
    tasks: { ok: false, code: 'project_not_found', message: 'No such project' },
    breakRule: { breakRule: null },
    reportData: { entries: [], projects: [], tasks: [], breakRule: null, horizon: 0 },
  };
  return empty[op] as ReadAnswer<K>;
}

export async function write<K extends keyof Writes>(
  desk: EntryDesk,
  op: K,
  input: Writes[K]['in'],
  actor: EntryActor,
  now: number,
): Promise<WriteAnswer<K>> {
  // One cast: `op` names which input this is.
  // biome-ignore lint/suspicious/noExplicitAny: the switch on `op` fixes the shape of `input`
  const w = input as any;
  switch (op) {
    case 'create':
      return desk.create(w.body, actor, now, w.key);
    case 'update':
      return desk.update(w.id, w.body, actor, now);
    case 'remove':
      return desk.remove(w.id, w.baseVersion, actor, now);
    case 'restore':
      return desk.restore(w.id, actor, now);
    case 'createProject':
      return desk.createProject(w as Writes['createProject']['in'], actor, now);
    case 'updateProject':
      return desk.updateProject(w.id, w.body, actor, now);
    case 'deleteProject':
      return desk.deleteProject(w.id, actor, now);
    case 'createTask':
      return desk.createTask(w.projectId, w.body, actor, now);
    case 'updateTask':
      return desk.updateTask(w.id, w.body, actor, now);
    case 'deleteTask':
      return desk.deleteTask(w.id, actor, now);
    case 'setBreakRule':
      return accept(await desk.setBreakRule(w.breakRule, now));
  }
  return { ok: false, code: 'bad_request', message: `Unknown operation ${String(op)}` };
}
