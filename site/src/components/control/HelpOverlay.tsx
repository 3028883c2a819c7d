/** The keyboard shortcuts, shown with "?" or the help button. */
import { Fragment } from 'preact';
import { useEffect } from 'preact/hooks';
import { SHORTCUT_HELP } from '../../lib/rooms/shortcuts.ts';

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  useEffect(() => {
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    addEventListener('keydown', esc);
    return () => removeEventListener('keydown', esc);
  }, []);
  return (
    <div
      class="kt-modal"
      role="dialog"
      aria-modal="true"
      aria-labelledby="help-title"
      onClick={(e) => e.target === e.currentTarget && onClose()}
      data-testid="help-overlay"
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
          Shortcuts are ignored while you type in a field. On a reorder handle, ↑ and ↓ move that timer instead.
        </p>
        <div class="kt-modal__actions">
          <button type="button" class="kt-btn kt-btn--primary" onClick={onClose} data-testid="help-close">
            Got it
          </button>
        </div>
      </div>
    </div>
  );
}
