/**
 * The same-code repeat guard for camera scans: a code held in front of the
 * camera is decoded on every frame, but counts once until it has been out of
 * sight for the quiet time (or another code was read in between).
 */

/** The default quiet time, ms; the scan screen lets the worker change it. */
export const DEFAULT_QUIET_MS = 1500;
/** Bounds for the configurable quiet time. */
export const QUIET_MIN_MS = 0;
export const QUIET_MAX_MS = 10_000;

export interface ScanGuard {
  /** True when `code`, seen at `now`, is a new scan; false when it repeats within the quiet time. */
  accept(code: string, now: number): boolean;
  /** Forgets the last code (e.g. the camera was closed). */
  reset(): void;
}

/** A guard that passes a code again only after `quietMs` without seeing it. */
export function scanGuard(quietMs: number): ScanGuard {
  const quiet = Math.min(QUIET_MAX_MS, Math.max(QUIET_MIN_MS, quietMs));
  let last: string | null = null;
  let lastSeen = Number.NEGATIVE_INFINITY;
  return {
    accept(code, now) {
      const repeat = code === last && now - lastSeen < quiet;
      // Every sighting extends the quiet time, so a code held still never repeats.
      last = code;
      lastSeen = now;
      return !repeat;
    },
    reset() {
      last = null;
      lastSeen = Number.NEGATIVE_INFINITY;
    },
  };
}

/** Reads a stored quiet time (ms) or the default. */
export const parseQuiet = (raw: string | null): number => {
  const n = raw === null ? Number.NaN : Number(raw);
  return Number.isFinite(n) ? Math.min(QUIET_MAX_MS, Math.max(QUIET_MIN_MS, Math.round(n))) : DEFAULT_QUIET_MS;
};
