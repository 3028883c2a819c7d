/**
 * The user's projects and tasks, and the entry settings (the break rule), in
 * the object's own SQLite. Deleting marks the row (so the mirror can mark
 * it too); lists leave deleted rows out.
 */
import { LazyTables } from '../platform/lazy-tables.ts';

export interface Project {
  id: string;
  name: string;
  color: string;
  client: string | null;
  version: number;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
}

export interface Task {
  id: string;
  projectId: string;
  title: string;
  estimateMs: number | null;
  done: boolean;
  version: number;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
}

export class ProjectsStore {
  private readonly table: LazyTables;
  constructor(private readonly storage: DurableObjectStorage) {
    this.table = new LazyTables(storage.sql, 'projects', [
      `CREATE TABLE IF NOT EXISTS projects (id TEXT PRIMARY KEY, deleted_at INTEGER, record TEXT NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS tasks (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, deleted_at INTEGER, record TEXT NOT NULL)`,
      `CREATE INDEX IF NOT EXISTS tasks_project ON tasks (project_id)`,
      `CREATE TABLE IF NOT EXISTS entry_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
    ]);
  }

  private rows<T>(query: string, ...args: Array<string | number>): T[] {
    if (!this.table.exists()) return [];
    return this.storage.sql
      .exec<{ record: string }>(query, ...args)
      .toArray()
      .map((r) => JSON.parse(r.record) as T);
  }

  /** Projects that are not deleted, by name. */
  projects(): Project[] {
    return this.rows<Project>(`SELECT record FROM projects WHERE deleted_at IS NULL`).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
  }

  /** A project, deleted ones included when `all`. */
  project(id: string, all = false): Project | null {
    const p = this.rows<Project>(`SELECT record FROM projects WHERE id = ?`, id)[0] ?? null;
    return p && (all || p.deletedAt === null) ? p : null;
  }

  /** Every project ever made (names for reports of old entries). */
  allProjects(): Project[] {
    return this.rows<Project>(`SELECT record FROM projects`);
  }

  putProject(p: Project): void {
    this.table.ensure();
    this.storage.sql.exec(
      `INSERT OR REPLACE INTO projects (id, deleted_at, record) VALUES (?, ?, ?)`,
      p.id,
      p.deletedAt,
      JSON.stringify(p),
    );
  }

  /** The project's tasks that are not deleted, open first, then by creation. */
  tasks(projectId: string): Task[] {
    return this.rows<Task>(`SELECT record FROM tasks WHERE project_id = ? AND deleted_at IS NULL`, projectId).sort(
      (a, b) => Number(a.done) - Number(b.done) || a.createdAt - b.createdAt,
    );
  }

  task(id: string, all = false): Task | null {
    const t = this.rows<Task>(`SELECT record FROM tasks WHERE id = ?`, id)[0] ?? null;
    return t && (all || t.deletedAt === null) ? t : null;
  }

  allTasks(): Task[] {
    return this.rows<Task>(`SELECT record FROM tasks`);
  }

  putTask(t: Task): void {
    this.table.ensure();
    this.storage.sql.exec(
      `INSERT OR REPLACE INTO tasks (id, project_id, deleted_at, record) VALUES (?, ?, ?, ?)`,
      t.id,
      t.projectId,
      t.deletedAt,
      JSON.stringify(t),
    );
  }

  count(kind: 'projects' | 'tasks'): number {
    if (!this.table.exists()) return 0;
    return this.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${kind} WHERE deleted_at IS NULL`).one().n;
  }

  setting<T>(key: string): T | null {
    if (!this.table.exists()) return null;
    const row = this.storage.sql
      .exec<{ value: string }>(`SELECT value FROM entry_settings WHERE key = ?`, key)
      .toArray()[0];
    return row ? (JSON.parse(row.value) as T) : null;
  }

  putSetting(key: string, value: unknown): void {
    this.table.ensure();
    this.storage.sql.exec(
      `INSERT OR REPLACE INTO entry_settings (key, value) VALUES (?, ?)`,
      key,
      JSON.stringify(value),
    );
  }
}
