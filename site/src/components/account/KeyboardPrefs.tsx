/** Account › Keyboard: turn single-key shortcuts off on this device (WCAG 2.1.4). */
import { useState } from 'preact/hooks';
import { setSingleKeyShortcuts, singleKeyShortcutsOn } from '../../lib/account/key-prefs.ts';

export function KeyboardPrefs() {
  const [on, setOn] = useState(singleKeyShortcutsOn);
  return (
    <section class="kt-card kt-keyprefs" aria-labelledby="keyprefs-title" data-testid="keyboard-prefs">
      <h2 id="keyprefs-title">Keyboard</h2>
      <label class="kt-check">
        <input
          type="checkbox"
          checked={on}
          onChange={(e) => {
            const next = e.currentTarget.checked;
            setSingleKeyShortcuts(next);
            setOn(next);
          }}
          data-testid="single-key-shortcuts"
        />{' '}
        Single-key shortcuts on this device (<kbd>S</kbd> stops the session on Track)
      </label>
      <p class="kt-muted">
        Space and the other shortcuts never act while a button, link, checkbox or field has the focus: that key goes to
        the control.
      </p>
    </section>
  );
}
