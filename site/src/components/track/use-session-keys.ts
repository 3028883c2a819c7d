/**
 * Space starts, pauses or resumes; S stops. A key the focused control handles itself is left to it (Space on a
 * focused button or checkbox presses it); the single-key S can be turned off on Account (WCAG 2.1.4).
 */
import { useEffect, useRef } from 'preact/hooks';
import { singleKeyShortcutsOn } from '../../lib/account/key-prefs.ts';
import { type SessionKeyAction, sessionKeyFor } from '../../lib/sessions/keys.ts';
import { focusOwnsKey } from '../../lib/rooms/shortcuts.ts';

export function useSessionKeys(handler: (a: SessionKeyAction) => void): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    const down = (e: KeyboardEvent) => {
      if (e.defaultPrevented || focusOwnsKey(e.target, e)) return;
      const action = sessionKeyFor(e);
      if (!action) return;
      if (action === 'stop' && !singleKeyShortcutsOn()) return;
      // Nothing focused wants the key: the shortcut takes it (Space would otherwise scroll the page).
      e.preventDefault();
      if (!e.repeat) ref.current(action);
    };
    addEventListener('keydown', down);
    return () => removeEventListener('keydown', down);
  }, []);
}
