/** The keyboard shortcuts, shown with "?" or the help button. */
import { Fragment } from 'preact';
import { SHORTCUT_HELP } from '../../lib/rooms/shortcuts.ts';
import { Modal } from '../common/Modal.tsx';

/** A native modal dialog: Escape, "?" again, "Got it" or a click outside closes it, and focus goes back. */
export function HelpOverlay({ onClose }: { onClose: () => void }) {
  return (
    <Modal
      labelledBy="help-title"
      onClose={onClose}
      testId="help-overlay"
      onKeyDown={(e) => {
        if (e.key !== '?') return;
        e.preventDefault();
        onClose();
      }}
    >
      <div class="kt-modal__box">
        <h2 id="help-title">Keyboard shortcuts</h2>
        <dl class="ctl-keys">
          {SHORTCUT_HELP.map((s) => (
            <div class="ctl-keys__row" key={s.does}>
              <dt>
                {s.keys.map((k, i) => (
                  <Fragment key={k}>
                    {i > 0 ? <span class="kt-muted"> {s.keys[0] === 'Shift' ? '+' : 'or'} </span> : null}
                    <kbd>{k}</kbd>
                  </Fragment>
                ))}
              </dt>
              <dd>{s.does}</dd>
            </div>
          ))}
        </dl>
        <p class="kt-muted">
          Shortcuts are ignored while you type in a field, and a focused button, link or checkbox keeps Space for
          itself. On a reorder handle, ↑ and ↓ move that timer instead.
        </p>
        <div class="kt-modal__actions">
          <button type="button" class="kt-btn kt-btn--primary" onClick={onClose} data-testid="help-close" autofocus>
            Got it
          </button>
        </div>
      </div>
    </Modal>
  );
}
