/** ClockSync over a fake socket: what its pings report, and when the page counts as live. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClockSync, type LinkState } from './clock-sync.ts';

const REAL0 = 1_765_000_000_000;

/** A page whose wall clock is `skew` off the server's, on a loopback link (answers within the same instant). */
function setup(skew: number) {
  let real = REAL0;
  let wallShift = skew;
  const sent: Record<string, unknown>[] = [];
  const sync = new ClockSync(
    (msg) => {
      sent.push(msg as Record<string, unknown>);
      return true;
    },
    { clocks: { mono: () => real + skew, wall: () => real + wallShift } },
  );
  const answer = () => {
    for (const m of sent.splice(0)) if (m.type === 'ping') sync.pong(m.t0 as number, real);
  };
  return {
    sync,
    sent,
    answer,
    advance: (ms: number) => {
      real += ms;
      vi.advanceTimersByTime(ms);
    },
    setWall: (shift: number) => {
      wallShift = shift;
    },
    real: () => real,
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ClockSync', () => {
  it('reads server time whatever the device clock says, and reports the wall clock’s error, rtt and spread', () => {
    const p = setup(90_000);
    p.sync.connected();
    p.sync.seed(p.real() - 20);
    expect(p.sync.now() - p.real()).toBe(-20);
    p.advance(0);
    expect(p.sent[0]).toEqual({ type: 'ping', t0: p.real() + 90_000 });
    p.answer();
    expect(p.sync.now()).toBe(p.real());
    p.advance(120);
    expect(p.sent[0]).toEqual({ type: 'ping', t0: p.real() + 90_000, offset: -90_000, rtt: 0, spread: 0 });
    // The device clock is set 10 min back mid-page: the reading stays, the report follows.
    p.setWall(-600_000);
    p.answer();
    p.advance(120);
    expect(p.sync.now()).toBe(p.real());
    expect(p.sent[0]).toMatchObject({ offset: 600_000 });
    expect(p.sync.estimate()?.offsetMs).toBe(600_000);
    p.sync.disconnected();
  });

  it('is live once a state arrives over an open socket; offline since the moment it dropped', () => {
    const p = setup(-45_000);
    const seen: LinkState[] = [];
    p.sync.subscribeLink((l) => seen.push(l));
    expect(seen).toEqual([{ live: false, since: null }]);
    // A snapshot over HTTP before the socket opens does not make the page live.
    p.sync.seed(p.real());
    p.sync.connected();
    expect(p.sync.link.live).toBe(false);
    p.sync.seed(p.real());
    expect(p.sync.link).toEqual({ live: true, since: null });
    p.advance(0);
    p.answer();
    p.advance(5_000);
    const droppedAt = p.real();
    p.sync.disconnected();
    expect(p.sync.link).toEqual({ live: false, since: droppedAt });
    // Open again, but not live until the state comes; the first drop's instant stays.
    p.advance(3_000);
    p.sync.connected();
    p.sync.disconnected();
    expect(p.sync.link).toEqual({ live: false, since: droppedAt });
    p.sync.connected();
    p.sync.seed(p.real());
    expect(p.sync.link).toEqual({ live: true, since: null });
    expect(seen).toHaveLength(4);
    p.sync.disconnected();
  });
});
