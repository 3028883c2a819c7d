/**
 * The user's projects (name, colour, optional client) and their tasks (title,
 * optional estimate, open or done, with the time spent so far). Plain JSON
 * calls; every answer is checked before the page uses it.
 */
import { api, anyBody } from '../net/api.ts';
import { arrayOf, isBool, isNum, isNumOrNull, isRec, isStr, isStrOrNull } from '../net/guards.ts';

export interface Project {
  id: string;
  name: string;
  color: string;
  client: string | null;
}

export interface Task {
  id: string;
  projectId: string;
  title: string;
  estimateMs: number | null;
  done: boolean;
  spentMs: number;
  entries: number;
}

/** The server's caps (core/sessions/entries.ts ENTRY_LIMITS), repeated so the page need not import the core rules. */
export const PROJECT_LIMITS = { name: 120, client: 120, title: 200, tags: 20, tagLength: 40, projects: 200 } as const;

/** The colours offered for a new project (any #rrggbb is accepted). */
export const PROJECT_COLORS = ['#5b8cff', '#22c55e', '#f5a524', '#ef4444', '#a855f7', '#14b8a6', '#ec4899', '#94a3b8'];

const isProject = (v: unknown): v is Project =>
  isRec(v) && isStr(v.id) && isStr(v.name) && isStr(v.color ?? '') && isStrOrNull(v.client ?? null);
const isTask = (v: unknown): v is Task =>
  isRec(v) &&
  isStr(v.id) &&
  isStr(v.projectId) &&
  isStr(v.title) &&
  isNumOrNull(v.estimateMs ?? null) &&
  isBool(v.done);

const toProject = (p: Project): Project => ({
  id: p.id,
  name: p.name,
  color: p.color || PROJECT_COLORS[0] || '#5b8cff',
  client: p.client ?? null,
});
const toTask = (t: Task): Task => ({
  id: t.id,
  projectId: t.projectId,
  title: t.title,
  estimateMs: t.estimateMs ?? null,
  done: t.done,
  spentMs: isNum(t.spentMs) ? t.spentMs : 0,
  entries: isNum(t.entries) ? t.entries : 0,
});

const isProjectList = (v: unknown): v is { projects: Project[] } => isRec(v) && arrayOf(isProject)(v.projects);
const isTaskList = (v: unknown): v is { tasks: Task[] } => isRec(v) && arrayOf(isTask)(v.tasks);
const isProjectBody = (v: unknown): v is { project: Project } => isRec(v) && isProject(v.project);
const isTaskBody = (v: unknown): v is { task: Task } => isRec(v) && isTask(v.task);

export async function fetchProjects(): Promise<Project[]> {
  return (await api('/api/projects', isProjectList)).projects.map(toProject);
}

export async function createProject(p: { name: string; color: string; client: string | null }): Promise<Project> {
  const body = { name: p.name, color: p.color, ...(p.client ? { client: p.client } : {}) };
  return toProject((await api('/api/projects', isProjectBody, { method: 'POST', body })).project);
}

export async function updateProject(id: string, p: Partial<Omit<Project, 'id'>>): Promise<Project> {
  const path = `/api/projects/${encodeURIComponent(id)}`;
  return toProject((await api(path, isProjectBody, { method: 'PUT', body: p })).project);
}

export async function deleteProject(id: string): Promise<void> {
  await api(`/api/projects/${encodeURIComponent(id)}`, anyBody, { method: 'DELETE' });
}

export async function fetchTasks(projectId: string): Promise<Task[]> {
  return (await api(`/api/projects/${encodeURIComponent(projectId)}/tasks`, isTaskList)).tasks.map(toTask);
}

/** Every task of every project, projects fetched in parallel. */
export async function fetchAllTasks(projects: readonly Project[]): Promise<Task[]> {
  const lists = await Promise.all(projects.map((p) => fetchTasks(p.id)));
  return lists.flat();
}

export async function createTask(projectId: string, t: { title: string; estimateMs: number | null }): Promise<Task> {
  const body = { title: t.title, ...(t.estimateMs !== null ? { estimateMs: t.estimateMs } : {}) };
  const path = `/api/projects/${encodeURIComponent(projectId)}/tasks`;
  return toTask((await api(path, isTaskBody, { method: 'POST', body })).task);
}

export async function updateTask(
  id: string,
  t: Partial<{ title: string; estimateMs: number | null; done: boolean }>,
): Promise<Task> {
  return toTask((await api(`/api/tasks/${encodeURIComponent(id)}`, isTaskBody, { method: 'PUT', body: t })).task);
}

export async function deleteTask(id: string): Promise<void> {
  await api(`/api/tasks/${encodeURIComponent(id)}`, anyBody, { method: 'DELETE' });
}

/** "1 h 20 min of 2 h" with how far along (0..1+, null without an estimate). */
export function taskProgress(t: Pick<Task, 'spentMs' | 'estimateMs'>): number | null {
  return t.estimateMs && t.estimateMs > 0 ? t.spentMs / t.estimateMs : null;
}

/** Tags typed as "a, b,c": trimmed, empty ones dropped, deduplicated case-insensitively (as the server does). */
export function parseTags(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(',')) {
    const t = raw.trim().replace(/\s+/g, ' ');
    if (!t || seen.has(t.toLowerCase())) continue;
    seen.add(t.toLowerCase());
    out.push(t);
  }
  return out;
}

/** A check of typed tags against the caps, or null when they fit. */
export function tagsProblem(tags: readonly string[]): string | null {
  if (tags.length > PROJECT_LIMITS.tags) return `At most ${PROJECT_LIMITS.tags} tags`;
  if (tags.some((t) => t.length > PROJECT_LIMITS.tagLength))
    return `A tag has at most ${PROJECT_LIMITS.tagLength} characters`;
  return null;
}
