import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localDayNumber, splitDaysByProject } from './day-projects.ts';
import { sessionStats } from './stats.ts';

const MIN = 60_000;
/** 2026-11-21T15:00:00Z. */
const NOW = Date.UTC(2026, 10, 21, 15);
const noon = (daysAgo: number) => Date.UTC(2026, 10, 21 - daysAgo, 12);
const TODAY = localDayNumber(NOW);

describe('splitDaysByProject', () => {
  it('splits each day by project, in one period-wide order (most net time first, no project last on a tie)', () => {
    const split = splitDaysByProject(
      [
        { startTime: noon(0), elapsedMs: 30 * MIN, projectId: 'b' },
        { startTime: noon(0), elapsedMs: 10 * MIN, projectId: 'a' },
        { startTime: noon(0), elapsedMs: 5 * MIN, projectId: 'a' },
        { startTime: noon(1), elapsedMs: 60 * MIN, projectId: 'a' },
        { startTime: noon(1), elapsedMs: 20 * MIN },
        { startTime: noon(2), elapsedMs: 20 * MIN, projectId: null },
        { startTime: noon(2), elapsedMs: 20 * MIN, projectId: 'c' },
        // Outside the period: ignored.
        { startTime: noon(3), elapsedMs: 999 * MIN, projectId: 'z' },
      ],
      { firstDay: TODAY - 2, days: 3 },
    );
    // Period: a 75 min, null 40 min, b 30 min, c 20 min.
    expect(split).toEqual([
      [
        { projectId: null, sessions: 1, netMs: 20 * MIN },
        { projectId: 'c', sessions: 1, netMs: 20 * MIN },
      ],
      [
        { projectId: 'a', sessions: 1, netMs: 60 * MIN },
        { projectId: null, sessions: 1, netMs: 20 * MIN },
      ],
      [
        { projectId: 'a', sessions: 2, netMs: 15 * MIN },
        { projectId: 'b', sessions: 1, netMs: 30 * MIN },
      ],
    ]);
  });

  it('puts a session on its local day (UTC−5: 03:00 UTC is the evening before)', () => {
    const at = Date.UTC(2026, 10, 21, 3);
    const utc = splitDaysByProject([{ startTime: at, elapsedMs: MIN, projectId: 'p' }], {
      firstDay: TODAY - 1,
      days: 2,
    });
    const ny = splitDaysByProject([{ startTime: at, elapsedMs: MIN, projectId: 'p' }], {
      firstDay: TODAY - 1,
      days: 2,
      tzOffsetMinutes: 300,
    });
    expect(utc.map((d) => d.length)).toEqual([0, 1]);
    expect(ny.map((d) => d.length)).toEqual([1, 0]);
  });

  it('a day’s parts add up to its net time and sessions, and every day shares one order (property)', () => {
    const project = fc.constantFrom(null, 'p1', 'p2', 'p3');
    fc.assert(
      fc.property(
        fc.array(fc.record({ d: fc.integer({ min: 0, max: 9 }), a: fc.integer({ min: 0, max: 600 }), p: project }), {
          maxLength: 40,
        }),
        (list) => {
          const sessions = list.map((x) => ({ startTime: noon(x.d), elapsedMs: x.a * MIN, projectId: x.p }));
          const st = sessionStats(
            sessions.map((x) => ({ ...x, pausedMs: 0, label: null })),
            { now: NOW, days: 7 },
          );
          for (const d of st.perDay) {
            expect(d.byProject.reduce((n, p) => n + p.netMs, 0)).toBe(d.netMs);
            expect(d.byProject.reduce((n, p) => n + p.sessions, 0)).toBe(d.sessions);
            d.byProject.forEach((p, i) => {
              if (i > 0) {
                const prev = d.byProject[i - 1]?.projectId ?? null;
                // The same pair of projects is never stacked in both orders on two days.
                const swapped = st.perDay.some((o) => {
                  const ids = o.byProject.map((x) => x.projectId);
                  return ids.indexOf(p.projectId) >= 0 && ids.indexOf(prev) > ids.indexOf(p.projectId);
                });
                expect(swapped).toBe(false);
              }
            });
          }
          // Per project, the days' parts add up to the period's split by project.
          for (const row of st.projects) {
            const sum = st.perDay.reduce(
              (n, d) => n + (d.byProject.find((p) => p.projectId === row.projectId)?.netMs ?? 0),
              0,
            );
            expect(sum).toBe(row.netMs);
          }
        },
      ),
    );
  });
});
