/** Track-page keyboard shortcuts, as a pure mapping from a key event to an action. */
import type { KeyLike } from '../rooms/shortcuts.ts';

export type SessionKeyAction = 'toggle' | 'stop';

export function sessionKeyFor(e: KeyLike): SessionKeyAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (e.key === ' ' || e.code === 'Space') return 'toggle';
  if (e.key === 's' || e.key === 'S') return 'stop';
  return null;
}
