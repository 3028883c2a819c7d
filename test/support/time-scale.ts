/**
 * How much slower than a quiet machine the tests allow for. Timeouts and
 * deadlines are written as quiet-machine figures and multiplied by this
 * factor, so a loaded 2-core machine (about 3× slower) still passes; the times
 * a test measured are printed and belong to `npm run bench`, not to a bound.
 * TEST_TIME_SCALE overrides the default of 3 (inside workerd it stays 3).
 */
const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;

export const TIME_SCALE: number = Math.max(1, Number(env?.TEST_TIME_SCALE ?? 3) || 3);

/** A quiet-machine duration in ms, scaled for a loaded one. */
export const scaled = (ms: number): number => Math.round(ms * TIME_SCALE);
