/**
 * What the running session is for (project, task, tags), with a way to change
 * it without stopping: the change goes out as SESSION_UPDATE (queued like any
 * command, so it survives a dropped connection).
 */
import { useState } from 'preact/hooks';
import type { SessionView } from '../../lib/sessions/messages.ts';
import { type Project, type Task, parseTags, tagsProblem } from '../../lib/sessions/projects.ts';
import { type MetaValue, ProjectPicker } from './ProjectPicker.tsx';

interface Props {
  view: SessionView;
  projects: Project[];
  tasks: Task[];
  onUpdate: (m: { projectId: string | null; taskId: string | null; tags: string[] }) => void;
}

export function RunningMeta({ view, projects, tasks, onUpdate }: Props) {
  const [editing, setEditing] = useState<MetaValue | null>(null);
  const project = projects.find((p) => p.id === view.projectId) ?? null;
  const task = tasks.find((t) => t.id === view.taskId) ?? null;
  const problem = editing ? tagsProblem(parseTags(editing.tagsText)) : null;
  return (
    <div class="trk-running-meta" data-testid="running-meta">
      <p class="trk-running-meta__line">
        {project ? (
          <span class="trk-pill" data-testid="running-project">
            <span class="trk-swatch" aria-hidden="true" style={{ background: project.color }} />
            {project.name}
          </span>
        ) : (
          <span class="kt-muted">No project</span>
        )}
        {task ? (
          <span class="trk-pill" data-testid="running-task">
            {task.title}
          </span>
        ) : null}
        {view.tags.map((t) => (
          <span key={t} class="trk-tag" data-testid="running-tag">
            #{t}
          </span>
        ))}
        {editing ? null : (
          <button
            type="button"
            class="kt-btn kt-btn--small kt-btn--ghost"
            onClick={() =>
              setEditing({ projectId: view.projectId, taskId: view.taskId, tagsText: view.tags.join(', ') })
            }
            data-testid="running-change"
          >
            Change
          </button>
        )}
      </p>
      {editing ? (
        <form
          class="trk-running-meta__form"
          onSubmit={(e) => {
            e.preventDefault();
            if (problem) return;
            onUpdate({ projectId: editing.projectId, taskId: editing.taskId, tags: parseTags(editing.tagsText) });
            setEditing(null);
          }}
        >
          <ProjectPicker value={editing} onChange={setEditing} projects={projects} tasks={tasks} idPrefix="running" />
          {problem ? (
            <p class="kt-alert" role="alert">
              {problem}
            </p>
          ) : null}
          <div class="trk-dialog__actions">
            <button type="submit" class="kt-btn kt-btn--primary kt-btn--small" data-testid="running-save">
              Save
            </button>
            <button type="button" class="kt-btn kt-btn--small" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
