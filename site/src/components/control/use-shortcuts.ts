/**
 * Window-level keyboard shortcuts for the control panel. A key the focused control handles itself is left to
 * it: text in fields, Space on a focused button, checkbox or link, arrows in a tab strip (focusOwnsKey).
 */
import { useEffect, useRef } from 'preact/hooks';
import { type ShortcutAction, focusOwnsKey, shortcutFor } from '../../lib/rooms/shortcuts.ts';

/** Elements that handle their own keys (e.g. the rundown's reorder handles) carry this attribute. */
export const OWN_KEYS = 'data-own-keys';

export function useShortcuts(handler: (a: ShortcutAction) => void, enabled: boolean): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!enabled) return;
    const down = (e: KeyboardEvent) => {
      if (e.defaultPrevented || focusOwnsKey(e.target, e)) return;
      const action = shortcutFor(e);
      if (!action) return;
      // Nothing focused wants the key: the shortcut takes it (Space would otherwise scroll the page).
      e.preventDefault();
      if (!e.repeat) ref.current(action);
    };
    addEventListener('keydown', down);
    return () => removeEventListener('keydown', down);
  }, [enabled]);
}
