/**
 * Single-key shortcuts (Track's S to stop) can be turned off on this device (WCAG 2.1.4). The choice lives in
 * localStorage; storage that throws (private mode, blocked) reads as the default, on.
 */
const KEY = 'kt:single-key-shortcuts';

export function singleKeyShortcutsOn(): boolean {
  try {
    return localStorage.getItem(KEY) !== 'off';
  } catch {
    return true;
  }
}

export function setSingleKeyShortcuts(on: boolean): void {
  try {
    if (on) localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, 'off');
  } catch {
    // Storage refused: the choice holds for this page only.
  }
}
