/**
 * Benchmark counters and test fault hooks, kept out of the base object. They
 * exist only when the environment asks: COUNT_WAKEUPS=1 (set by `npm run bench`)
 * counts entry-point wake-ups in storage; TEST_HOOKS=1 (set by the workerd test
 * configs) lets a test make schedule rows throw and move the object's clock
 * forward. Production sets neither.
 */
import type { JsonStore } from './kv.ts';
import type { ScheduleRow } from './schedule.ts';

type WakeKind = 'fetch' | 'message' | 'alarm';
export type Wakeups = Record<WakeKind, number>;

/** The next `remaining` runs of schedule rows of `kind` throw, before or after their handler ran. */
export interface AlarmFault {
  kind: string;
  when: 'before' | 'after';
  remaining: number;
}

interface HookEnv {
  COUNT_WAKEUPS?: string;
  TEST_HOOKS?: string;
  ENVIRONMENT?: string;
}

export class TestHooks {
  /** Set by tests on the live instance (never persisted). */
  alarmFault: AlarmFault | null = null;

  private constructor(
    private readonly counting: boolean,
    readonly faults: boolean,
    private readonly kv: () => JsonStore,
  ) {}

  /** The hooks this environment asks for, or null (production, and any run that sets neither variable). */
  static wire(env: HookEnv, kv: () => JsonStore): TestHooks | null {
    const counting = env.COUNT_WAKEUPS === '1';
    const faults = env.TEST_HOOKS === '1' && env.ENVIRONMENT === 'development';
    return counting || faults ? new TestHooks(counting, faults, kv) : null;
  }

  countWake(kind: WakeKind): void {
    if (!this.counting) return;
    const counts = this.kv().get<Partial<Wakeups>>('wakeups') ?? {};
    counts[kind] = (counts[kind] ?? 0) + 1;
    this.kv().put('wakeups', counts);
  }

  wakeups(): Wakeups {
    return { ...NO_WAKEUPS, ...(this.kv().get<Partial<Wakeups>>('wakeups') ?? {}) };
  }

  /** How far ahead of the system clock a test moved this object's clock (kept in storage, so it survives eviction). */
  clockOffset(): number {
    return this.faults ? (this.kv().get<number>(CLOCK_OFFSET_KEY) ?? 0) : 0;
  }

  setClockOffset(offsetMs: number): void {
    if (!this.faults) throw new Error('moving the clock needs TEST_HOOKS=1 (and not production)');
    this.kv().put(CLOCK_OFFSET_KEY, offsetMs);
  }

  /** Throws when a fault is set for this row and moment. */
  alarmRow(row: ScheduleRow, when: 'before' | 'after'): void {
    const f = this.alarmFault;
    if (!this.faults || !f || f.kind !== row.kind || f.when !== when || f.remaining <= 0) return;
    f.remaining--;
    throw new Error(`injected alarm fault (${row.kind} ${when}, ${f.remaining} left)`);
  }
}

const CLOCK_OFFSET_KEY = 'test:clock-offset';

export const NO_WAKEUPS: Wakeups = { fetch: 0, message: 0, alarm: 0 };
