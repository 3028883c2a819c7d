/**
 * Where to go after login (issue 11, finding 8): `next` is resolved against the page's origin, and anything that
 * would leave it (`//x`, `/\x`, `/<tab>/x`, `javascript:`, an absolute URL) falls back to a default page.
 */

/** Control characters and backslashes: URL parsers drop or rewrite them, which is how `/\x` and `/%09/x` escape. */
const unsafe = (s: string) =>
  s.includes('\\') || [...s].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);

/**
 * The same-origin path (with query and fragment) `next` names, or `fallback`.
 * @param next the raw, already-decoded `next` parameter (null when absent)
 * @param origin the page's origin, e.g. `location.origin`
 */
export function resolveNext(next: string | null, origin: string, fallback = '/rooms/'): string {
  if (!next?.startsWith('/') || next.startsWith('//') || unsafe(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== origin) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments can collapse to `//x` (`/.//x`, `/..//x`), which the browser would read as another host.
  return path.startsWith('//') || new URL(path, origin).origin !== origin ? fallback : path;
}
