/**
 * One task of a project: done or open, time spent against the estimate,
 * start a session from it, edit its title and estimate, or delete it (after a
 * confirmation; its entries keep their time).
 */
import { useState } from 'preact/hooks';
import { humanDuration } from '../../lib/format/duration.ts';
import { errorText } from '../../lib/net/api.ts';
import { PROJECT_LIMITS, type Task, deleteTask, taskProgress, updateTask } from '../../lib/sessions/projects.ts';
import { EditDeleteActions } from './EditDeleteActions.tsx';
import { ConfirmDialog } from './ConfirmDialog.tsx';

interface Props {
  task: Task;
  canStart: boolean;
  onStart: () => void;
  reload: () => void;
  notify: (t: string, tone?: 'error' | 'info') => void;
}

/** Hours typed in a field → ms, null for empty; undefined when it is not a sensible estimate. */
export function estimateMs(text: string): number | null | undefined {
  if (text.trim() === '') return null;
  const hours = Number(text);
  return hours > 0 && hours <= 10_000 ? Math.round(hours * 3_600_000) : undefined;
}

export function TaskItem({ task: t, canStart, onStart, reload, notify }: Props) {
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const progress = taskProgress(t);
  const toggle = async () => {
    try {
      await updateTask(t.id, { done: !t.done });
      reload();
    } catch (err) {
      notify(`Could not change “${t.title}”: ${errorText(err)}`);
    }
  };
  return (
    <li class={`trk-task${t.done ? ' is-done' : ''}`} data-testid="task-item" data-task-id={t.id} data-title={t.title}>
      {editing ? (
        <TaskEdit
          task={t}
          onDone={() => {
            setEditing(false);
            reload();
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <>
          <label class="kt-check trk-task__done">
            <input type="checkbox" checked={t.done} onChange={toggle} />
            <span class="kt-sr">Done: </span>
            <span class="trk-task__title" data-testid="task-title-text">
              {t.title}
            </span>
          </label>
          <span class="trk-task__spent kt-muted" data-testid="task-spent">
            {humanDuration(t.spentMs)}
            {t.estimateMs ? ` of ${humanDuration(t.estimateMs)}` : ''}
          </span>
          {progress !== null ? (
            <meter
              class="trk-task__meter"
              min={0}
              max={1}
              low={0.8}
              high={1}
              optimum={0.5}
              value={Math.min(progress, 1.2)}
              aria-label={`${Math.round(progress * 100)}% of the estimate`}
            />
          ) : (
            <span class="trk-task__meter" />
          )}
          <button
            type="button"
            class="kt-btn kt-btn--small trk-task__start"
            disabled={!canStart || t.done}
            onClick={onStart}
            data-testid="task-start"
            aria-label={`Start a session for ${t.title}`}
          >
            Start
          </button>
          <EditDeleteActions
            kind="task"
            name={t.title}
            class="trk-task__actions"
            onEdit={() => setEditing(true)}
            onDelete={() => setConfirming(true)}
          />
        </>
      )}
      {confirming ? (
        <ConfirmDialog
          title="Delete this task?"
          confirmText="Delete task"
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            await deleteTask(t.id);
            reload();
            notify(`Task “${t.title}” deleted`, 'info');
          }}
        >
          <p>
            “{t.title}” goes from the project. Entries recorded for it keep their time and their project; they just no
            longer name the task.
          </p>
        </ConfirmDialog>
      ) : null}
    </li>
  );
}

function TaskEdit({ task, onDone, onCancel }: { task: Task; onDone: () => void; onCancel: () => void }) {
  const [title, setTitle] = useState(task.title);
  const [estimate, setEstimate] = useState(task.estimateMs === null ? '' : String(task.estimateMs / 3_600_000));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async (e: Event) => {
    e.preventDefault();
    const ms = estimateMs(estimate);
    if (!title.trim()) return setError('A task needs a title');
    if (ms === undefined) return setError('The estimate is a number of hours, above 0');
    setBusy(true);
    try {
      await updateTask(task.id, { title: title.trim(), estimateMs: ms });
      onDone();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <form class="kt-form trk-edit" onSubmit={save} data-testid="task-edit-form">
      <label class="kt-field">
        <span>Title</span>
        <input
          class="kt-input"
          required
          maxLength={PROJECT_LIMITS.title}
          value={title}
          onInput={(e) => setTitle((e.target as HTMLInputElement).value)}
          data-testid="task-edit-title"
        />
      </label>
      <label class="kt-field">
        <span>Estimate (hours, optional)</span>
        <input
          class="kt-input trk-newtask__est"
          type="number"
          min="0"
          step="0.25"
          value={estimate}
          onInput={(e) => setEstimate((e.target as HTMLInputElement).value)}
          data-testid="task-edit-estimate"
        />
      </label>
      {error ? (
        <p class="kt-alert" role="alert" data-testid="task-edit-error">
          {error}
        </p>
      ) : null}
      <button type="submit" class="kt-btn kt-btn--primary kt-btn--small" disabled={busy} data-testid="task-edit-save">
        Save
      </button>
      <button type="button" class="kt-btn kt-btn--small" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
