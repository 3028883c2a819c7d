/**
 * The one clock a Durable Object reads (`this.clock.now()`). Production uses
 * the system clock; workerd tests pin it on the live instance, then run the
 * alarm with `runDurableObjectAlarm` instead of sleeping.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that reads `at` until moved; tests set it through runInDurableObject. */
export class PinnedClock implements Clock {
  constructor(public at: number) {}
  now(): number {
    return this.at;
  }
  /** Moves the clock forward by `ms`. */
  advance(ms: number): number {
    this.at += ms;
    return this.at;
  }
}
