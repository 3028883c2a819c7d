/**
 * Edit an entry, or add a manual one: start, end, label, project, task, tags
 * and the pauses. Mistakes get a message beside the form before anything is
 * sent; the server's own refusals show the same way. When the entry changed
 * elsewhere meanwhile (409 stale_version), the current values are shown and
 * the user can re-apply their changes on top of them or take the current ones.
 */
import { useState } from 'preact/hooks';
import { humanDuration } from '../../lib/format/duration.ts';
import { errorText } from '../../lib/net/api.ts';
import { type Entry, createEntry, updateEntry } from '../../lib/sessions/entries.ts';
import { when } from '../../lib/clock/when.ts';
import { Dialog } from './Dialog.tsx';
import { type EntryForm, type PauseRow, checkForm, formOf } from './entry-form.ts';
import { InstantField } from '../common/Fields.tsx';
import { ProjectPicker } from './ProjectPicker.tsx';
import type { ProjectsState } from './use-projects.ts';

interface Props {
  entry: Entry | null;
  projects: ProjectsState;
  onClose: () => void;
  onSaved: (e: Entry, created: boolean) => void;
}

export function EntryEditor({ entry, projects, onClose, onSaved }: Props) {
  const [form, setForm] = useState<EntryForm>(() => formOf(entry, Date.now()));
  const [base, setBase] = useState<Entry | null>(entry);
  const [conflict, setConflict] = useState<Entry | null>(null);
  const [problem, setProblem] = useState<{ field: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<EntryForm>) => setForm({ ...form, ...patch });
  const setPause = (i: number, patch: Partial<PauseRow>) =>
    set({ pauses: form.pauses.map((q, j) => (j === i ? { ...q, ...patch } : q)) });

  const save = async (e?: Event) => {
    e?.preventDefault();
    const checked = checkForm(form, Date.now());
    if (!checked.ok) {
      setProblem({ field: checked.field, message: checked.message });
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      if (!base) {
        onSaved(await createEntry(checked.input), true);
        return;
      }
      const r = await updateEntry(base.id, base.version, checked.input);
      if (r.ok) onSaved(r.entry, false);
      else setConflict(r.current);
    } catch (err) {
      setProblem({ field: 'server', message: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  const invalid = (field: string) => problem?.field === field;
  return (
    <Dialog title={entry ? 'Edit entry' : 'Add an entry'} onClose={onClose} testId="entry-editor" wide>
      <form class="kt-form trk-editor" onSubmit={save} noValidate>
        <div class="trk-editor__row">
          <InstantField
            label="Start"
            value={form.start}
            invalid={invalid('start')}
            onInput={(start) => set({ start })}
            testId="editor-start"
            required
          />
          <InstantField
            label="End"
            value={form.end}
            invalid={invalid('end')}
            onInput={(end) => set({ end })}
            testId="editor-end"
            required
          />
        </div>
        <label class="kt-field">
          <span>Label</span>
          <input
            class="kt-input"
            maxLength={200}
            value={form.label}
            onInput={(e) => set({ label: (e.target as HTMLInputElement).value })}
            data-testid="editor-label"
          />
        </label>
        <ProjectPicker
          value={{ projectId: form.projectId, taskId: form.taskId, tagsText: form.tagsText }}
          onChange={(m) => set(m)}
          projects={projects.projects}
          tasks={projects.tasks}
          idPrefix="editor"
          allTasks
        />
        <fieldset class="trk-editor__pauses" aria-invalid={invalid('pauses') ? 'true' : undefined}>
          <legend>Pauses</legend>
          {form.pauses.length === 0 ? <p class="kt-muted">No pauses.</p> : null}
          {form.pauses.map((p, i) => (
            <div key={i} class="trk-editor__pause" data-testid="editor-pause">
              <InstantField
                label={`Pause ${i + 1} from`}
                value={p.from}
                invalid={invalid(`pause-${i}`)}
                onInput={(from) => setPause(i, { from })}
                testId="editor-pause-from"
              />
              <InstantField
                label="to"
                value={p.to}
                invalid={invalid(`pause-${i}`)}
                onInput={(to) => setPause(i, { to })}
                testId="editor-pause-to"
              />
              <button
                type="button"
                class="kt-btn kt-btn--small kt-btn--ghost"
                onClick={() => set({ pauses: form.pauses.filter((_, j) => j !== i) })}
                aria-label={`Remove pause ${i + 1}`}
              >
                Remove
              </button>
            </div>
          ))}
          <button
            type="button"
            class="kt-btn kt-btn--small"
            onClick={() => set({ pauses: [...form.pauses, { from: form.start, to: form.start }] })}
            data-testid="editor-pause-add"
          >
            Add a pause
          </button>
        </fieldset>
        {problem ? (
          <p class="kt-alert" role="alert" data-testid="editor-error">
            {problem.message}
          </p>
        ) : null}
        {conflict ? (
          <div class="kt-alert kt-alert--warn" role="alert" data-testid="editor-conflict">
            <p>
              This entry was changed elsewhere while you edited it. Now it reads: {when(conflict.startTime)} –{' '}
              {when(conflict.endTime)}, “{conflict.label ?? ''}”, {humanDuration(conflict.elapsedTime)} active.
            </p>
            <div class="trk-dialog__actions">
              <button
                type="button"
                class="kt-btn kt-btn--primary kt-btn--small"
                onClick={() => {
                  setBase(conflict);
                  setConflict(null);
                }}
                data-testid="editor-reapply"
              >
                Keep my changes (save again)
              </button>
              <button
                type="button"
                class="kt-btn kt-btn--small"
                onClick={() => {
                  setBase(conflict);
                  setForm(formOf(conflict, Date.now()));
                  setConflict(null);
                }}
                data-testid="editor-take-current"
              >
                Use the current values
              </button>
            </div>
          </div>
        ) : null}
        <div class="trk-dialog__actions">
          <button
            type="submit"
            class="kt-btn kt-btn--primary"
            disabled={busy || conflict !== null}
            data-testid="editor-save"
          >
            {busy ? 'Saving…' : entry ? 'Save' : 'Add entry'}
          </button>
          <button type="button" class="kt-btn" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
