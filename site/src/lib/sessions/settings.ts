/**
 * The user's session settings: the idle limit ("Still working?") and the
 * idle auto-stop, kept by the server; the focus-cycle defaults and the chime,
 * kept in this browser.
 */
import { api } from '../net/api.ts';
import { isNumOrNull, isRec, parseJson } from '../net/guards.ts';
import type { FocusConfig } from './queue.ts';

export interface IdleSettings {
  /** null: never ask. */
  idleLimitMs: number | null;
  /** null: never stop by itself (the 12 h cut-off still applies). */
  autoStopIdleMs: number | null;
}

const isSettings = (v: unknown): v is IdleSettings =>
  isRec(v) && isNumOrNull(v.idleLimitMs ?? null) && isNumOrNull(v.autoStopIdleMs ?? null);

export const IDLE_BOUNDS = { minMs: 1_000, maxMs: 43_200_000 } as const;

export async function fetchIdleSettings(): Promise<IdleSettings> {
  const r = await api('/api/sessions/settings', isSettings);
  return { idleLimitMs: r.idleLimitMs ?? null, autoStopIdleMs: r.autoStopIdleMs ?? null };
}

export async function saveIdleSettings(s: IdleSettings): Promise<IdleSettings> {
  const r = await api('/api/sessions/settings', isSettings, { method: 'PUT', body: s });
  return { idleLimitMs: r.idleLimitMs ?? null, autoStopIdleMs: r.autoStopIdleMs ?? null };
}

/** The problem with a pair of limits, or null (mirrors the server's bounds). */
export function idleProblem(s: IdleSettings): string | null {
  for (const [name, v] of [
    ['The idle limit', s.idleLimitMs],
    ['The auto-stop', s.autoStopIdleMs],
  ] as const) {
    if (v !== null && (!Number.isFinite(v) || v < IDLE_BOUNDS.minMs || v > IDLE_BOUNDS.maxMs))
      return `${name} must be between 1 second and 12 hours`;
  }
  if (s.idleLimitMs !== null && s.autoStopIdleMs !== null && s.autoStopIdleMs <= s.idleLimitMs)
    return 'The auto-stop must come after the idle limit';
  return null;
}

// ── Focus defaults (this browser) ─────────────────────────────────────────
const MIN = 60_000;
export const FOCUS_DEFAULTS: FocusConfig = { focusMs: 25 * MIN, breakMs: 5 * MIN, longBreakMs: 15 * MIN, every: 4 };
export const FOCUS_BOUNDS = {
  focusMs: [MIN, 240 * MIN],
  breakMs: [MIN, 120 * MIN],
  longBreakMs: [MIN, 120 * MIN],
  every: [1, 12],
} as const;

export interface LocalPrefs {
  focus: FocusConfig;
  /** Start new sessions in focus mode. */
  focusOn: boolean;
  chime: boolean;
}

const KEY = 'kt:session-prefs';

export function loadPrefs(): LocalPrefs {
  let raw: unknown = null;
  try {
    raw = parseJson(localStorage.getItem(KEY) ?? 'null');
  } catch {
    raw = null;
  }
  const r = isRec(raw) ? raw : {};
  const f = isRec(r.focus) ? r.focus : {};
  const pick = (k: keyof FocusConfig) => {
    const v = f[k];
    const [lo, hi] = FOCUS_BOUNDS[k];
    return typeof v === 'number' && v >= lo && v <= hi ? v : FOCUS_DEFAULTS[k];
  };
  return {
    focus: {
      focusMs: pick('focusMs'),
      breakMs: pick('breakMs'),
      longBreakMs: pick('longBreakMs'),
      every: pick('every'),
    },
    focusOn: r.focusOn === true,
    chime: r.chime === true,
  };
}

export function savePrefs(p: LocalPrefs): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(p));
  } catch {
    // Storage disabled: the choice lasts until the page closes.
  }
}
