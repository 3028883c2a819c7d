/**
 * The one clock a Durable Object reads (`this.clock.now()`). Production uses
 * the system clock. Workerd tests move an object's clock forward instead of
 * sleeping (`testClockTo`, TEST_HOOKS=1), then run its alarm with
 * `runDurableObjectAlarm`.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** The system clock moved `offsetMs` ahead: time keeps flowing, from a later instant. */
export const offsetClock = (offsetMs: number): Clock => ({ now: () => systemClock.now() + offsetMs });
