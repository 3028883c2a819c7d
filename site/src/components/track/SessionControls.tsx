/**
 * Start (with a label, picked from recent ones or typed), pause, resume and
 * stop. Buttons follow the state the session will be in once queued commands
 * apply, so a pause made offline already offers Resume.
 */
import type { PredictedStatus } from '../../lib/sessions/store.ts';
import { Icon } from '../common/Icon.tsx';

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
          <button type="submit" class="kt-btn kt-btn--primary trk-big" disabled={!p.ready} data-testid="session-start">
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
