/**
 * Light and dark: the visitor's choice (system, light or dark) lives in localStorage under `kt:theme`; "system"
 * follows prefers-color-scheme. The choice is applied as `<html data-theme="light|dark">`, which base.css reads.
 * App.astro's inline head script does the same before the first paint (no flash); keep the two in step.
 * The stage views (/r/…) stay black unless their URL says `?theme=light` or `?theme=system`.
 */
export type ThemePref = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

export const THEME_KEY = 'kt:theme';
export const THEME_PREFS: readonly ThemePref[] = ['system', 'light', 'dark'];
const LIGHT_QUERY = '(prefers-color-scheme: light)';
/** The browser bar's colour per theme (the header's panel colour). */
const BAR: Record<Theme, string> = { dark: '#15181d', light: '#ffffff' };

export const isThemePref = (v: unknown): v is ThemePref => THEME_PREFS.includes(v as ThemePref);

/** The stored choice; "system" when none, or when storage is unavailable. */
export function readThemePref(): ThemePref {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return isThemePref(v) ? v : 'system';
  } catch {
    return 'system';
  }
}

export function systemTheme(): Theme {
  return typeof matchMedia === 'function' && matchMedia(LIGHT_QUERY).matches ? 'light' : 'dark';
}

export const resolveTheme = (pref: ThemePref): Theme => (pref === 'system' ? systemTheme() : pref);

/** Sets `data-theme` and the browser bar colour. */
export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  root.dataset.theme = theme;
  root.querySelector<HTMLMetaElement>('meta[name="theme-color"]')?.setAttribute('content', BAR[theme]);
}

/** Stores the choice ("system" removes it) and applies it. */
export function saveThemePref(pref: ThemePref): void {
  try {
    if (pref === 'system') localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, pref);
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
  applyTheme(resolveTheme(pref));
}

/** Calls `onChange` when the system switches between light and dark; returns the unsubscribe. */
export function watchSystemTheme(onChange: (t: Theme) => void): () => void {
  if (typeof matchMedia !== 'function') return () => {};
  const mq = matchMedia(LIGHT_QUERY);
  const fn = () => onChange(mq.matches ? 'light' : 'dark');
  mq.addEventListener('change', fn);
  return () => mq.removeEventListener('change', fn);
}

/**
 * The stage views' option: black unless `?theme=light` (or `system`, which follows the device). Returns the theme
 * applied, or null when the view stays black.
 */
export function applyStageTheme(search: string = location.search): Theme | null {
  const want = new URLSearchParams(search).get('theme');
  if (want !== 'light' && want !== 'system') return null;
  const theme = want === 'light' ? 'light' : systemTheme();
  document.documentElement.classList.add('kt-stage');
  applyTheme(theme);
  return theme;
}
