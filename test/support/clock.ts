/**
 * Time in workerd tests without sleeping: move one object's clock forward
 * (`testClockTo`, wired in by TEST_HOOKS=1 in the vitest configs), then run
 * its alarm. The real alarm may have run the row first; either way it runs once.
 */
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import type { KeeptimeObject } from '../../durable-objects/platform/object.ts';

// biome-ignore lint/suspicious/noExplicitAny: any capability's object
export type ClockedStub = DurableObjectStub<KeeptimeObject<any, any>>;

/** Moves the object's clock so it reads at least `instant` (it keeps flowing from there, across evictions). */
export function clockTo(stub: ClockedStub, instant: number): Promise<number> {
  return stub.testClockTo(instant);
}

/** Moves the object's clock by `ms` from its own reading. */
export async function clockAhead(stub: ClockedStub, ms: number): Promise<number> {
  const now = await runInDurableObject(stub, (instance: KeeptimeObject) => instance.clock.now());
  return stub.testClockTo(now + ms);
}

/** Moves the object's clock to `instant`, then runs its alarm. */
export async function alarmAt(stub: ClockedStub, instant: number): Promise<boolean> {
  await clockTo(stub, instant);
  return runDurableObjectAlarm(stub);
}

/** The due time of the object's schedule row of `kind`, or null. */
export function scheduleDue(stub: ClockedStub, kind: string): Promise<number | null> {
  return runInDurableObject(
    stub,
    (_instance, state) =>
      state.storage.sql.exec<{ due: number }>(`SELECT due FROM schedule WHERE kind = ?`, kind).toArray()[0]?.due ??
      null,
  );
}

/** Runs the object's `kind` row at its due time; false when none is scheduled. */
export async function runDue(stub: ClockedStub, kind: string): Promise<boolean> {
  const due = await scheduleDue(stub, kind);
  if (due === null) return false;
  await alarmAt(stub, due);
  return true;
}
