/** Control-panel keyboard shortcuts, as a pure mapping from a key event to an action. */
import { MINUTE, SECOND } from '../../../../core/time.ts';

export type ShortcutAction =
  | { type: 'toggle' }
  | { type: 'next' }
  | { type: 'previous' }
  | { type: 'adjust'; deltaMs: number }
  | { type: 'help' };

export interface KeyLike {
  key: string;
  code: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** For the help overlay. */
export const SHORTCUT_HELP: { keys: string[]; does: string }[] = [
  { keys: ['Space'], does: 'Start or pause the active timer' },
  { keys: ['↓', '→'], does: 'Next timer' },
  { keys: ['↑', '←'], does: 'Previous timer' },
  { keys: ['+'], does: 'Add 1 minute' },
  { keys: ['−'], does: 'Remove 1 minute' },
  { keys: ['Shift', '+ / −'], does: 'Add or remove 10 seconds' },
  { keys: ['?'], does: 'Show or hide this help' },
];

export function shortcutFor(e: KeyLike): ShortcutAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (e.key === '?') return { type: 'help' };
  if (e.key === ' ' || e.code === 'Space') return { type: 'toggle' };
  if (e.key === 'ArrowDown' || e.key === 'ArrowRight') return { type: 'next' };
  if (e.key === 'ArrowUp' || e.key === 'ArrowLeft') return { type: 'previous' };
  // '+' is Shift+'=' on many layouts, so the physical key decides the sign and Shift the step.
  const plus = e.key === '+' || e.key === '=' || e.code === 'NumpadAdd';
  const minus = e.key === '-' || e.key === '_' || e.key === '−' || e.code === 'NumpadSubtract';
  if (plus || minus) {
    const step = e.shiftKey ? 10 * SECOND : MINUTE;
    return { type: 'adjust', deltaMs: plus ? step : -step };
  }
  return null;
}

/** True when keys typed at `el` are text, not commands. */
export function isTypingTarget(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (el as HTMLInputElement).type;
  return !['button', 'submit', 'reset', 'checkbox', 'radio', 'range', 'color', 'file'].includes(type);
}
