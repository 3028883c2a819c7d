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

/** Focusable things that act on Space or Enter themselves (a button, a link, a checkbox, a tab…). */
const ACTS_ON_SPACE =
  'button, a[href], input, select, textarea, summary, audio[controls], video[controls], [contenteditable], ' +
  '[role="button"], [role="link"], [role="checkbox"], [role="switch"], [role="radio"], [role="tab"], ' +
  '[role="menuitem"], [role="menuitemcheckbox"], [role="menuitemradio"], [role="option"], [role="treeitem"]';

/** Focusable things that use the arrow keys themselves (fields, lists, tab strips, sliders, radio groups). */
const OWNS_ARROWS =
  'input, select, textarea, [contenteditable], [role="tablist"], [role="tab"], [role="radiogroup"], ' +
  '[role="radio"], [role="slider"], [role="spinbutton"], [role="listbox"], [role="option"], [role="menu"], ' +
  '[role="menubar"], [role="menuitem"], [role="grid"], [role="tree"], [role="treeitem"]';

/**
 * True when the focused element handles this key itself, so a page-wide shortcut must leave it alone
 * (WCAG 2.1.1): text is typed into fields, Space and Enter press the focused button, tick the focused checkbox
 * or follow the focused link, arrows move within a tab strip, a list or a slider. Elements marked with
 * `data-own-keys` keep every key.
 */
export function focusOwnsKey(target: EventTarget | null, e: Pick<KeyLike, 'key' | 'code'>): boolean {
  if (isTypingTarget(target)) return true;
  if (!(target instanceof Element)) return false;
  if (target.closest('[data-own-keys]')) return true;
  // A modal dialog takes every key while it is open (its own shortcuts, Escape to close).
  if (target.closest('dialog[open]')) return true;
  if (e.key === ' ' || e.code === 'Space' || e.key === 'Enter') return target.closest(ACTS_ON_SPACE) !== null;
  if (e.key.startsWith('Arrow')) return target.closest(OWNS_ARROWS) !== null;
  if (target instanceof HTMLInputElement && target.type === 'range') return true;
  return false;
}
