/**
 * NTP-style clock offset estimation from ping/pong samples, a display clock
 * that never visibly steps backwards for a small correction, and the server
 * clock a page reads (the two together).
 *
 * Every client instant here comes from one clock that never jumps (in a
 * browser, performance.timeOrigin + performance.now()). A device clock that is
 * minutes off, or is changed while the page is open, cannot move the display:
 * the device's wall clock (Date.now()) is read only to report how wrong it is
 * (issue 12: a device 90 s fast froze for over a minute, 76 s off).
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
  /** Spread between the offsets of the best samples (max − min): a sync-quality figure. */
  spreadMs: number;
  /** The estimate is within ±boundMs of the truth, if the clocks ran true meanwhile. */
  boundMs: number;
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
  /**
   * Slack (ms) before a sample counts as contradicting the others. The true
   * offset lies within ±rtt/2 of a sample's offset (the server read its clock
   * between t0 and t1); a new sample whose range misses the kept samples' by
   * more than this means a clock jumped (a laptop slept, the server's clock was set).
   */
  toleranceMs: number;
}

const ESTIMATOR_DEFAULTS: EstimatorOptions = { window: 24, best: 3, toleranceMs: 25 };

/** Keeps a window of samples and estimates from them all (estimateOffset). */
export class OffsetEstimator {
  private samples: ClockSample[] = [];
  private readonly opts: EstimatorOptions;

  constructor(opts: Partial<EstimatorOptions> = {}) {
    this.opts = { ...ESTIMATOR_DEFAULTS, ...opts };
  }

  /**
   * Adds a sample; ignores malformed ones (non-finite times, a pong received
   * before its ping). A sample that contradicts the kept ones starts the
   * window afresh, so the estimate follows a clock that jumped at once.
   */
  add(s: ClockSample): 'added' | 'reset' | 'ignored' {
    if (![s.t0, s.t1, s.serverTime].every(Number.isFinite) || sampleRtt(s) < 0) return 'ignored';
    if (this.contradicts(s)) {
      this.samples = [s];
      return 'reset';
    }
    this.samples.push(s);
    if (this.samples.length > this.opts.window) this.samples.shift();
    return 'added';
  }

  estimate(): OffsetEstimate | null {
    return estimateOffset(this.samples, this.opts.best);
  }

  get size(): number {
    return this.samples.length;
  }

  /** Whether `s`'s range misses the range the kept samples allow (or, if they disagree already, the best one's). */
  private contradicts(s: ClockSample): boolean {
    if (this.samples.length === 0) return false;
    const range = offsetBounds(this.samples) ?? rangeOf(this.best());
    const slack = sampleRtt(s) / 2 + this.opts.toleranceMs;
    return sampleOffset(s) + slack < range.lo || sampleOffset(s) - slack > range.hi;
  }

  private best(): ClockSample {
    return this.samples.reduce((a, b) => (sampleRtt(b) < sampleRtt(a) ? b : a));
  }
}

const rangeOf = (s: ClockSample) => ({
  lo: sampleOffset(s) - sampleRtt(s) / 2,
  hi: sampleOffset(s) + sampleRtt(s) / 2,
});

/** How fast two clocks may drift apart (100 ppm, a poor quartz): an older sample's range widens by this much. */
const DRIFT_PER_MS = 1e-4;
/** The server's clock reads whole milliseconds. */
const SERVER_RESOLUTION_MS = 1;

/**
 * The range the true offset must lie in, by every sample at once: each says
 * the server read its clock between t0 and t1, i.e. within ±rtt/2 of its
 * offset (widened by the server clock's resolution, and for drift since it was
 * taken). Null if they contradict.
 */
export function offsetBounds(samples: readonly ClockSample[]): { lo: number; hi: number } | null {
  if (samples.length === 0) return null;
  const newest = Math.max(...samples.map((s) => s.t1));
  let lo = Number.NEGATIVE_INFINITY;
  let hi = Number.POSITIVE_INFINITY;
  for (const s of samples) {
    const slack = sampleRtt(s) / 2 + SERVER_RESOLUTION_MS + (newest - s.t1) * DRIFT_PER_MS;
    lo = Math.max(lo, sampleOffset(s) - slack);
    hi = Math.min(hi, sampleOffset(s) + slack);
  }
  return lo <= hi ? { lo, hi } : null;
}

/**
 * The middle of the samples' common range (offsetBounds), which no delay on
 * either leg can pull outside it; if they contradict, the median offset of the
 * `best` lowest-RTT samples. `spreadMs` is always the range of those best offsets.
 */
export function estimateOffset(samples: readonly ClockSample[], best = 3): OffsetEstimate | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => sampleRtt(a) - sampleRtt(b)).slice(0, Math.max(1, best));
  const offsets = sorted.map(sampleOffset).sort((a, b) => a - b);
  const mid = offsets.length >> 1;
  const median =
    offsets.length % 2 ? (offsets[mid] as number) : ((offsets[mid - 1] as number) + (offsets[mid] as number)) / 2;
  const bounds = offsetBounds(samples);
  return {
    offsetMs: bounds ? (bounds.lo + bounds.hi) / 2 : median,
    rttMs: sampleRtt(sorted[0] as ClockSample),
    spreadMs: (offsets.at(-1) as number) - (offsets[0] as number),
    boundMs: bounds ? (bounds.hi - bounds.lo) / 2 : sampleRtt(sorted[0] as ClockSample) / 2,
    samples: samples.length,
  };
}

// ── Display clock ────────────────────────────────────────────────────────
interface DisplayClockOptions {
  /** A correction bigger than this is jumped to, either way: a wrong display is worse than one step. */
  jumpMs: number;
  /**
   * A smaller backward correction is slewed: meanwhile the reading advances at
   * (1 − slewRate) of real speed. It never goes back and never stands still.
   */
  slewRate: number;
}

const DISPLAY_DEFAULTS: DisplayClockOptions = { jumpMs: 1_000, slewRate: 0.75 };

/**
 * Server-time reading for rendering, from a monotonic client clock. The first
 * offset, and any offset set with `jump`, applies at once; later forward
 * corrections apply at once (time only appears to speed up); later backward
 * ones up to `jumpMs` slew, so the reading never steps back; bigger ones jump.
 */
export class DisplayClock {
  private offset = 0;
  private target = 0;
  private hasOffset = false;
  private lastClient: number | null = null;
  private readonly opts: DisplayClockOptions;

  constructor(opts: Partial<DisplayClockOptions> = {}) {
    this.opts = { ...DISPLAY_DEFAULTS, ...opts };
  }

  setOffset(offsetMs: number, opts: { jump?: boolean } = {}): void {
    // A NaN would stick in the offset and blank the display.
    if (!Number.isFinite(offsetMs)) return;
    this.target = offsetMs;
    const back = this.offset - offsetMs;
    if (!this.hasOffset || opts.jump || back < 0 || back > this.opts.jumpMs) this.offset = offsetMs;
    this.hasOffset = true;
  }

  /** Whether any offset was set (before that, readings are the client clock itself). */
  get ready(): boolean {
    return this.hasOffset;
  }

  get offsetMs(): number {
    return this.offset;
  }

  /** Estimated server time at a monotonic client clock reading. */
  serverNow(clientNow: number): number {
    if (this.target < this.offset && this.lastClient !== null) {
      // Slew by a share of the time since the last reading: however often it is read, it only slows down.
      const dt = Math.max(0, clientNow - this.lastClient);
      this.offset = Math.max(this.target, this.offset - dt * this.opts.slewRate);
    }
    this.lastClient = clientNow;
    return clientNow + this.offset;
  }
}

// ── Server clock ─────────────────────────────────────────────────────────
/** The two clocks a client has. */
export interface ClientClocks {
  /** Never jumps (performance.timeOrigin + performance.now()): every estimate and reading is based on it. */
  mono(): number;
  /** The device's wall clock (Date.now()), possibly wrong or changed: only to report how wrong it is. */
  wall(): number;
}

/**
 * The server clock as one page sees it: samples in, readings out. A snapshot
 * seeds a rough offset; the first pong's estimate is authoritative (jumped to),
 * later ones are corrections (DisplayClock).
 */
export class ServerClock {
  readonly display: DisplayClock;
  private readonly estimator: OffsetEstimator;
  private synced = false;

  constructor(
    private readonly clocks: ClientClocks,
    opts: { estimator?: Partial<EstimatorOptions>; display?: Partial<DisplayClockOptions> } = {},
  ) {
    this.estimator = new OffsetEstimator(opts.estimator);
    this.display = new DisplayClock(opts.display);
  }

  /** Estimated server time now. */
  now(): number {
    return this.display.serverNow(this.clocks.mono());
  }

  /** The client time to put in a ping's `t0`. */
  stamp(): number {
    return this.clocks.mono();
  }

  /** A rough reading from a snapshot's serverTime (early by the one-way delay), used only until a pong arrives. */
  seed(serverTime: number): void {
    if (this.estimator.size === 0) this.display.setOffset(serverTime - this.clocks.mono());
  }

  /** A pong for a ping stamped `t0`; returns the new estimate (against the monotonic clock). */
  pong(t0: number, serverTime: number): OffsetEstimate | null {
    if (this.estimator.add({ t0, serverTime, t1: this.clocks.mono() }) === 'ignored') return this.estimator.estimate();
    const e = this.estimator.estimate();
    if (e) {
      this.display.setOffset(e.offsetMs, { jump: !this.synced });
      this.synced = true;
    }
    return e;
  }

  /** The estimate against the monotonic clock. */
  estimate(): OffsetEstimate | null {
    return this.estimator.estimate();
  }

  /** The estimate against the device's wall clock (server − Date.now()): how wrong this device's clock is. */
  wallEstimate(): OffsetEstimate | null {
    const e = this.estimator.estimate();
    return e && { ...e, offsetMs: e.offsetMs + this.clocks.mono() - this.clocks.wall() };
  }
}
