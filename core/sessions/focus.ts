/**
 * Focus cycles, the pure part: a session in focus mode alternates focus
 * phases with breaks (a long break after every `every` focus phases). Phase
 * `index` 0, 2, 4… are focus phases; odd ones are breaks. Each phase ends at an
 * exact instant: its start plus its length. A break is a pause of the session,
 * so net time stays honest. No clock here: instants come with the call.
 */

// ── Config ─────────────────────────────────────────────────────────────────
export interface FocusConfig {
  focusMs: number;
  breakMs: number;
  longBreakMs: number;
  /** A long break follows every `every`-th focus phase. */
  every: number;
}

export const FOCUS_DEFAULTS: FocusConfig = {
  focusMs: 25 * 60_000,
  breakMs: 5 * 60_000,
  longBreakMs: 15 * 60_000,
  every: 4,
};

/** Inclusive bounds of each field. */
export const FOCUS_BOUNDS = {
  focusMs: [60_000, 4 * 3_600_000],
  breakMs: [60_000, 2 * 3_600_000],
  longBreakMs: [60_000, 2 * 3_600_000],
  every: [1, 12],
} as const;

// ── State ──────────────────────────────────────────────────────────────────
export type FocusPhase = 'focus' | 'break' | 'long-break';

export interface FocusState {
  config: FocusConfig;
  /** The phase in progress: even = focus, odd = break. */
  index: number;
  /** When the phase ends; null while a manual pause suspends the cycle. */
  phaseEndsAt: number | null;
  /** Time left in the phase while suspended; null otherwise. */
  remainingMs: number | null;
}

/** What every session message carries about focus. */
export interface FocusView {
  phase: FocusPhase;
  phaseEndsAt: number | null;
  remainingMs: number | null;
  /** Focus phases completed so far. */
  cycle: number;
  config: FocusConfig;
}

// ── Derivations ──────────────────────────────────────────────────────────
export function phaseOf(config: FocusConfig, index: number): FocusPhase {
  if (index % 2 === 0) return 'focus';
  return ((index + 1) / 2) % config.every === 0 ? 'long-break' : 'break';
}

export function phaseLength(config: FocusConfig, index: number): number {
  const phase = phaseOf(config, index);
  return phase === 'focus' ? config.focusMs : phase === 'break' ? config.breakMs : config.longBreakMs;
}

/**
 * The end instants of the first `count` phases of a cycle started at `start`
 * with no manual pause: the schedule derived purely from the config and the start.
 */
export function phaseEnds(config: FocusConfig, start: number, count: number): number[] {
  const ends: number[] = [];
  let t = start;
  for (let i = 0; i < count; i++) {
    t += phaseLength(config, i);
    ends.push(t);
  }
  return ends;
}

export const isBreak = (f: FocusState): boolean => f.index % 2 === 1;

export function focusView(f: FocusState | null): FocusView | null {
  if (!f) return null;
  return {
    phase: phaseOf(f.config, f.index),
    phaseEndsAt: f.phaseEndsAt,
    remainingMs: f.remainingMs,
    cycle: Math.ceil(f.index / 2),
    config: f.config,
  };
}

// ── Steps ──────────────────────────────────────────────────────────────────
/** A new cycle: the first focus phase starts at `t`. */
export function startFocus(config: FocusConfig, t: number): FocusState {
  return { config, index: 0, phaseEndsAt: t + config.focusMs, remainingMs: null };
}

/** The next phase, starting at `at` (the previous phase's due instant, or now when a break is skipped). */
export function nextPhase(f: FocusState, at: number): FocusState {
  const index = f.index + 1;
  return { config: f.config, index, phaseEndsAt: at + phaseLength(f.config, index), remainingMs: null };
}

/** The next focus phase from `at`: this one restarted if it is a focus phase, else the one after the break. */
export function freshFocus(f: FocusState, at: number): FocusState {
  const index = isBreak(f) ? f.index + 1 : f.index;
  return { config: f.config, index, phaseEndsAt: at + f.config.focusMs, remainingMs: null };
}

/** A manual pause at `t` suspends the cycle, keeping the phase's remaining time. */
export function suspend(f: FocusState, t: number): FocusState {
  if (f.phaseEndsAt === null) return f;
  return { ...f, phaseEndsAt: null, remainingMs: Math.max(0, f.phaseEndsAt - t) };
}

/** A manual resume at `t` continues the suspended phase with its remaining time. */
export function continueAt(f: FocusState, t: number): FocusState {
  if (f.remainingMs === null) return f;
  return { ...f, phaseEndsAt: t + f.remainingMs, remainingMs: null };
}
