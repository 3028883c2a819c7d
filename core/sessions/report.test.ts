import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DE_ARBZG, type ReportEntry, breakHint, buildReport } from './report.ts';

const H = 3_600_000;
const MIN = 60_000;
const DAY = 86_400_000;
const D0 = Date.UTC(2026, 10, 2);
const e = (
  day: number,
  startH: number,
  hours: number,
  pauses: number[] = [],
  extra: Partial<ReportEntry> = {},
): ReportEntry => {
  const startTime = D0 + day * DAY + startH * H;
  let at = startTime + H;
  const pauseSegments = pauses.map((len) => {
    const p = { pausedAt: at, resumedAt: at + len };
    at += len + H;
    return p;
  });
  const pausedMs = pauses.reduce((n, p) => n + p, 0);
  return {
    id: `${day}-${startH}`,
    startTime,
    durationMs: hours * H,
    elapsedMs: hours * H - pausedMs,
    pausedMs,
    pauseSegments,
    projectId: null,
    taskId: null,
    ...extra,
  };
};
const opts = { from: D0, to: D0 + 7 * DAY, tzOffsetMinutes: 0, projectId: null, breakRule: null };

describe('buildReport', () => {
  it('totals, a row for every day, projects with shares, tasks against estimates', () => {
    const r = buildReport(
      [
        e(0, 8, 4, [15 * MIN], { projectId: 'p', taskId: 't' }),
        e(0, 13, 2, [], { projectId: 'p' }),
        e(2, 9, 3),
        e(9, 9, 3), // outside the range
      ],
      [{ id: 'p', name: 'Dairy', color: '#123456', client: 'Farm' }],
      [{ id: 't', projectId: 'p', title: 'Milk', estimateMs: 5 * H }],
      opts,
    );
    expect(r.totals).toEqual({
      entries: 3,
      grossMs: 9 * H,
      netMs: 9 * H - 15 * MIN,
      breakMs: 15 * MIN,
      longestBreakMs: 15 * MIN,
    });
    expect(r.days).toHaveLength(7);
    expect(r.days[0]).toMatchObject({ date: '2026-11-02', entries: 2, grossMs: 6 * H, breakMs: 15 * MIN });
    expect(r.days[1]).toMatchObject({ entries: 0, grossMs: 0 });
    expect(r.projects.map((p) => [p.name, p.netMs, p.client])).toEqual([
      ['Dairy', 6 * H - 15 * MIN, 'Farm'],
      ['No project', 3 * H, null],
    ]);
    expect(r.projects.reduce((n, p) => n + p.sharePct, 0)).toBeCloseTo(100, 0);
    expect(r.tasks).toEqual([
      { projectId: 'p', taskId: 't', title: 'Milk', entries: 1, netMs: 4 * H - 15 * MIN, estimateMs: 5 * H },
    ]);
    const only = buildReport([e(0, 8, 4, [], { projectId: 'p' }), e(0, 13, 2)], [], [], { ...opts, projectId: 'p' });
    expect(only.totals.entries).toBe(1);
  });

  it('days follow the caller’s offset', () => {
    // 23:30 UTC is the next day at UTC+1 (offset −60).
    const late = { ...e(0, 0, 1), startTime: D0 + 23 * H + 30 * MIN };
    expect(buildReport([late], [], [], opts).days[0]?.entries).toBe(1);
    expect(buildReport([late], [], [], { ...opts, tzOffsetMinutes: -60 }).days[1]?.entries).toBe(1);
  });

  it('the German break rule: 30 min after 6 h, 45 min after 9 h, pauses of 15 min or more', () => {
    expect(breakHint(DE_ARBZG, 6 * H, 0)).toBeNull();
    expect(breakHint(DE_ARBZG, 6 * H + 1, 29 * MIN)).toMatchObject({ requiredMs: 30 * MIN });
    expect(breakHint(DE_ARBZG, 7 * H, 30 * MIN)).toBeNull();
    expect(breakHint(DE_ARBZG, 9 * H + 1, 30 * MIN)).toMatchObject({
      requiredMs: 45 * MIN,
      text: '≥45 min of breaks after 9 h of work (30 min taken)',
    });
    expect(breakHint(null, 12 * H, 0)).toBeNull();
    const r = buildReport([e(0, 7, 8, [10 * MIN, 10 * MIN])], [], [], { ...opts, breakRule: DE_ARBZG });
    // Two 10 min pauses: 20 min of breaks, none of which counts.
    expect(r.days[0]?.breakHint).toMatchObject({ requiredMs: 30 * MIN, breakMs: 0 });
  });

  it('per day and in total, net + breaks = gross, and the days add up to the totals (property)', () => {
    const entry = fc.record({
      day: fc.integer({ min: -2, max: 9 }),
      startH: fc.integer({ min: 0, max: 20 }),
      hours: fc.integer({ min: 1, max: 3 }),
      pauses: fc.array(fc.integer({ min: 1, max: 20 * MIN }), { maxLength: 2 }),
      project: fc.constantFrom(null, 'a', 'b'),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 30 }), fc.integer({ min: -600, max: 600 }), (list, tz) => {
        const entries = list.map((x, i) => ({
          ...e(x.day, x.startH, x.hours, x.pauses, { projectId: x.project }),
          id: String(i),
        }));
        const r = buildReport(entries, [], [], { ...opts, tzOffsetMinutes: tz });
        expect(r.totals.netMs + r.totals.breakMs).toBe(r.totals.grossMs);
        for (const d of r.days) expect(d.netMs + d.breakMs).toBe(d.grossMs);
        const inRange = entries.filter((x) => x.startTime >= opts.from && x.startTime < opts.to);
        expect(r.totals.entries).toBe(inRange.length);
        expect(r.days.reduce((n, d) => n + d.grossMs, 0)).toBe(r.totals.grossMs);
        expect(r.projects.reduce((n, p) => n + p.netMs, 0)).toBe(r.totals.netMs);
      }),
    );
  });
});
