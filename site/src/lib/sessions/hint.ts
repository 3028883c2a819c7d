/**
 * A non-secret hint that this browser has logged in, so logged-out pages can
 * skip calling /api/me (a 401 there is noise in the console). The session itself
 * stays in the HttpOnly cookie; the hint is only ever a reason to ask.
 */
const KEY = 'kt:signed-in';

export function markSignedIn(on: boolean): void {
  try {
    if (on) localStorage.setItem(KEY, '1');
    else localStorage.removeItem(KEY);
  } catch {
    // Storage can be disabled (private mode); the pages then just ask the server.
  }
}

export function maybeSignedIn(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return true;
  }
}
