/**
 * The focus trap for keyboard-wedge scanners: a scanner "types" the code and
 * presses Enter into whatever has focus. Typed characters that land anywhere
 * but a text field (a button, the page itself) are sent to the scan field
 * instead, so a scan never clicks a focused button with its Enter. Space and
 * Enter alone still press a focused button (keyboard users need them).
 */

const TEXT_INPUTS = new Set(['text', 'search', 'number', 'tel', 'email', 'url', 'password']);

/** Whether the element takes typing itself (a text field, a select, an editable element, or a dialog's content). */
export function takesTyping(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLInputElement) return TEXT_INPUTS.has(el.type);
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLElement && el.isContentEditable) return true;
  // A modal dialog owns the keyboard while open.
  return el.closest('dialog[open]') !== null;
}

/** Starts the trap; returns its stop. `field` is read on every key (it may be re-rendered or disabled). */
export function trapWedge(field: () => HTMLInputElement | null): () => void {
  const onKey = (e: KeyboardEvent) => {
    const target = field();
    if (!target || target.disabled || e.ctrlKey || e.metaKey || e.altKey) return;
    if (takesTyping(document.activeElement)) return;
    // A printable character: focusing now makes the browser type it into the field.
    // The scanner's Enter then lands in the field too, never on a focused button.
    if (e.key.length === 1 && e.key !== ' ') target.focus();
  };
  addEventListener('keydown', onKey, true);
  return () => removeEventListener('keydown', onKey, true);
}
