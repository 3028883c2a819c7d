/**
 * One requestAnimationFrame loop per page. Each frame reads the server clock
 * once and hands that instant to every subscriber. A render between frames (new
 * state arrived) reads the clock afresh: the frame's reading may be tens of ms
 * old on a busy page, and the first digits shown must be right. Readings are
 * cheap and free of side effects that depend on how often they are taken
 * (DisplayClock slews by elapsed time). The page owns that clock: its island passes it with
 * `useFrameClock` (connecting never sets it). Without one, the loop reads the
 * page's monotonic clock, never Date.now(), which a device clock change moves.
 */
import { monoNow } from './mono.ts';

type FrameFn = (serverNow: number) => void;

const subscribers = new Set<FrameFn>();
let clockNow: () => number = monoNow;
let handle: number | null = null;

/** Sets the clock the loop reads (the page's ClockSync); returns a function that puts the previous one back. */
export function setFrameClock(now: () => number): () => void {
  const previous = clockNow;
  clockNow = now;
  return () => {
    if (clockNow === now) clockNow = previous;
  };
}

/** The server instant now, from the page's clock. */
export function frameNow(): number {
  return clockNow();
}

function loop(): void {
  const now = clockNow();
  for (const fn of subscribers) fn(now);
  handle = subscribers.size ? requestAnimationFrame(loop) : null;
}

export function onFrame(fn: FrameFn): () => void {
  subscribers.add(fn);
  if (handle === null) handle = requestAnimationFrame(loop);
  return () => {
    subscribers.delete(fn);
  };
}
