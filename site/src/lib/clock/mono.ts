/**
 * The page's clock that never jumps: epoch-like milliseconds from the time
 * origin plus the monotonic performance clock. Setting the device clock, or a
 * device clock that is simply wrong, does not move it (Date.now() would).
 */
export const monoNow = (): number => performance.timeOrigin + performance.now();

/** A browser's two clocks, for core/clock-sync's ServerClock. */
export const browserClocks = { mono: monoNow, wall: () => Date.now() };
