/**
 * Server clock estimation over a live socket: a burst of pings on every
 * connect, a few more rounds while the estimate is still loose (a page busy
 * loading answers late), a follow-up burst a few seconds later (once the
 * connection's own start-up traffic has settled), then a small one every
 * ~30 s (core/clock-sync combines the samples).
 * Readings come from the page's monotonic clock, so a device clock that is
 * wrong or changed does not matter. Each ping reports the current estimate
 * against the device's wall clock, so controllers see how wrong each device is.
 * It also tracks whether the page's state is live (socket open and a state
 * received since), for the offline mark.
 */
import { type ClientClocks, type DisplayClock, type OffsetEstimate, ServerClock } from '../../../../core/clock-sync.ts';
import { browserClocks } from './mono.ts';

interface ClockSyncOptions {
  burst?: number;
  spacingMs?: number;
  /** After the connect burst, more pings (rounds of `topUpBurst`) while the estimate is looser than this (± ms). */
  targetBoundMs?: number;
  topUpBurst?: number;
  topUpRounds?: number;
  topUpSpacingMs?: number;
  refreshMs?: number;
  refreshBurst?: number;
  followUpMs?: number;
  followUpBurst?: number;
  /** The clocks to read (tests and headless benches pass their own). */
  clocks?: ClientClocks;
}

/** Whether what the page shows is live, and since when (server time) it has not been. */
export interface LinkState {
  live: boolean;
  /** When the page stopped being live; null while live, or before it first was. */
  since: number | null;
}

const round1 = (v: number) => Math.round(v * 10) / 10;

export class ClockSync {
  private readonly server: ServerClock;
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private refresh: ReturnType<typeof setInterval> | null = null;
  private listeners = new Set<(e: OffsetEstimate | null) => void>();
  private linkListeners = new Set<(l: LinkState) => void>();
  private socketOpen = false;
  private linkState: LinkState = { live: false, since: null };
  private readonly o: Required<Omit<ClockSyncOptions, 'clocks'>>;

  constructor(
    private readonly send: (msg: object) => boolean,
    opts: ClockSyncOptions = {},
  ) {
    const { clocks = browserClocks, ...rest } = opts;
    this.server = new ServerClock(clocks);
    this.o = {
      burst: 12,
      spacingMs: 120,
      targetBoundMs: 10,
      topUpBurst: 4,
      topUpRounds: 3,
      topUpSpacingMs: 250,
      refreshMs: 30_000,
      refreshBurst: 3,
      followUpMs: 5_000,
      followUpBurst: 4,
      ...rest,
    };
  }

  /** The display clock (its `serverNow` takes the monotonic clock's reading). */
  get clock(): DisplayClock {
    return this.server.display;
  }

  /** Server time now, for rendering (small corrections never step it back). */
  now(): number {
    return this.server.now();
  }

  /** The estimate against the device's wall clock: offsetMs = server − Date.now(). */
  estimate(): OffsetEstimate | null {
    return this.server.wallEstimate();
  }

  subscribe(fn: (e: OffsetEstimate | null) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The link state; calls back at once, then on every change. */
  subscribeLink(fn: (l: LinkState) => void): () => void {
    this.linkListeners.add(fn);
    fn(this.linkState);
    return () => this.linkListeners.delete(fn);
  }

  get link(): LinkState {
    return this.linkState;
  }

  /** Call on every (re)connect. */
  connected(): void {
    this.cancel();
    this.socketOpen = true;
    this.burst(this.o.burst);
    this.topUp(this.o.burst * this.o.spacingMs, this.o.topUpRounds);
    this.after(this.o.followUpMs, () => this.burst(this.o.followUpBurst));
    this.refresh = setInterval(() => this.burst(this.o.refreshBurst), this.o.refreshMs);
  }

  disconnected(): void {
    this.cancel();
    this.socketOpen = false;
    if (this.linkState.live) this.setLink({ live: false, since: this.now() });
  }

  /**
   * A state snapshot arrived with the server's time. Until a pong arrives it
   * gives a rough reading (early by the one-way delay; the first pong's
   * estimate replaces it). Over an open socket it also makes the page live.
   */
  seed(serverTime: number): void {
    this.server.seed(serverTime);
    if (this.socketOpen && !this.linkState.live) this.setLink({ live: true, since: null });
  }

  pong(t0: number, serverTime: number): void {
    this.server.pong(t0, serverTime);
    const e = this.estimate();
    for (const fn of this.listeners) fn(e);
  }

  private setLink(l: LinkState): void {
    this.linkState = l;
    for (const fn of this.linkListeners) fn(l);
  }

  private burst(n: number, spacingMs = this.o.spacingMs): void {
    for (let i = 0; i < n; i++) this.after(i * spacingMs, () => this.ping());
  }

  /**
   * A page that is still loading answers pongs late, and a busy network
   * delays one leg: the connect burst can leave a loose estimate. While it is
   * looser than the target, a few more rounds of pings narrow it.
   */
  private topUp(afterMs: number, rounds: number): void {
    if (rounds <= 0) return;
    this.after(afterMs, () => {
      const e = this.server.estimate();
      if (e && e.boundMs <= this.o.targetBoundMs) return;
      this.burst(this.o.topUpBurst, this.o.topUpSpacingMs);
      this.topUp(this.o.topUpBurst * this.o.topUpSpacingMs, rounds - 1);
    });
  }

  private after(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private ping(): void {
    const e = this.estimate();
    const report = e ? { offset: round1(e.offsetMs), rtt: round1(e.rttMs), spread: round1(e.spreadMs) } : {};
    this.send({ type: 'ping', t0: this.server.stamp(), ...report });
  }

  private cancel(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.refresh !== null) clearInterval(this.refresh);
    this.refresh = null;
  }
}
