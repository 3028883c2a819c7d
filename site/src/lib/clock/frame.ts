/**
 * One requestAnimationFrame loop per page. Each frame reads the server clock
 * once and hands that instant to every subscriber, so everything on screen
 * shows the same instant. The page owns that clock: its island passes it with
 * `useFrameClock` (connecting never sets it). Without one, the loop reads the
 * page's monotonic clock, never Date.now(), which a device clock change moves.
 */
import { monoNow } from './mono.ts';

type FrameFn = (serverNow: number) => void;

const subscribers = new Set<FrameFn>();
let clockNow: () => number = monoNow;
let handle: number | null = null;
let lastNow = 0;

/** Sets the clock the loop reads (the page's ClockSync); returns a function that puts the previous one back. */
export function setFrameClock(now: () => number): () => void {
  const previous = clockNow;
  clockNow = now;
  return () => {
    if (clockNow === now) clockNow = previous;
  };
}

/** The server instant read at the latest frame (or now, if no frame ran yet). */
export function frameNow(): number {
  return handle === null ? clockNow() : lastNow;
}

function loop(): void {
  lastNow = clockNow();
  for (const fn of subscribers) fn(lastNow);
  handle = subscribers.size ? requestAnimationFrame(loop) : null;
}

export function onFrame(fn: FrameFn): () => void {
  subscribers.add(fn);
  if (handle === null) handle = requestAnimationFrame(loop);
  return () => {
    subscribers.delete(fn);
  };
}
