import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type StatsSession, humanDuration, sessionStats } from './stats.ts';

const DAY = 86_400_000;
const MIN = 60_000;
/** 2026-11-21T15:00:00Z, a Saturday afternoon. */
const NOW = Date.UTC(2026, 10, 21, 15);
/** Noon UTC, `daysAgo` days before NOW's day. */
const noon = (daysAgo: number) => Date.UTC(2026, 10, 21 - daysAgo, 12);
const s = (daysAgo: number, activeMin: number, extra: Partial<StatsSession> = {}): StatsSession => ({
  startTime: noon(daysAgo),
  elapsedMs: activeMin * MIN,
  pausedMs: 0,
  label: null,
  ...extra,
});

describe('sessionStats', () => {
  it('totals, per-day rows (oldest first, zero-filled), average, longest and labels over the period', () => {
    const list = [
      s(0, 30, { label: 'Milking', pausedMs: 5 * MIN }),
      s(0, 10, { label: 'Feeding' }),
      s(2, 60, { label: 'Milking' }),
      s(6, 20),
      s(7, 999), // the day before the period
    ];
    const st = sessionStats(list, { now: NOW, days: 7 });
    expect(st).toMatchObject({
      days: 7,
      from: '2026-11-15',
      to: '2026-11-21',
      totals: { sessions: 4, activeMs: 120 * MIN, pausedMs: 5 * MIN },
      averageMs: 30 * MIN,
      longestMs: 60 * MIN,
    });
    expect(st.perDay.map(({ date, sessions, activeMs }) => ({ date, sessions, activeMs }))).toEqual([
      { date: '2026-11-15', sessions: 1, activeMs: 20 * MIN },
      { date: '2026-11-16', sessions: 0, activeMs: 0 },
      { date: '2026-11-17', sessions: 0, activeMs: 0 },
      { date: '2026-11-18', sessions: 0, activeMs: 0 },
      { date: '2026-11-19', sessions: 1, activeMs: 60 * MIN },
      { date: '2026-11-20', sessions: 0, activeMs: 0 },
      { date: '2026-11-21', sessions: 2, activeMs: 40 * MIN },
    ]);
    expect(st.labels).toEqual([
      { label: 'Milking', sessions: 2, activeMs: 90 * MIN },
      { label: null, sessions: 1, activeMs: 20 * MIN },
      { label: 'Feeding', sessions: 1, activeMs: 10 * MIN },
    ]);
  });

  it('compares with the period before in plain words', () => {
    const thisWeek = Array.from({ length: 14 }, (_, i) => s(i % 7, 22));
    const lastWeek = Array.from({ length: 10 }, (_, i) => s(7 + (i % 7), 25));
    const st = sessionStats([...thisWeek, ...lastWeek], { now: NOW, days: 7 });
    expect(st.insights[0]).toBe('This week: 14 sessions, 12% shorter on average than last week.');
    expect(st.insights[1]).toBe('5 h 8 min of active time, 23% more than last week.');
    expect(st.insights).toContain('14-day streak: at least one session every day.');
  });

  it('says so when there is nothing to compare with, or nothing at all', () => {
    expect(sessionStats([s(0, 45)], { now: NOW, days: 7 }).insights[0]).toBe(
      'This week: 1 session, 45 min on average; nothing last week to compare with.',
    );
    expect(sessionStats([], { now: NOW, days: 7 }).insights).toEqual(['No sessions this week.']);
    expect(sessionStats([s(8, 5), s(9, 5)], { now: NOW, days: 7 }).insights).toEqual([
      'No sessions this week; last week had 2 sessions.',
    ]);
    expect(sessionStats([s(1, 5)], { now: NOW, days: 1 }).insights).toEqual([
      'No sessions today; yesterday had 1 session.',
    ]);
    const same = sessionStats([s(0, 30), s(40, 30)], { now: NOW, days: 30 });
    expect(same.insights.slice(0, 2)).toEqual([
      'Last 30 days: 1 session, about the same length on average as the 30 days before.',
      '30 min of active time, about the same as the 30 days before.',
    ]);
  });

  it('names the longest session, the top label, the share of pauses and auto-stops', () => {
    const st = sessionStats(
      [
        s(0, 90, { label: 'Milking', pausedMs: 10 * MIN }),
        s(1, 30, { label: 'Cleaning', autoStopped: true, pausedMs: 30 * MIN }),
      ],
      { now: NOW, days: 7 },
    );
    expect(st.insights).toEqual(
      expect.arrayContaining([
        'Longest session: 1 h 30 min (“Milking”) on 21 Nov.',
        '“Milking” took 75% of your active time.',
        'Pauses made up 25% of session time.',
        '1 session reached the time limit and stopped by itself.',
        '2-day streak: at least one session every day.',
      ]),
    );
  });

  it('a streak still counts while today is empty, and breaks on a missed day', () => {
    expect(sessionStats([s(1, 5), s(2, 5), s(3, 5)], { now: NOW, days: 7 }).streakDays).toBe(3);
    expect(sessionStats([s(0, 5), s(1, 5), s(3, 5)], { now: NOW, days: 7 }).streakDays).toBe(2);
    expect(sessionStats([s(2, 5)], { now: NOW, days: 7 }).streakDays).toBe(0);
    // The streak is not limited to the period.
    expect(
      sessionStats(
        Array.from({ length: 40 }, (_, i) => s(i, 1)),
        { now: NOW, days: 7 },
      ).streakDays,
    ).toBe(40);
  });

  it('days are local at the given offset', () => {
    // 02:00 UTC on the 21st is still the 20th at UTC−5 (offset 300).
    const early = { startTime: Date.UTC(2026, 10, 21, 2), elapsedMs: MIN, pausedMs: 0, label: null };
    expect(sessionStats([early], { now: NOW, days: 2 }).perDay.map((d) => d.sessions)).toEqual([0, 1]);
    const local = sessionStats([early], { now: NOW, days: 2, tzOffsetMinutes: 300 }).perDay;
    expect(local.map(({ date, sessions, activeMs }) => ({ date, sessions, activeMs }))).toEqual([
      { date: '2026-11-20', sessions: 1, activeMs: MIN },
      { date: '2026-11-21', sessions: 0, activeMs: 0 },
    ]);
  });

  it('per-day rows always add up to the totals', () => {
    const session = fc.record({
      startTime: fc.integer({ min: NOW - 40 * DAY, max: NOW }),
      elapsedMs: fc.integer({ min: 0, max: 12 * 3_600_000 }),
      pausedMs: fc.integer({ min: 0, max: 3_600_000 }),
      label: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: null }),
    });
    fc.assert(
      fc.property(
        fc.array(session, { maxLength: 60 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: -840, max: 840 }),
        (list, days, tz) => {
          const st = sessionStats(list, { now: NOW, days, tzOffsetMinutes: tz });
          expect(st.perDay).toHaveLength(days);
          expect(st.perDay.reduce((n, d) => n + d.sessions, 0)).toBe(st.totals.sessions);
          expect(st.perDay.reduce((n, d) => n + d.activeMs, 0)).toBe(st.totals.activeMs);
          expect(st.labels.reduce((n, l) => n + l.sessions, 0)).toBeLessThanOrEqual(st.totals.sessions);
          expect(st.longestMs).toBeGreaterThanOrEqual(st.averageMs);
          expect(st.insights.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('humanDuration', () => {
  it.each([
    [0, '0 s'],
    [200, '<1 s'],
    [40_000, '40 s'],
    [25 * MIN, '25 min'],
    [60 * MIN, '1 h'],
    [65 * MIN, '1 h 5 min'],
    [12 * 60 * MIN, '12 h'],
  ])('%i ms reads %s', (ms, text) => expect(humanDuration(ms)).toBe(text));

  it('gross, net and breaks per day and in total, the longest break, the split by project and break hints', () => {
    const st = sessionStats(
      [
        s(0, 400, { pausedMs: 20 * MIN, longestPauseMs: 15 * MIN, qualifyingBreakMs: 15 * MIN, projectId: 'p' }),
        s(1, 60, { pausedMs: 5 * MIN, longestPauseMs: 5 * MIN }),
      ],
      {
        now: NOW,
        days: 7,
        breakRule: { name: 'de-arbzg', steps: [{ afterMs: 6 * 60 * MIN, minBreakMs: 30 * MIN }], minPauseMs: 15 * MIN },
        projects: [{ id: 'p', name: 'Dairy', color: '#112233' }],
      },
    );
    expect(st.totals).toMatchObject({
      grossMs: 485 * MIN,
      netMs: 460 * MIN,
      breakMs: 25 * MIN,
      longestBreakMs: 15 * MIN,
    });
    const today = st.perDay[6];
    expect(today).toMatchObject({ grossMs: 420 * MIN, netMs: 400 * MIN, breakMs: 20 * MIN });
    expect(today?.breakHint).toMatchObject({ requiredMs: 30 * MIN, breakMs: 15 * MIN });
    expect(st.perDay[5]?.breakHint).toBeNull();
    expect(st.projects.map((p) => [p.name, p.netMs])).toEqual([
      ['Dairy', 400 * MIN],
      ['No project', 60 * MIN],
    ]);
    expect(st.breakRule).toBe('de-arbzg');
  });

  it('net + breaks = gross, per day and in total (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            d: fc.integer({ min: 0, max: 13 }),
            a: fc.integer({ min: 0, max: 600 }),
            p: fc.integer({ min: 0, max: 120 }),
          }),
          {
            maxLength: 40,
          },
        ),
        (list) => {
          const st = sessionStats(
            list.map((x) => s(x.d, x.a, { pausedMs: x.p * MIN })),
            { now: NOW, days: 7 },
          );
          expect(st.totals.netMs + st.totals.breakMs).toBe(st.totals.grossMs);
          for (const d of st.perDay) expect(d.netMs + d.breakMs).toBe(d.grossMs);
          expect(st.perDay.reduce((n, d) => n + d.grossMs, 0)).toBe(st.totals.grossMs);
        },
      ),
    );
  });
});
