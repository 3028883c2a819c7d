/** Small Preact hooks over the client lib's observables and the frame loop. */
import { useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import { frameNow, onFrame, setFrameClock } from '../../lib/clock/frame.ts';

interface Observable<T> {
  subscribe(fn: (v: T) => void): () => void;
}

/** The latest value of an observable that calls back at once on subscribe. */
export function useObservable<T>(src: Observable<T>, initial: T): T {
  const [v, setV] = useState(initial);
  useEffect(() => src.subscribe(setV), [src]);
  return v;
}

/**
 * A value derived from the server clock, re-read every animation frame; the
 * component re-renders only when `same` says the value changed (e.g. the text).
 */
export function useFrameValue<T>(compute: (now: number) => T, same: (a: T, b: T) => boolean): T {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const shown = useRef<T | null>(null);
  const computeRef = useRef(compute);
  computeRef.current = compute;
  useEffect(
    () =>
      onFrame((now) => {
        const next = computeRef.current(now);
        if (shown.current === null || !same(shown.current, next)) rerender(0);
      }),
    [],
  );
  const value = compute(frameNow());
  shown.current = value;
  return value;
}

/**
 * Makes `clock` (the island's connection clock) the one the page's frame loop
 * reads while the island is mounted. It is set during render, so the first
 * paint already reads it.
 */
export function useFrameClock(clock: { now(): number } | null): void {
  const restore = useMemo(() => (clock ? setFrameClock(() => clock.now()) : null), [clock]);
  useEffect(() => () => restore?.(), [restore]);
}
