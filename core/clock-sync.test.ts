import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DisplayClock,
  type OffsetEstimate,
  OffsetEstimator,
  type ClockSample,
  estimateOffset,
  offsetBounds,
  sampleOffset,
  sampleRtt,
} from './clock-sync.ts';

/** CPU-bound fast-check runs: generous on a busy shared machine, where the 5 s default is not a budget. */
const PROPERTY_TIMEOUT = 30_000;

/** A ping sent at client time `t0` to a server whose clock reads client + `offset`, with one-way delays `up` and `down`. */
const sample = (t0: number, offset: number, up: number, down: number): ClockSample => ({
  t0,
  serverTime: t0 + up + offset,
  t1: t0 + up + down,
});

const CLIENT0 = 1_700_000_000_000;

describe('samples', () => {
  it('rtt is the round trip; offset assumes the server read its clock half-way', () => {
    const s = sample(CLIENT0, 5_000, 30, 30);
    expect(sampleRtt(s)).toBe(60);
    expect(sampleOffset(s)).toBe(5_000);
    // Asymmetry shows up as half the difference of the two legs.
    expect(sampleOffset(sample(CLIENT0, 5_000, 80, 20))).toBe(5_030);
  });
});

describe('estimateOffset', () => {
  it('is null without samples', () => {
    expect(estimateOffset([])).toBeNull();
    expect(new OffsetEstimator().estimate()).toBeNull();
  });

  it('symmetric delays give the exact offset, whatever the delays', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -3_600_000, max: 3_600_000 }),
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 30 }),
        (offset, delays) => {
          const samples = delays.map((d, i) => sample(CLIENT0 + i * 1_000, offset, d, d));
          const e = estimateOffset(samples);
          expect(e?.offsetMs).toBeCloseTo(offset, 6);
          expect(e?.rttMs).toBe(2 * Math.min(...delays));
          expect(e?.samples).toBe(delays.length);
        },
      ),
    );
  });

  it('with 50 ms ± 20 ms jitter the estimate is inside the range every sample allows, and within half of it', () => {
    const leg = fc.integer({ min: 30, max: 70 });
    fc.assert(
      fc.property(
        fc.integer({ min: -600_000, max: 600_000 }),
        fc.array(fc.tuple(leg, leg), { minLength: 1, maxLength: 24 }),
        (offset, legs) => {
          const samples = legs.map(([up, down], i) => sample(CLIENT0 + i * 2_000, offset, up, down));
          const bounds = offsetBounds(samples) as { lo: number; hi: number };
          // The truth is in the range; the estimate is its middle, so it is off by at most half of it.
          expect(bounds.lo).toBeLessThanOrEqual(offset);
          expect(bounds.hi).toBeGreaterThanOrEqual(offset);
          const e = estimateOffset(samples) as OffsetEstimate;
          expect(Math.abs(e.offsetMs - offset)).toBeLessThanOrEqual(e.boundMs + 1e-9);
          // The range is no wider than the quickest sample's (plus the server's 1 ms resolution and 100 ppm drift).
          expect(e.boundMs).toBeLessThanOrEqual(e.rttMs / 2 + 1 + 24 * 2_000 * 1e-4);
          // So the error is at most half the jitter span (the one-way legs differ by at most 40 ms), plus those.
          expect(Math.abs(e.offsetMs - offset)).toBeLessThanOrEqual(20 + 1 + 5);
        },
      ),
    );
  });

  it('no delay on one leg pulls it off: lopsided samples each way pin the offset', () => {
    // Two slow samples, each delayed on a different leg, are each 47.5 ms off; together they leave ±6 ms.
    const e = estimateOffset([sample(CLIENT0, 700, 100, 5), sample(CLIENT0 + 500, 700, 5, 100)]) as OffsetEstimate;
    expect(Math.abs(e.offsetMs - 700)).toBeLessThan(0.1);
    expect(e.boundMs).toBeCloseTo(6, 1);
    // The median of the best (both) would be right here by luck; one of them alone is 47.5 ms off.
    expect(estimateOffset([sample(CLIENT0, 700, 100, 5)])?.offsetMs).toBe(747.5);
  });

  it('prefers the lowest-RTT samples over a majority of slow, lopsided outliers', () => {
    const good = [40, 44, 48].map((d, i) => sample(CLIENT0 + i, -2_500, d / 2, d / 2));
    const bad = Array.from({ length: 15 }, (_, i) => sample(CLIENT0 + 100 + i, -2_500, 1_900 + i, 100));
    const e = estimateOffset([...bad.slice(0, 7), ...good, ...bad.slice(7)]);
    expect(e).toMatchObject({ rttMs: 40, spreadMs: 0, samples: 18 });
    expect(e?.offsetMs).toBeCloseTo(-2_500, 6);
    // The same data averaged naively would be off by most of a second.
    const naive = [...good, ...bad].reduce((sum, s) => sum + sampleOffset(s), 0) / 18;
    expect(Math.abs(naive + 2_500)).toBeGreaterThan(500);
  });

  it('takes the median of an even number of best samples', () => {
    const s = [sample(0, 100, 10, 10), sample(0, 140, 10, 10)];
    expect(estimateOffset(s, 2)?.offsetMs).toBe(120);
    expect(estimateOffset(s, 0)?.offsetMs).toBe(100);
  });
});

describe('spread', () => {
  it('is the range of the best samples’ offsets, and 0 for one sample', () => {
    const s = [sample(0, 100, 10, 10), sample(1, 140, 10, 10), sample(2, 120, 10, 10), sample(3, 900, 400, 400)];
    expect(estimateOffset(s)).toMatchObject({ offsetMs: 120, spreadMs: 40, rttMs: 20 });
    expect(estimateOffset(s.slice(0, 1))?.spreadMs).toBe(0);
  });
});

describe('OffsetEstimator', () => {
  it('keeps only the newest window', () => {
    const est = new OffsetEstimator({ window: 5, best: 3 });
    for (let i = 0; i < 8; i++) est.add(sample(CLIENT0 + i, 1_000, 5 + i, 5 + i));
    expect(est.size).toBe(5);
    // The three fastest left in the window are samples 3, 4 and 5.
    expect(est.estimate()).toMatchObject({ offsetMs: 1_000, rttMs: 16, samples: 5 });
  });

  it('starts afresh when a sample contradicts the kept ones: the estimate follows a clock that jumped at once', () => {
    const est = new OffsetEstimator({ window: 24, best: 3 });
    for (let i = 0; i < 10; i++) expect(est.add(sample(CLIENT0 + i, 1_000, 5, 5))).toBe('added');
    // One sample 9 s off, with a 50 ms round trip: no network delay explains it.
    expect(est.add(sample(CLIENT0 + 20, 10_000, 25, 25))).toBe('reset');
    expect(est.estimate()).toMatchObject({ offsetMs: 10_000, rttMs: 50, spreadMs: 0, samples: 1 });
    expect(est.add(sample(CLIENT0 + 30, 10_000, 5, 5))).toBe('added');
    expect(est.estimate()?.offsetMs).toBe(10_000);
  });

  it('never resets on samples a real network could produce, however lopsided', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -600_000, max: 600_000 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 0, max: 2_000 })), {
          minLength: 1,
          maxLength: 40,
        }),
        (offset, legs) => {
          const est = new OffsetEstimator();
          legs.forEach(([up, down], i) => expect(est.add(sample(CLIENT0 + i * 1_000, offset, up, down))).toBe('added'));
        },
      ),
    );
  });

  it('ignores malformed samples', () => {
    const est = new OffsetEstimator();
    expect(est.add({ t0: 10, serverTime: 5, t1: 9 })).toBe('ignored');
    est.add({ t0: Number.NaN, serverTime: 5, t1: 9 });
    est.add({ t0: 0, serverTime: Number.POSITIVE_INFINITY, t1: 9 });
    est.add({ t0: 0, serverTime: 5, t1: Number.POSITIVE_INFINITY });
    est.add({ t0: Number.NEGATIVE_INFINITY, serverTime: 5, t1: 9 });
    expect(est.size).toBe(0);
    est.add({ t0: 0, serverTime: 5, t1: 0 });
    expect(est.estimate()).toEqual({ offsetMs: 5, rttMs: 0, spreadMs: 0, boundMs: 1, samples: 1 });
  });
});

describe('DisplayClock', () => {
  it('reads the client clock until an offset is set, and those readings bind nothing', () => {
    const c = new DisplayClock();
    expect(c.ready).toBe(false);
    // A device 90 s fast renders a few frames before the first estimate (issue 12's frozen viewer).
    expect(c.serverNow(190_000)).toBe(190_000);
    c.setOffset(-90_000);
    expect(c.ready).toBe(true);
    expect(c.serverNow(190_016)).toBe(100_016);
    expect(c.serverNow(190_032)).toBe(100_032);
  });

  it('takes the first offset at once, forward corrections immediately, and jumps when told', () => {
    const c = new DisplayClock();
    c.setOffset(-3_000);
    expect(c.serverNow(10_000)).toBe(7_000);
    c.setOffset(-2_000);
    expect(c.serverNow(10_016)).toBe(8_016);
    c.setOffset(-2_400, { jump: true });
    expect(c.serverNow(10_032)).toBe(7_632);
    expect(c.offsetMs).toBe(-2_400);
  });

  it('slews a small backward correction: the reading slows to a quarter speed, never stops, then is exact', () => {
    const c = new DisplayClock();
    c.setOffset(0);
    let client = 0;
    let last = c.serverNow(client);
    c.setOffset(-384);
    let frames = 0;
    while (c.offsetMs !== -384) {
      client += 16;
      const r = c.serverNow(client);
      expect(r - last).toBe(4);
      last = r;
      frames++;
    }
    expect(frames).toBe(32);
    client += 16;
    expect(c.serverNow(client)).toBe(client - 384);
  });

  it('jumps to a big backward correction rather than showing a wrong time for long', () => {
    const c = new DisplayClock();
    c.setOffset(0);
    c.serverNow(1_000);
    c.setOffset(-90_000);
    expect(c.serverNow(1_016)).toBe(-88_984);
  });

  it('ignores a non-finite offset', () => {
    const c = new DisplayClock();
    c.setOffset(Number.NaN);
    expect(c.ready).toBe(false);
    c.setOffset(250);
    expect(c.serverNow(1_000)).toBe(1_250);
    c.setOffset(Number.NEGATIVE_INFINITY);
    expect(c.serverNow(1_016)).toBe(1_266);
  });

  it('never steps back or stands still except on a jump, and converges to the target', {
    timeout: PROPERTY_TIMEOUT,
  }, () => {
    const op = fc.oneof(
      {
        arbitrary: fc.record({ kind: fc.constant('offset' as const), ms: fc.integer({ min: -3_000, max: 3_000 }) }),
        weight: 1,
      },
      {
        arbitrary: fc.record({ kind: fc.constant('frame' as const), dt: fc.integer({ min: 1, max: 100 }) }),
        weight: 6,
      },
    );
    fc.assert(
      fc.property(fc.integer({ min: -3_000, max: 3_000 }), fc.array(op, { maxLength: 300 }), (first, ops) => {
        const c = new DisplayClock();
        c.setOffset(first);
        let target = first;
        let client = CLIENT0;
        let last = c.serverNow(client);
        let jumped = false;
        for (const o of ops) {
          if (o.kind === 'offset') {
            jumped ||= c.offsetMs - o.ms > 1_000;
            c.setOffset(o.ms);
            target = o.ms;
            continue;
          }
          client += o.dt;
          const r = c.serverNow(client);
          // A jump lands on the target (or slews on from it); otherwise at least quarter speed: never frozen, never back.
          if (jumped) expect(r - client - target).toBeLessThanOrEqual(1_000);
          else expect(r - last).toBeGreaterThanOrEqual(o.dt / 4 - 1e-9);
          expect(r - client).toBeGreaterThanOrEqual(target);
          jumped = false;
          last = r;
        }
        // A slew of up to 1 s finishes within 1.33 s of client time.
        client += 1_400;
        expect(c.serverNow(client)).toBe(client + target);
      }),
      { numRuns: 300 },
    );
  });
});
