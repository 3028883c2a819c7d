/**
 * The viewer's chime scheduler against a fake AudioContext: what it queues, at which audio time, and what it
 * cancels when the timer or the clock moves. Plain Node, explicit clocks.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { T0 } from '../../../../core/rooms/fixtures.ts';
import { makeTimer } from '../../../../core/rooms/timer.ts';
import { CHIME_TONES, ChimePlayer } from './chimes.ts';

interface FakeOsc {
  frequency: { value: number };
  type: string;
  startedAt: number | null;
  stoppedAt: number | null;
  /** stop() without a time: cancelled at once. */
  cancelled: boolean;
  onended: (() => void) | null;
  connect: (n: unknown) => unknown;
  start(when: number): void;
  stop(when?: number): void;
}

/** An audio clock: `currentTime` s is heard `latency` s later; `currentTime − latency` is heard at performance time `perf` ms. */
class FakeContext {
  static last: FakeContext | null = null;
  state: AudioContextState = 'suspended';
  currentTime = 100;
  latency = 0.04;
  perf = 5_000;
  oscs: FakeOsc[] = [];
  onstatechange: (() => void) | null = null;
  destination = {};
  constructor() {
    FakeContext.last = this;
  }
  getOutputTimestamp() {
    return { contextTime: this.currentTime - this.latency, performanceTime: this.perf };
  }
  resume() {
    this.state = 'running';
    this.onstatechange?.();
    return Promise.resolve();
  }
  suspend() {
    this.state = 'suspended';
    this.onstatechange?.();
    return Promise.resolve();
  }
  close() {
    this.state = 'closed';
    return Promise.resolve();
  }
  createGain() {
    const param = { value: 1, setValueAtTime() {}, linearRampToValueAtTime() {}, exponentialRampToValueAtTime() {} };
    return { gain: param, connect: (n: unknown) => n, disconnect() {} };
  }
  createOscillator(): FakeOsc {
    const osc: FakeOsc = {
      frequency: { value: 0 },
      type: 'sine',
      startedAt: null,
      stoppedAt: null,
      cancelled: false,
      onended: null,
      connect: (n) => n,
      start(when) {
        this.startedAt = when;
      },
      stop(when) {
        if (when === undefined) this.cancelled = true;
        else this.stoppedAt = when;
      },
    };
    this.oscs.push(osc);
    return osc;
  }
  /** Live first notes of each chime, by kind. */
  standing() {
    return this.oscs
      .filter((o) => !o.cancelled)
      .flatMap((o) => {
        const kind = (Object.keys(CHIME_TONES) as Array<keyof typeof CHIME_TONES>).find(
          (k) => CHIME_TONES[k][0]?.f === o.frequency.value && CHIME_TONES[k][0]?.t === 0,
        );
        return kind && o.startedAt !== null ? [{ kind, when: o.startedAt }] : [];
      });
  }
}

const ALL = { warning: true, danger: true, zero: true };
const room = (chimes = ALL) => ({ warnMs: 3_000, dangerMs: 2_000, chimes });
/** A 5 s countdown started at T0. */
const running = (extra = {}) => makeTimer({ id: 'a', durationMs: 5_000, state: 'running', startedAt: T0, ...extra });

let serverNow = T0;
let perfNow = 5_000;
let store: Record<string, string> = {};
const clock = { now: () => serverNow };

beforeEach(() => {
  vi.useFakeTimers();
  FakeContext.last = null;
  serverNow = T0;
  perfNow = 5_000;
  store = {};
  vi.stubGlobal('window', { AudioContext: FakeContext });
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => store[k] ?? null,
    setItem: (k: string, v: string) => {
      store[k] = v;
    },
  });
  vi.spyOn(performance, 'now').mockImplementation(() => perfNow);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** Audio time at which server instant `at` is heard, while the performance clock and the fake's agree. */
const heardAt = (ctx: FakeContext, at: number) => ctx.currentTime - ctx.latency + (at - serverNow) / 1000;

describe('ChimePlayer', () => {
  it('stays silent until a gesture enables it, then queues each chime at its audio time', () => {
    const p = new ChimePlayer(clock);
    p.update(running(), room());
    expect(p.scheduled).toEqual([]);
    expect(FakeContext.last).toBeNull();
    p.enable();
    const ctx = FakeContext.last as FakeContext;
    expect(p.enabled).toBe(true);
    expect(store['keeptime.sound']).toBe('on');
    expect(p.scheduled.map((c) => c.kind)).toEqual(['warning', 'danger', 'zero']);
    for (const c of p.scheduled) expect(c.when).toBeCloseTo(heardAt(ctx, c.at), 6);
    expect(ctx.standing().map((s) => s.kind)).toEqual(['warning', 'danger', 'zero']);
    p.close();
  });

  it('maps through the output timestamp, so the output latency is included', () => {
    const p = new ChimePlayer(clock);
    p.enable();
    const ctx = FakeContext.last as FakeContext;
    ctx.latency = 0.1;
    p.update(running(), room({ warning: false, danger: false, zero: true }));
    // Zero at T0 + 5 s: heard 5 s after the context time now being heard (currentTime − latency).
    expect(p.scheduled[0]?.when).toBeCloseTo(100 - 0.1 + 5, 6);
    p.close();
    // A context that has produced no output yet has no timestamp: currentTime stands in.
    const fresh = new ChimePlayer(clock);
    fresh.enable();
    (FakeContext.last as FakeContext).perf = 0;
    fresh.update(running(), room({ warning: false, danger: false, zero: true }));
    expect(fresh.scheduled[0]?.when).toBeCloseTo(100 + 5, 6);
    fresh.close();
  });

  it('a pause cancels what is queued; the resume queues the new finish', () => {
    const p = new ChimePlayer(clock);
    p.enable();
    const ctx = FakeContext.last as FakeContext;
    p.update(running(), room({ warning: false, danger: false, zero: true }));
    serverNow = T0 + 1_000;
    p.update(running({ state: 'paused', startedAt: null, pausedAt: T0 + 1_000, accumulatedMs: 1_000 }), room());
    expect(p.scheduled).toEqual([]);
    expect(ctx.standing()).toEqual([]);
    serverNow = T0 + 4_000;
    p.update(
      running({ startedAt: T0 + 4_000, accumulatedMs: 1_000 }),
      room({ warning: false, danger: false, zero: true }),
    );
    expect(p.scheduled.map((c) => [c.kind, c.at])).toEqual([['zero', T0 + 8_000]]);
    expect(ctx.standing()).toHaveLength(1);
    p.close();
  });

  it('a clock estimate that moves re-queues at the new audio time; a tiny one does not', () => {
    const p = new ChimePlayer(clock);
    p.enable();
    const ctx = FakeContext.last as FakeContext;
    p.update(running(), room({ warning: false, danger: false, zero: true }));
    const first = p.scheduled[0]?.when as number;
    serverNow += 3; // 3 ms: within tolerance
    p.sync();
    expect(p.scheduled[0]?.when).toBe(first);
    serverNow += 20; // the estimate moved 23 ms forward: the chime comes 23 ms sooner on the audio clock
    p.sync();
    expect(p.scheduled[0]?.when).toBeCloseTo(first - 0.023, 6);
    expect(ctx.oscs.filter((o) => o.cancelled).length).toBe(CHIME_TONES.zero.length);
    expect(ctx.standing()).toHaveLength(1);
    p.close();
  });

  it('follows the audio clock drifting from the performance clock (the once-a-second pass)', () => {
    const p = new ChimePlayer(clock);
    p.enable();
    const ctx = FakeContext.last as FakeContext;
    p.update(running(), room({ warning: false, danger: false, zero: true }));
    const first = p.scheduled[0]?.when as number;
    // One second later on both clocks, but the audio clock ran 15 ms slow.
    perfNow += 1_000;
    serverNow += 1_000;
    ctx.perf += 1_000;
    ctx.currentTime += 0.985;
    vi.advanceTimersByTime(1_000);
    expect(p.scheduled[0]?.when).toBeCloseTo(first - 0.015, 6);
    p.close();
  });

  it('never repeats a chime that has sounded, and skips one joined too late', () => {
    const p = new ChimePlayer(clock);
    p.enable();
    const ctx = FakeContext.last as FakeContext;
    serverNow = T0 + 2_100; // the warning (T0 + 2 s) is 100 ms past: it still plays, at once
    p.update(running(), room());
    expect(p.scheduled.map((c) => c.kind)).toEqual(['warning', 'danger', 'zero']);
    // 50 ms on: the warning has sounded, yet is still within the late tolerance; it is not queued again.
    ctx.currentTime += 0.05;
    ctx.perf += 50;
    perfNow += 50;
    serverNow += 50;
    p.sync();
    expect(p.scheduled.map((c) => c.kind)).toEqual(['danger', 'zero']);
    expect(ctx.oscs.filter((o) => o.frequency.value === CHIME_TONES.warning[0]?.f)).toHaveLength(1);
    const later = new ChimePlayer(clock);
    serverNow = T0 + 3_300; // joined 300 ms after the danger instant
    later.update(running(), room());
    later.enable();
    expect(later.scheduled.map((c) => c.kind)).toEqual(['zero']);
    p.close();
    later.close();
  });

  it('queues a handful at most, and only within the horizon', () => {
    const p = new ChimePlayer(clock);
    p.enable();
    p.update(running({ durationMs: 10 * 60_000 }), room());
    expect(p.scheduled).toEqual([]);
    serverNow = T0 + 10 * 60_000 - 65_000;
    vi.advanceTimersByTime(1_000);
    expect(p.scheduled.map((c) => c.kind)).toEqual(['warning', 'danger', 'zero']);
    expect(p.scheduled.length).toBeLessThanOrEqual(4);
    p.close();
  });

  it('mute cancels everything and is remembered; the next player asks for a gesture again', () => {
    const p = new ChimePlayer(clock);
    p.enable();
    const ctx = FakeContext.last as FakeContext;
    p.update(running(), room());
    p.mute();
    expect(p.scheduled).toEqual([]);
    expect(ctx.standing()).toEqual([]);
    expect(store['keeptime.sound']).toBe('off');
    expect(p.enabled).toBe(false);
    store['keeptime.sound'] = 'on';
    const next = new ChimePlayer(clock);
    expect(next.status).toEqual({ pref: 'on', running: false });
    expect(next.enabled).toBe(false);
    p.close();
  });
});
