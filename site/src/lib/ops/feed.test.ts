import { describe, expect, it } from 'vitest';
import { FEED_LIMIT, type OpsNotification, applyFeedMessage, parseFeedMessage } from './feed.ts';
import { isDeadLetter, isDeepHealth, isOpsStats } from './api.ts';

const n = (at: number, kind = 'room-created'): OpsNotification => ({ kind, at, text: `event ${at}` });

describe('ops feed', () => {
  it('parses feed and notification messages and drops anything else', () => {
    expect(parseFeedMessage(JSON.stringify({ type: 'feed', notifications: [n(1)], serverTime: 5 }))?.type).toBe('feed');
    expect(parseFeedMessage(JSON.stringify({ type: 'notification', notification: n(2), serverTime: 5 }))?.type).toBe(
      'notification',
    );
    expect(
      parseFeedMessage(JSON.stringify({ type: 'notification', notification: { kind: 'x' }, serverTime: 5 })),
    ).toBeNull();
    expect(parseFeedMessage('{"type":"pong","serverTime":1}')).toBeNull();
    expect(parseFeedMessage('not json')).toBeNull();
  });

  it('keeps the newest first, once each, and no more than the limit', () => {
    let list = applyFeedMessage([], { type: 'feed', notifications: [n(1), n(3), n(2)], serverTime: 0 });
    expect(list.map((x) => x.at)).toEqual([3, 2, 1]);
    list = applyFeedMessage(list, { type: 'notification', notification: n(4), serverTime: 0 });
    list = applyFeedMessage(list, { type: 'notification', notification: n(4), serverTime: 0 });
    expect(list.map((x) => x.at)).toEqual([4, 3, 2, 1]);
    for (let i = 5; i < FEED_LIMIT + 20; i++)
      list = applyFeedMessage(list, { type: 'notification', notification: n(i), serverTime: 0 });
    expect(list).toHaveLength(FEED_LIMIT);
    expect(list[0]?.at).toBe(FEED_LIMIT + 19);
  });
});

describe('ops guards', () => {
  it('accepts the contract’s health, stats and dead letters', () => {
    expect(isDeepHealth({ status: 'ok', postgres: { ok: true, latencyMs: 3 }, redis: null, timestamp: 1 })).toBe(true);
    expect(
      isDeepHealth({
        status: 'degraded',
        postgres: { ok: false, latencyMs: null },
        redis: { ok: true, latencyMs: 2 },
        timestamp: 1,
      }),
    ).toBe(true);
    expect(isDeepHealth({ status: 'fine', postgres: { ok: true, latencyMs: 3 }, redis: null, timestamp: 1 })).toBe(
      false,
    );
    const stats = {
      sockets: 1,
      rooms: { active: 1, live: 0 },
      sessions: { active: 0 },
      racks: { active: 0 },
      outbox: { pending: 0, oldestPendingAgeMs: null },
      deadLetters: 0,
      opsSockets: 1,
    };
    expect(isOpsStats(stats)).toBe(true);
    expect(isOpsStats({ ...stats, outbox: { pending: 0 } })).toBe(false);
    expect(
      isDeadLetter({ eventId: 'e', object: { kind: 'room', name: 'r' }, kind: 'room.changed', error: null, deadAt: 1 }),
    ).toBe(true);
  });
});
