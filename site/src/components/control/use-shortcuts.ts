/** Window-level keyboard shortcuts for the control panel; keys typed into fields are left alone. */
import { useEffect, useRef } from 'preact/hooks';
import { type ShortcutAction, isTypingTarget, shortcutFor } from '../../lib/rooms/shortcuts.ts';

/** Elements that handle their own keys (e.g. the rundown's reorder handles) carry this attribute. */
export const OWN_KEYS = 'data-own-keys';

export function useShortcuts(handler: (a: ShortcutAction) => void, enabled: boolean): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!enabled) return;
    const ownsKeys = (t: EventTarget | null) => t instanceof Element && t.closest(`[${OWN_KEYS}]`) !== null;
    const down = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isTypingTarget(e.target) || ownsKeys(e.target)) return;
      const action = shortcutFor(e);
      if (!action) return;
      // Space would also "click" a focused button; the shortcut wins.
      e.preventDefault();
      if (!e.repeat) ref.current(action);
    };
    const up = (e: KeyboardEvent) => {
      if ((e.key === ' ' || e.code === 'Space') && !isTypingTarget(e.target) && !ownsKeys(e.target)) e.preventDefault();
    };
    addEventListener('keydown', down);
    addEventListener('keyup', up);
    return () => {
      removeEventListener('keydown', down);
      removeEventListener('keyup', up);
    };
  }, [enabled]);
}
