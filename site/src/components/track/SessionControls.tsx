/**
 * Start (with a label, picked from recent ones or typed), pause, resume and
 * stop. Buttons follow the state the session will be in once queued commands
 * apply, so a pause made offline already offers Resume.
 */
import type { Project, Task } from '../../lib/sessions/projects.ts';
import type { PredictedStatus } from '../../lib/sessions/store.ts';
import { Icon } from '../common/Icon.tsx';
import { type MetaValue, ProjectPicker } from './ProjectPicker.tsx';

/** The server's limit (core/protocol LIMITS.label), not imported: that module brings zod to the page. */
const LABEL_MAX = 200;

interface SessionControlsProps {
  status: PredictedStatus;
  /** False until the session's state is known. */
  ready: boolean;
  label: string;
  onLabel: (label: string) => void;
  recent: string[];
  onStart: () => void;
  onPause: () => void;
  onResume: () => void;
  onStop: () => void;
  /** Project, task and tags for the next start. */
  meta: MetaValue;
  onMeta: (m: MetaValue) => void;
  projects: Project[];
  tasks: Task[];
  focusOn: boolean;
  onFocusOn: (on: boolean) => void;
  /** A problem with the typed tags (blocks the start). */
  metaProblem: string | null;
}

export function SessionControls(p: SessionControlsProps) {
  const idle = p.status === 'idle';
  return (
    <div class="trk-controls" data-testid="session-controls" data-status={p.status}>
      {idle ? (
        <form
          class="trk-start"
          onSubmit={(e) => {
            e.preventDefault();
            p.onStart();
          }}
        >
          <label class="kt-field trk-start__field">
            <span>Label (optional)</span>
            <input
              class="kt-input"
              type="text"
              list="trk-recent-labels"
              maxLength={LABEL_MAX}
              placeholder="What are you timing?"
              value={p.label}
              onInput={(e) => p.onLabel((e.target as HTMLInputElement).value)}
              data-testid="label-input"
              autocomplete="off"
            />
          </label>
          <datalist id="trk-recent-labels">
            {p.recent.map((l) => (
              <option key={l} value={l} />
            ))}
          </datalist>
          <details class="trk-start__more" open={p.meta.projectId !== null || p.meta.tagsText !== ''}>
            <summary>Project, task and tags</summary>
            <ProjectPicker value={p.meta} onChange={p.onMeta} projects={p.projects} tasks={p.tasks} idPrefix="start" />
          </details>
          <label class="kt-check trk-start__focus">
            <input
              type="checkbox"
              checked={p.focusOn}
              onChange={(e) => p.onFocusOn((e.target as HTMLInputElement).checked)}
              data-testid="start-focus"
            />
            Focus mode (work and break cycles)
          </label>
          {p.metaProblem ? (
            <p class="kt-alert" role="alert" data-testid="start-problem">
              {p.metaProblem}
            </p>
          ) : null}
          <button
            type="submit"
            class="kt-btn kt-btn--primary trk-big"
            disabled={!p.ready || p.metaProblem !== null}
            data-testid="session-start"
          >
            <Icon name="play" /> Start
          </button>
          {p.recent.length > 0 ? (
            <div class="trk-chips" role="group" aria-label="Recent labels">
              {p.recent.map((l) => (
                <button
                  key={l}
                  type="button"
                  class={`trk-chip${l === p.label ? ' is-picked' : ''}`}
                  aria-pressed={l === p.label ? 'true' : 'false'}
                  onClick={() => p.onLabel(l === p.label ? '' : l)}
                  data-testid="label-chip"
                >
                  {l}
                </button>
              ))}
            </div>
          ) : null}
        </form>
      ) : (
        <div class="trk-buttons">
          {p.status === 'running' ? (
            <button type="button" class="kt-btn trk-big trk-big--pause" onClick={p.onPause} data-testid="session-pause">
              <Icon name="pause" /> Pause
            </button>
          ) : (
            <button
              type="button"
              class="kt-btn kt-btn--primary trk-big"
              onClick={p.onResume}
              data-testid="session-resume"
            >
              <Icon name="play" /> Resume
            </button>
          )}
          <button type="button" class="kt-btn trk-big trk-big--stop" onClick={p.onStop} data-testid="session-stop">
            <span class="trk-stop-icon" aria-hidden="true" /> Stop
          </button>
        </div>
      )}
      <p class="trk-keys kt-muted kt-hide-small">
        <kbd>Space</kbd> {idle ? 'starts' : p.status === 'running' ? 'pauses' : 'resumes'} · <kbd>S</kbd> stops
      </p>
    </div>
  );
}
