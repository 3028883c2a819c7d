/**
 * Projects and their tasks: add, edit or delete a project (name, colour,
 * client), add tasks (title, optional estimate in hours), mark them done,
 * edit or delete them, see time spent against the estimate, and start a
 * session straight from a task. A deleted project's entries keep their time
 * and their link to it; the page shows it as deleted.
 */
import { useState } from 'preact/hooks';
import { errorText } from '../../lib/net/api.ts';
import {
  PROJECT_LIMITS,
  type Project,
  type Task,
  createProject,
  createTask,
  deleteProject,
  updateProject,
} from '../../lib/sessions/projects.ts';
import { EditDeleteActions } from './EditDeleteActions.tsx';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { ProjectForm } from './ProjectForm.tsx';
import { TaskItem, estimateMs } from './TaskItem.tsx';
import type { ProjectsState } from './use-projects.ts';

interface Props {
  state: ProjectsState;
  /** False while a session runs (a task can't start a second one). */
  canStart: boolean;
  onStartTask: (task: Task, project: Project) => void;
  notify: (text: string, tone?: 'error' | 'info') => void;
}

export function TasksPanel({ state, canStart, onStartTask, notify }: Props) {
  const [adding, setAdding] = useState(false);
  const { projects, tasks } = state;
  return (
    <section class="kt-card trk-tasks" aria-labelledby="trk-tasks-title" data-testid="tasks-panel">
      <div class="kt-card-head">
        <h2 id="trk-tasks-title">Projects and tasks</h2>
        <button
          type="button"
          class="kt-btn kt-btn--small"
          onClick={() => setAdding(!adding)}
          aria-expanded={adding ? 'true' : 'false'}
          data-testid="project-add-open"
        >
          {adding ? 'Close' : 'New project'}
        </button>
      </div>
      {state.error ? (
        <p class="kt-alert" role="alert">
          Could not load your projects: {state.error}
        </p>
      ) : null}
      {adding ? (
        <ProjectForm
          testId="project"
          submitText="Add project"
          onSubmit={async (v) => {
            const p = await createProject(v);
            setAdding(false);
            state.reload();
            notify(`Project “${p.name}” added`, 'info');
          }}
        />
      ) : null}
      {state.loaded && projects.length === 0 && !adding ? (
        <p class="kt-muted" data-testid="projects-empty">
          No projects yet. Add one to sort your time by client or project, with tasks and estimates.
        </p>
      ) : null}
      <ul class="trk-projects">
        {projects.map((p) => (
          <ProjectItem
            key={p.id}
            project={p}
            tasks={tasks.filter((t) => t.projectId === p.id)}
            canStart={canStart}
            onStartTask={(t) => onStartTask(t, p)}
            reload={state.reload}
            notify={notify}
          />
        ))}
      </ul>
    </section>
  );
}

function ProjectItem(p: {
  project: Project;
  tasks: Task[];
  canStart: boolean;
  onStartTask: (t: Task) => void;
  reload: () => void;
  notify: (t: string, tone?: 'error' | 'info') => void;
}) {
  const [title, setTitle] = useState('');
  const [estimate, setEstimate] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const { project } = p;
  const add = async (e: Event) => {
    e.preventDefault();
    const ms = estimateMs(estimate);
    if (!title.trim()) return setError('A task needs a title');
    if (ms === undefined) return setError('The estimate is a number of hours, above 0');
    try {
      await createTask(project.id, { title: title.trim(), estimateMs: ms });
      setTitle('');
      setEstimate('');
      setError(null);
      p.reload();
    } catch (err) {
      setError(errorText(err));
    }
  };
  const slug = project.id.slice(0, 8);
  const openTasks = p.tasks.filter((t) => !t.done).length;
  return (
    <li
      class="trk-project"
      data-testid="project-item"
      data-project-id={project.id}
      data-name={project.name}
      data-color={project.color}
    >
      {editing ? (
        <ProjectForm
          testId="project-edit"
          submitText="Save project"
          initial={{ name: project.name, color: project.color, client: project.client }}
          onCancel={() => setEditing(false)}
          onSubmit={async (v) => {
            await updateProject(project.id, v);
            setEditing(false);
            p.reload();
            p.notify(`Project “${v.name}” saved`, 'info');
          }}
        />
      ) : (
        <div class="trk-project__head">
          <span class="trk-swatch" aria-hidden="true" style={{ background: project.color }} />
          <strong data-testid="project-title">{project.name}</strong>
          {project.client ? <span class="kt-muted"> · {project.client}</span> : null}
          <span class="kt-spacer" />
          <EditDeleteActions
            kind="project"
            name={project.name}
            class="trk-project__actions"
            onEdit={() => setEditing(true)}
            onDelete={() => setConfirming(true)}
          />
        </div>
      )}
      <ul class="trk-tasklist">
        {p.tasks.map((t) => (
          <TaskItem
            key={t.id}
            task={t}
            canStart={p.canStart}
            onStart={() => p.onStartTask(t)}
            reload={p.reload}
            notify={p.notify}
          />
        ))}
      </ul>
      <form class="trk-newtask" onSubmit={add}>
        <label class="kt-field">
          <span class="kt-sr">New task for {project.name}</span>
          <input
            class="kt-input"
            placeholder="New task"
            maxLength={PROJECT_LIMITS.title}
            value={title}
            onInput={(e) => setTitle((e.target as HTMLInputElement).value)}
            id={`trk-task-${slug}`}
            data-testid="task-title"
          />
        </label>
        <label class="kt-field">
          <span class="kt-sr">Estimate in hours</span>
          <input
            class="kt-input trk-newtask__est"
            type="number"
            min="0"
            step="0.25"
            placeholder="Est. h"
            value={estimate}
            onInput={(e) => setEstimate((e.target as HTMLInputElement).value)}
            data-testid="task-estimate"
          />
        </label>
        <button type="submit" class="kt-btn kt-btn--small" data-testid="task-add">
          Add task
        </button>
      </form>
      {error ? (
        <p class="kt-alert" role="alert">
          {error}
        </p>
      ) : null}
      {confirming ? (
        <ConfirmDialog
          title={`Delete project “${project.name}”?`}
          confirmText="Delete project"
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            await deleteProject(project.id);
            p.reload();
            p.notify(`Project “${project.name}” deleted`, 'info');
          }}
        >
          <p>
            {p.tasks.length > 0
              ? `Its ${p.tasks.length} ${p.tasks.length === 1 ? 'task goes' : 'tasks go'} with it${openTasks > 0 ? ` (${openTasks} still open)` : ''}. `
              : ''}
            Entries recorded for it are not deleted: they keep their time, and history and statistics show them as
            “deleted project”. You can move them to another project by editing them.
          </p>
        </ConfirmDialog>
      ) : null}
    </li>
  );
}
