/**
 * Project, task and tags for a session: at start, while running, or in the
 * entry editor. A native select for the project (colour swatch beside it), a
 * select of that project's open tasks, and tags typed comma-separated.
 */
import type { Project, Task } from '../../lib/sessions/projects.ts';

export interface MetaValue {
  projectId: string | null;
  taskId: string | null;
  tagsText: string;
}

interface Props {
  value: MetaValue;
  onChange: (v: MetaValue) => void;
  projects: Project[];
  tasks: Task[];
  /** Distinguishes the fields' ids when two pickers are on one page. */
  idPrefix: string;
  /** Also list tasks already done (the editor, where an old entry may be for one). */
  allTasks?: boolean;
}

export function ProjectPicker({ value, onChange, projects, tasks, idPrefix, allTasks }: Props) {
  const project = projects.find((p) => p.id === value.projectId) ?? null;
  const open = tasks.filter((t) => t.projectId === value.projectId && (allTasks || !t.done || t.id === value.taskId));
  return (
    <div class="trk-meta" data-testid={`${idPrefix}-meta`}>
      <label class="kt-field">
        <span>Project</span>
        <span class="trk-meta__project">
          <span class="trk-swatch" aria-hidden="true" style={{ background: project?.color ?? 'transparent' }} />
          <select
            class="kt-input"
            value={value.projectId ?? ''}
            onChange={(e) =>
              onChange({ ...value, projectId: (e.target as HTMLSelectElement).value || null, taskId: null })
            }
            data-testid={`${idPrefix}-project`}
          >
            <option value="">No project</option>
            {projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.client ? `${p.name} (${p.client})` : p.name}
              </option>
            ))}
          </select>
        </span>
      </label>
      <label class="kt-field">
        <span>Task</span>
        <select
          class="kt-input"
          value={value.taskId ?? ''}
          disabled={value.projectId === null || open.length === 0}
          onChange={(e) => onChange({ ...value, taskId: (e.target as HTMLSelectElement).value || null })}
          data-testid={`${idPrefix}-task`}
        >
          <option value="">{value.projectId === null ? 'Pick a project first' : 'No task'}</option>
          {open.map((t) => (
            <option key={t.id} value={t.id}>
              {t.title}
              {t.done ? ' (done)' : ''}
            </option>
          ))}
        </select>
      </label>
      <label class="kt-field">
        <span>Tags (comma-separated)</span>
        <input
          class="kt-input"
          type="text"
          value={value.tagsText}
          maxLength={900}
          placeholder="e.g. client call, billable"
          onInput={(e) => onChange({ ...value, tagsText: (e.target as HTMLInputElement).value })}
          data-testid={`${idPrefix}-tags`}
          autocomplete="off"
        />
      </label>
    </div>
  );
}

export const EMPTY_META: MetaValue = { projectId: null, taskId: null, tagsText: '' };
