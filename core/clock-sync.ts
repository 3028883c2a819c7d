/**
 * NTP-style clock offset estimation from ping/pong samples, and a display clock
 * that never visibly steps backwards when the estimate moves.
 */

// ── Samples ──────────────────────────────────────────────────────────────
export interface ClockSample {
  /** Client time the ping was sent. */
  t0: number;
  /** Server time in the pong. */
  serverTime: number;
  /** Client time the pong arrived. */
  t1: number;
}

export interface OffsetEstimate {
  /** serverTime ≈ clientTime + offsetMs */
  offsetMs: number;
  /** RTT of the best sample used. */
  rttMs: number;
  samples: number;
}

export const sampleRtt = (s: ClockSample): number => s.t1 - s.t0;
/** Assumes a symmetric path: the server read its clock half an RTT after t0. */
export const sampleOffset = (s: ClockSample): number => s.serverTime - (s.t0 + s.t1) / 2;

interface EstimatorOptions {
  /** How many samples to keep (newest). */
  window: number;
  /** How many of the lowest-RTT samples to average. */
  best: number;
}

/** Keeps a window of samples; estimates from the lowest-RTT ones, whose asymmetry error is smallest. */
export class OffsetEstimator {
  private samples: ClockSample[] = [];
  constructor(private readonly opts: EstimatorOptions = { window: 24, best: 3 }) {}

  /** Adds a sample; ignores malformed ones (non-finite times, a pong received before its ping). */
  add(s: ClockSample): void {
    if (![s.t0, s.t1, s.serverTime].every(Number.isFinite) || sampleRtt(s) < 0) return;
    this.samples.push(s);
    if (this.samples.length > this.opts.window) this.samples.shift();
  }

  estimate(): OffsetEstimate | null {
    return estimateOffset(this.samples, this.opts.best);
  }

  get size(): number {
    return this.samples.length;
  }
}

/** Median offset of the `best` lowest-RTT samples. */
export function estimateOffset(samples: readonly ClockSample[], best = 3): OffsetEstimate | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => sampleRtt(a) - sampleRtt(b)).slice(0, Math.max(1, best));
  const offsets = sorted.map(sampleOffset).sort((a, b) => a - b);
  const mid = offsets.length >> 1;
  const offsetMs =
    offsets.length % 2 ? (offsets[mid] as number) : ((offsets[mid - 1] as number) + (offsets[mid] as number)) / 2;
  return { offsetMs, rttMs: sampleRtt(sorted[0] as ClockSample), samples: samples.length };
}

// ── Display clock ────────────────────────────────────────────────────────
/**
 * Server-time reading for rendering. A new offset estimate is slewed in rather
 * than jumped to when it would move time backwards: the reading never goes back
 * by more than `maxBackStepMs` between two frames.
 */
export class DisplayClock {
  private offset = 0;
  private target = 0;
  private lastReading = -Infinity;
  private initialised = false;

  constructor(private readonly maxBackStepMs = 50) {}

  setOffset(offsetMs: number): void {
    // A NaN would stick in lastReading forever and blank the display.
    if (!Number.isFinite(offsetMs)) return;
    this.target = offsetMs;
    if (!this.initialised) {
      this.offset = offsetMs;
      this.initialised = true;
    }
  }

  get offsetMs(): number {
    return this.offset;
  }

  /** Estimated server time for a client clock reading (e.g. Date.now()). */
  serverNow(clientNow: number): number {
    // Forward corrections apply at once (time only appears to speed up);
    // backward ones slew, at most half the allowed back-step per frame.
    if (this.target > this.offset) this.offset = this.target;
    else if (this.target < this.offset) this.offset = Math.max(this.target, this.offset - this.maxBackStepMs / 2);
    let reading = clientNow + this.offset;
    if (reading < this.lastReading - this.maxBackStepMs) reading = this.lastReading - this.maxBackStepMs;
    this.lastReading = Math.max(this.lastReading, reading);
    return reading;
  }
}
