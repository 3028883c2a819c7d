/**
 * A project's name, client and colour: the form that adds a project and the
 * one that edits it. The caller saves; a refusal shows as a readable message
 * in the form, which stays open.
 */
import { useState } from 'preact/hooks';
import { errorText } from '../../lib/net/api.ts';
import { PROJECT_COLORS, PROJECT_LIMITS } from '../../lib/sessions/projects.ts';

export interface ProjectFields {
  name: string;
  color: string;
  client: string | null;
}

interface Props {
  initial?: ProjectFields;
  submitText: string;
  onSubmit: (v: ProjectFields) => Promise<void>;
  onCancel?: () => void;
  /** Prefix of the fields' test ids: "project" (new) or "project-edit". */
  testId: string;
}

let seq = 0;

export function ProjectForm({ initial, submitText, onSubmit, onCancel, testId }: Props) {
  const [name, setName] = useState(initial?.name ?? '');
  const [client, setClient] = useState(initial?.client ?? '');
  const [color, setColor] = useState(initial?.color ?? PROJECT_COLORS[0] ?? '#5b8cff');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [group] = useState(() => `trk-project-color-${++seq}`);
  // A colour picked elsewhere (any #rrggbb) stays offered.
  const colors =
    initial && !PROJECT_COLORS.includes(initial.color) ? [initial.color, ...PROJECT_COLORS] : PROJECT_COLORS;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!name.trim()) {
      setError('Give the project a name');
      return;
    }
    setBusy(true);
    try {
      await onSubmit({ name: name.trim(), color, client: client.trim() || null });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      class={initial ? 'kt-form trk-edit' : 'kt-form trk-newproject'}
      onSubmit={submit}
      data-testid={`${testId}-form`}
    >
      <label class="kt-field">
        <span>Name</span>
        <input
          class="kt-input"
          required
          maxLength={PROJECT_LIMITS.name}
          value={name}
          onInput={(e) => setName((e.target as HTMLInputElement).value)}
          data-testid={`${testId}-name`}
        />
      </label>
      <label class="kt-field">
        <span>Client (optional)</span>
        <input
          class="kt-input"
          maxLength={PROJECT_LIMITS.client}
          value={client}
          onInput={(e) => setClient((e.target as HTMLInputElement).value)}
          data-testid={`${testId}-client`}
        />
      </label>
      <fieldset class="trk-colors">
        <legend>Colour</legend>
        {colors.map((c) => (
          <label key={c} class="trk-color" style={{ background: c }} title={c}>
            <input
              type="radio"
              name={group}
              value={c}
              checked={color === c}
              onChange={() => setColor(c)}
              data-testid={`${testId}-color`}
            />
            <span class="kt-sr">{c}</span>
          </label>
        ))}
      </fieldset>
      {error ? (
        <p class="kt-alert" role="alert" data-testid={`${testId}-error`}>
          {error}
        </p>
      ) : null}
      <button type="submit" class="kt-btn kt-btn--primary kt-btn--small" disabled={busy} data-testid={`${testId}-save`}>
        {submitText}
      </button>
      {onCancel ? (
        <button type="button" class="kt-btn kt-btn--small" onClick={onCancel} data-testid={`${testId}-cancel`}>
          Cancel
        </button>
      ) : null}
    </form>
  );
}
