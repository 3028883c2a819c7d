/**
 * Entries, projects and tasks of one user, inside their UserSession object.
 * Every edit is a versioned command: the entry (or project, task) and its
 * trail row and outbox rows commit in one transaction, then every socket of
 * the user hears of it (SESSION_ENTRY, PROJECT_CHANGED, TASK_CHANGED).
 */
import { uuidv7 } from 'uuidv7';
import { type Answer, type Refusal, accept, refuse } from '../../core/errors.ts';
import { ENTRY_LIMITS, type EntryFields, type SessionEntry, applyEntryFields } from '../../core/sessions/entries.ts';
import type { BreakRuleInput, CreateEntryBody, UpdateEntryBody } from '../../core/sessions/entry-protocol.ts';
import { type BreakRule, DE_ARBZG } from '../../core/sessions/report.ts';
import { historyItem } from '../../core/sessions/history.ts';
import { type Project, ProjectsStore, type Task } from './projects-store.ts';
import type { EntryQuery, RecentSessions } from './recent.ts';
import { EntryTrail, type TrailOp, type TrailRow } from './trail.ts';
import { type IdempotencyLog, commandHash } from '../platform/idempotency.ts';

export type EntryActor = TrailRow['actor'];

/** What the desk needs from its object. */
export interface EntryHost {
  commit(write: () => void): Promise<void>;
  appendOutbox(kind: string, payload: unknown, now: number): void;
  broadcast(msg: { type: string } & Record<string, unknown>): void;
  /** The id of the session in progress, or null. */
  activeSessionId(): string | null;
  userId(): string;
  /** The object's idempotency log (a manual entry may carry an Idempotency-Key). */
  idempotency: IdempotencyLog;
}

/** An entry as answers carry it: with the other entries it overlaps. */
export type EntryView = SessionEntry & { overlaps: string[] };
export type TaskView = Task & { spentMs: number; entries: number };
/** A refusal that may carry the current entry (stale_version). */
export type EntryRefusal = Refusal & { current?: EntryView };
export type EntryAnswer<T> = { ok: true; value: T } | EntryRefusal;

const PALETTE = ['#2f6fdb', '#d9480f', '#2b8a3e', '#ae3ec9', '#e67700', '#0c8599', '#c2255c', '#5c7cfa'];
const BREAK_RULE = 'breakRule';

export class EntryDesk {
  readonly trail: EntryTrail;
  readonly projects: ProjectsStore;
  constructor(
    storage: DurableObjectStorage,
    readonly entries: RecentSessions,
    private readonly host: EntryHost,
  ) {
    this.trail = new EntryTrail(storage);
    this.projects = new ProjectsStore(storage);
  }

  // ── Reads ──────────────────────────────────────────────────────────────
  view(e: SessionEntry): EntryView {
    return { ...e, overlaps: e.deletedAt === null ? this.entries.overlaps(e) : [] };
  }

  page(q: EntryQuery): { entries: EntryView[]; horizon: number; revision: number } {
    return {
      entries: this.entries.list(q).map((e) => (q.overlaps === false ? { ...e, overlaps: [] } : this.view(e))),
      horizon: this.entries.horizon(),
      revision: this.entries.revision(),
    };
  }

  trailOf(id: string): Answer<{ entryId: string; trail: TrailRow[] }> {
    if (!this.entries.get(id)) return notFound();
    return accept({ entryId: id, trail: this.trail.list(id) });
  }

  breakRule(): BreakRule | null {
    return this.projects.setting<BreakRule>(BREAK_RULE);
  }

  tasksOf(projectId: string): Answer<{ projectId: string; tasks: TaskView[] }> {
    if (!this.projects.project(projectId)) return refuse('project_not_found', 'No such project');
    const totals = this.entries.taskTotals();
    const tasks = this.projects
      .tasks(projectId)
      .map((t) => ({ ...t, ...(totals.get(t.id) ?? { spentMs: 0, entries: 0 }) }));
    return accept({ projectId, tasks });
  }

  // ── Entry commands ─────────────────────────────────────────────────────
  async create(
    body: CreateEntryBody,
    actor: EntryActor,
    now: number,
    key: string | null = null,
  ): Promise<EntryAnswer<{ entry: EntryView }>> {
    // Hashed before the recall, so nothing awaits between the recall and the put.
    const hash = key ? await commandHash('entry.create', body) : null;
    if (key) {
      const earlier = this.host.idempotency.recall<EntryAnswer<{ entry: EntryView }>>(key, hash);
      if (earlier.kind === 'reused')
        return refuse('idempotency_key_reused', 'This Idempotency-Key was already used for a different entry');
      if (earlier.kind === 'replay') return earlier.answer;
    }
    if (this.entries.count(true) >= ENTRY_LIMITS.entries)
      return refuse('too_many_entries', `At most ${ENTRY_LIMITS.entries} entries are kept per user`);
    const result = applyEntryFields(null, fields(body), this.context(now));
    if (!result.ok) return refuse(result.code, result.message);
    const entry: SessionEntry = { ...result.entry, id: uuidv7(), version: 1, createdAt: now };
    const refusal = this.checkEntry(entry, body.tags);
    if (refusal) return refusal;
    return this.save('create', null, entry, actor, now, (answer) => {
      if (key) this.host.idempotency.put(key, answer, now, hash);
    });
  }

  async update(
    id: string,
    body: UpdateEntryBody,
    actor: EntryActor,
    now: number,
  ): Promise<EntryAnswer<{ entry: EntryView }>> {
    const current = this.editable(id, body.baseVersion);
    if ('ok' in current) return current;
    const result = applyEntryFields(current.entry, fields(body), this.context(now));
    if (!result.ok) return refuse(result.code, result.message);
    const entry: SessionEntry = { ...result.entry, version: current.entry.version + 1, editedAt: now };
    const refusal = this.checkEntry(entry, body.tags);
    if (refusal) return refusal;
    return this.save('update', current.entry, entry, actor, now);
  }

  async remove(
    id: string,
    baseVersion: number | null,
    actor: EntryActor,
    now: number,
  ): Promise<EntryAnswer<{ entry: EntryView; undoUntil: number }>> {
    const current = this.editable(id, baseVersion);
    if ('ok' in current) return current;
    const entry: SessionEntry = { ...current.entry, version: current.entry.version + 1, deletedAt: now };
    const saved = await this.save('delete', current.entry, entry, actor, now);
    return accept({ ...saved.value, undoUntil: now + ENTRY_LIMITS.undoMs });
  }

  async restore(id: string, actor: EntryActor, now: number): Promise<EntryAnswer<{ entry: EntryView }>> {
    const current = this.entries.get(id);
    if (!current) return notFound();
    if (current.deletedAt === null) return refuse('not_deleted', 'This entry is not deleted');
    if (now > current.deletedAt + ENTRY_LIMITS.undoMs)
      return refuse('undo_expired', `A deleted entry can be restored for ${ENTRY_LIMITS.undoMs / 1000} s only`);
    const entry: SessionEntry = { ...current, version: current.version + 1, deletedAt: null, editedAt: now };
    return this.save('restore', current, entry, actor, now);
  }

  /** The entry an edit may change, or the refusal. */
  private editable(id: string, baseVersion: number | null): { entry: SessionEntry } | EntryRefusal {
    if (id === this.host.activeSessionId())
      return refuse('session_running', 'This session is still in progress: stop it before editing it');
    const entry = this.entries.get(id);
    if (!entry || entry.deletedAt !== null) return notFound();
    if (baseVersion !== null && baseVersion !== entry.version)
      return {
        ...refuse('stale_version', `The entry changed since version ${baseVersion}: it is at version ${entry.version}`),
        current: this.view(entry),
      };
    return { entry };
  }

  private checkEntry(entry: SessionEntry, tags: string[] | undefined): Refusal | null {
    const horizon = this.entries.horizon();
    if (horizon > 0 && entry.startTime < horizon)
      return refuse('invalid_entry', `Entries before ${new Date(horizon).toISOString()} are archived and read-only`);
    if (tags && this.entries.distinctTags(entry.tags) > ENTRY_LIMITS.distinctTags)
      return refuse('too_many_tags', `At most ${ENTRY_LIMITS.distinctTags} different tags per user`);
    return null;
  }

  private context(now: number) {
    return {
      now,
      projectExists: (id: string) => this.projects.project(id) !== null,
      taskProject: (id: string) => this.projects.task(id)?.projectId ?? null,
    };
  }

  private async save(
    op: TrailOp,
    before: SessionEntry | null,
    after: SessionEntry,
    actor: EntryActor,
    now: number,
    also?: (answer: { ok: true; value: { entry: EntryView } }) => void,
  ): Promise<{ ok: true; value: { entry: EntryView } }> {
    const row: TrailRow = {
      id: uuidv7(),
      entryId: after.id,
      version: after.version,
      op,
      actor,
      at: now,
      before,
      after,
    };
    const userId = this.host.userId();
    await this.host.commit(() => {
      this.entries.put(after);
      this.trail.add(row);
      also?.(accept({ entry: { ...after, overlaps: this.entries.overlaps(after) } }));
      this.host.appendOutbox(
        'session.entry',
        { userId, version: after.version, at: now, actor, op, entry: after, trail: row },
        now,
      );
    });
    const entry = this.view(after);
    this.host.broadcast({
      type: 'SESSION_ENTRY',
      userId,
      op,
      entry: { ...historyItem(userId, entry), deletedAt: entry.deletedAt },
    });
    return accept({ entry });
  }

  // ── Projects and tasks ─────────────────────────────────────────────────
  async createProject(
    body: { name: string; color?: string; client?: string | null },
    actor: EntryActor,
    now: number,
  ): Promise<Answer<{ project: Project }>> {
    if (this.projects.count('projects') >= ENTRY_LIMITS.projects)
      return refuse('too_many_projects', `At most ${ENTRY_LIMITS.projects} projects per user`);
    const n = this.projects.allProjects().length;
    const project: Project = {
      id: uuidv7(),
      name: body.name,
      color: body.color ?? (PALETTE[n % PALETTE.length] as string),
      client: body.client?.trim() || null,
      version: 1,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    await this.saveProject('create', project, actor, now);
    return accept({ project });
  }

  async updateProject(
    id: string,
    body: { name?: string; color?: string; client?: string | null },
    actor: EntryActor,
    now: number,
  ): Promise<Answer<{ project: Project }>> {
    const current = this.projects.project(id);
    if (!current) return refuse('project_not_found', 'No such project');
    const project: Project = {
      ...current,
      ...(body.name === undefined ? {} : { name: body.name }),
      ...(body.color === undefined ? {} : { color: body.color }),
      ...(body.client === undefined ? {} : { client: body.client?.trim() || null }),
      version: current.version + 1,
      updatedAt: now,
    };
    await this.saveProject('update', project, actor, now);
    return accept({ project });
  }

  /** Deletes the project and its tasks; entries keep their project id (reports call it a deleted project). */
  async deleteProject(id: string, actor: EntryActor, now: number): Promise<Answer<{ deleted: true }>> {
    const current = this.projects.project(id);
    if (!current) return refuse('project_not_found', 'No such project');
    const project: Project = { ...current, version: current.version + 1, updatedAt: now, deletedAt: now };
    const tasks = this.projects
      .tasks(id)
      .map((t) => ({ ...t, version: t.version + 1, updatedAt: now, deletedAt: now }));
    await this.saveProject('delete', project, actor, now, tasks);
    return accept({ deleted: true });
  }

  async createTask(
    projectId: string,
    body: { title: string; estimateMs?: number | null },
    actor: EntryActor,
    now: number,
  ): Promise<Answer<{ task: TaskView }>> {
    if (!this.projects.project(projectId)) return refuse('project_not_found', 'No such project');
    if (this.projects.count('tasks') >= ENTRY_LIMITS.tasks)
      return refuse('too_many_tasks', `At most ${ENTRY_LIMITS.tasks} tasks per user`);
    const task: Task = {
      id: uuidv7(),
      projectId,
      title: body.title,
      estimateMs: body.estimateMs ?? null,
      done: false,
      version: 1,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    await this.saveTask('create', task, actor, now);
    return accept({ task: { ...task, spentMs: 0, entries: 0 } });
  }

  async updateTask(
    id: string,
    body: { title?: string; estimateMs?: number | null; done?: boolean },
    actor: EntryActor,
    now: number,
  ): Promise<Answer<{ task: TaskView }>> {
    const current = this.projects.task(id);
    if (!current) return refuse('task_not_found', 'No such task');
    const task: Task = {
      ...current,
      ...(body.title === undefined ? {} : { title: body.title }),
      ...(body.estimateMs === undefined ? {} : { estimateMs: body.estimateMs }),
      ...(body.done === undefined ? {} : { done: body.done }),
      version: current.version + 1,
      updatedAt: now,
    };
    await this.saveTask('update', task, actor, now);
    return accept({ task: { ...task, ...(this.entries.taskTotals().get(id) ?? { spentMs: 0, entries: 0 }) } });
  }

  async deleteTask(id: string, actor: EntryActor, now: number): Promise<Answer<{ deleted: true }>> {
    const current = this.projects.task(id);
    if (!current) return refuse('task_not_found', 'No such task');
    await this.saveTask(
      'delete',
      { ...current, version: current.version + 1, updatedAt: now, deletedAt: now },
      actor,
      now,
    );
    return accept({ deleted: true });
  }

  async setBreakRule(input: BreakRuleInput, now: number): Promise<{ breakRule: BreakRule | null }> {
    const rule: BreakRule | null =
      input === null
        ? null
        : input === 'de-arbzg'
          ? DE_ARBZG
          : { name: 'custom', steps: input.steps, minPauseMs: input.minPauseMs ?? 0 };
    await this.host.commit(() => this.projects.putSetting(BREAK_RULE, rule));
    this.host.broadcast({ type: 'ENTRY_SETTINGS', userId: this.host.userId(), breakRule: rule, at: now });
    return { breakRule: rule };
  }

  private async saveProject(op: string, project: Project, actor: EntryActor, now: number, tasks: Task[] = []) {
    const userId = this.host.userId();
    await this.host.commit(() => {
      this.projects.putProject(project);
      this.host.appendOutbox('session.project', { userId, version: project.version, at: now, actor, project }, now);
      for (const task of tasks) {
        this.projects.putTask(task);
        this.host.appendOutbox('session.task', { userId, version: task.version, at: now, actor, task }, now);
      }
    });
    this.host.broadcast({ type: 'PROJECT_CHANGED', userId, op, project });
  }

  private async saveTask(op: string, task: Task, actor: EntryActor, now: number) {
    const userId = this.host.userId();
    await this.host.commit(() => {
      this.projects.putTask(task);
      this.host.appendOutbox('session.task', { userId, version: task.version, at: now, actor, task }, now);
    });
    this.host.broadcast({ type: 'TASK_CHANGED', userId, op, task });
  }
}

const notFound = (): Refusal => refuse('entry_not_found', 'No such entry');

function fields(body: CreateEntryBody | UpdateEntryBody): EntryFields {
  const out: EntryFields = {};
  if (body.startTime !== undefined) out.startTime = body.startTime;
  if (body.endTime !== undefined) out.endTime = body.endTime;
  if (body.label !== undefined) out.label = body.label;
  if (body.projectId !== undefined) out.projectId = body.projectId;
  if (body.taskId !== undefined) out.taskId = body.taskId;
  if (body.tags !== undefined) out.tags = body.tags;
  if (body.pauses !== undefined) out.pauses = body.pauses;
  return out;
}
