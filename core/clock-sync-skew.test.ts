/**
 * Issue 12: whatever the device clock says (minutes ahead or behind, or changed
 * while the page is open), the reading is right from the first frame after the
 * first pong and stays right, never frozen. A simulated page: the server's clock
 * is the real one; the page has a wall clock (Date.now(), off by the skew) and a
 * monotonic clock (performance.timeOrigin + performance.now(): its origin is read
 * from the same wrong wall clock at load, but it never jumps after that).
 */
import { describe, expect, it } from 'vitest';
import { ServerClock } from './clock-sync.ts';

const T0 = 1_765_000_000_000;
const FRAME = 16;

class SimPage {
  real = T0;
  wallShift: number;
  monoShift: number;
  readonly clock: ServerClock;
  /** [real time, reading] for every frame rendered. */
  readonly frames: [number, number][] = [];

  constructor(skewMs: number) {
    this.wallShift = skewMs;
    this.monoShift = skewMs;
    this.clock = new ServerClock({ mono: () => this.real + this.monoShift, wall: () => this.real + this.wallShift });
  }

  /** Real time passes, with a frame rendered every 16 ms. */
  run(ms: number): void {
    const end = this.real + ms;
    while (this.real + FRAME <= end) {
      this.real += FRAME;
      this.frames.push([this.real, this.clock.now()]);
    }
    this.real = end;
  }

  /** A ping with one-way delays `up` and `down`; frames keep rendering meanwhile. */
  ping(up: number, down: number): void {
    const t0 = this.clock.stamp();
    this.run(up);
    const serverTime = this.real;
    this.run(down);
    this.clock.pong(t0, serverTime);
  }

  /** A room-state that left the server `delay` ms ago. */
  seed(delay: number): void {
    this.clock.seed(this.real - delay);
  }

  /** What the page's connect does: a snapshot, then a burst of 12 pings, 120 ms apart, with ±10 ms of asymmetry. */
  connect(): number {
    this.run(40);
    this.seed(15);
    this.run(10);
    let firstPongAt = 0;
    for (let i = 0; i < 12; i++) {
      const up = 15 + ((i * 7) % 21) - 10;
      this.ping(up, 15);
      if (i === 0) firstPongAt = this.real;
      this.run(120 - up - 15);
    }
    return firstPongAt;
  }

  framesFrom(at: number): [number, number][] {
    return this.frames.filter(([real]) => real > at);
  }
}

/** Every frame after `at` reads within `tolerance` of the server's clock, and each advances by at least a quarter of a frame. */
function expectRightAndMoving(page: SimPage, at: number, tolerance: number): void {
  const frames = page.framesFrom(at);
  expect(frames.length).toBeGreaterThan(50);
  let prev: number | null = null;
  for (const [real, reading] of frames) {
    expect(Math.abs(reading - real), `at +${real - T0} ms`).toBeLessThanOrEqual(tolerance);
    if (prev !== null) expect(reading - prev).toBeGreaterThanOrEqual(FRAME / 4);
    prev = reading;
  }
}

describe('a page whose device clock is wrong', () => {
  for (const [name, skew] of [
    ['90 s ahead', 90_000],
    ['10 min behind', -600_000],
    ['10 min ahead', 600_000],
    ['45 s behind', -45_000],
    ['3 s ahead', 3_000],
    ['right', 0],
  ] as const) {
    it(`${name}: reads right from the first frame after the first pong, and never freezes`, () => {
      const page = new SimPage(skew);
      const firstPong = page.connect();
      page.run(60_000);
      // The asymmetry of ±10 ms bounds the error; the seed alone is within its 15 ms delay.
      expectRightAndMoving(page, firstPong, 10);
      expect(Math.abs((page.clock.wallEstimate()?.offsetMs as number) + skew)).toBeLessThanOrEqual(10);
    });
  }

  it('a device 90 s fast that rendered frames before any estimate is still right after the first pong (the frozen viewer)', () => {
    const page = new SimPage(90_000);
    page.run(500); // frames before the snapshot: readings are the device's own, 90 s fast
    const [real, reading] = page.frames.at(-1) as [number, number];
    expect(reading).toBe(real + 90_000);
    const firstPong = page.connect();
    page.run(75_000);
    expectRightAndMoving(page, firstPong, 10);
  });
});

describe('the first pong is authoritative', () => {
  it('jumps back to it from a seed that was ahead, without waiting for real time to catch up', () => {
    const page = new SimPage(0);
    page.clock.seed(page.real + 5_000);
    page.run(100);
    page.ping(10, 10);
    const at = page.real;
    page.run(2_000);
    expectRightAndMoving(page, at, 0);
  });
});

describe('a device clock changed while the page is open', () => {
  it('does not move the reading; the reported offset follows the new wall clock at once', () => {
    const page = new SimPage(0);
    const firstPong = page.connect();
    page.run(5_000);
    page.wallShift = 120_000; // someone sets the clock 2 min ahead
    page.run(5_000);
    page.ping(15, 15);
    page.wallShift = -300_000; // and then 5 min behind
    page.run(40_000);
    page.ping(15, 15);
    expectRightAndMoving(page, firstPong, 10);
    expect(Math.abs((page.clock.wallEstimate()?.offsetMs as number) - 300_000)).toBeLessThanOrEqual(10);
  });

  it('a monotonic clock that stopped (a laptop asleep) is right again from the next pong', () => {
    const page = new SimPage(-45_000);
    page.connect();
    page.run(3_000);
    // Asleep for 30 s: real time passes, the monotonic clock does not, no frames render.
    page.real += 30_000;
    page.monoShift -= 30_000;
    page.run(200);
    page.ping(15, 15);
    const at = page.real;
    page.run(10_000);
    expectRightAndMoving(page, at, 0);
  });
});
