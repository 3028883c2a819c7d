/** Space starts, pauses or resumes; S stops. Keys typed into fields are left alone. */
import { useEffect, useRef } from 'preact/hooks';
import { type SessionKeyAction, sessionKeyFor } from '../../lib/sessions/keys.ts';
import { isTypingTarget } from '../../lib/rooms/shortcuts.ts';

export function useSessionKeys(handler: (a: SessionKeyAction) => void): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    const down = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isTypingTarget(e.target)) return;
      const action = sessionKeyFor(e);
      if (!action) return;
      // Space would also "click" a focused button: the shortcut wins.
      e.preventDefault();
      if (!e.repeat) ref.current(action);
    };
    const up = (e: KeyboardEvent) => {
      if ((e.key === ' ' || e.code === 'Space') && !isTypingTarget(e.target)) e.preventDefault();
    };
    addEventListener('keydown', down);
    addEventListener('keyup', up);
    return () => {
      removeEventListener('keydown', down);
      removeEventListener('keyup', up);
    };
  }, []);
}
