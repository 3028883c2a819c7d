/**
 * Statistics for the last 7 or 30 days: figure tiles, active time per day,
 * plain-language insights and the per-label breakdown. Reloads when a
 * session stops (`refreshKey`).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { humanDuration } from '../../lib/format/duration.ts';
import { errorText } from '../../lib/net/api.ts';
import { type SessionStatsView, fetchStats } from '../../lib/sessions/api.ts';
import { splitLegend } from '../../lib/sessions/day-split.ts';
import type { Project } from '../../lib/sessions/projects.ts';
import { StatTile } from '../common/StatTile.tsx';
import { DayChart } from './DayChart.tsx';
import { LabelBreakdown } from './LabelBreakdown.tsx';
import { DayFigures, ProjectSplit } from './StatsParts.tsx';

const PERIODS = [7, 30] as const;

const SPLIT_KEY = 'kt.track.splitByProject';
const readSplit = () => {
  try {
    return localStorage.getItem(SPLIT_KEY) === '1';
  } catch {
    return false;
  }
};

interface Props {
  refreshKey: unknown;
  /** The user's projects now (names and colours for the split; null while loading). */
  projects: Project[] | null;
}

export function StatsPanel({ refreshKey, projects }: Props) {
  const [days, setDays] = useState<(typeof PERIODS)[number]>(7);
  const [splitOn, setSplitOn] = useState(readSplit);
  const toggleSplit = () => {
    const next = !splitOn;
    setSplitOn(next);
    try {
      localStorage.setItem(SPLIT_KEY, next ? '1' : '0');
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  };
  const [stats, setStats] = useState<SessionStatsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const gen = useRef(0);

  const load = () => {
    const g = ++gen.current;
    fetchStats(days).then(
      (s) => {
        if (g !== gen.current) return;
        setStats(s);
        setError(null);
      },
      (e: unknown) => g === gen.current && setError(errorText(e)),
    );
  };
  useEffect(load, [days, refreshKey]);

  const s = stats;
  const split = s && splitOn ? splitLegend(s.projects, projects) : null;
  return (
    <>
      <section class="kt-card trk-stats" aria-label="Statistics" data-testid="stats-panel" data-days={days}>
        <div class="kt-card-head">
          <h2>Statistics</h2>
          <div class="ctl-tabs trk-period" role="tablist" aria-label="Period">
            {PERIODS.map((n) => (
              <button
                key={n}
                type="button"
                role="tab"
                class="ctl-tabs__tab"
                aria-selected={days === n ? 'true' : 'false'}
                onClick={() => setDays(n)}
                data-testid={`stats-days-${n}`}
              >
                {n} days
              </button>
            ))}
          </div>
        </div>
        {error ? (
          <p class="kt-alert" role="alert" data-testid="stats-error">
            Could not load your statistics: {error}{' '}
            <button type="button" class="kt-btn kt-btn--small" onClick={load}>
              Try again
            </button>
          </p>
        ) : null}
        {s?.partial ? (
          <p class="kt-alert kt-alert--warn" role="status" data-testid="stats-partial">
            The history database can’t be reached: these figures count only your most recent sessions.
          </p>
        ) : null}
        <div class="kt-stats trk-tiles">
          <StatTile
            id="active"
            label="Net time"
            value={s ? humanDuration(s.totals.netMs) : undefined}
            sub="running, without breaks"
          />
          <StatTile
            id="break"
            label="Breaks"
            value={s ? humanDuration(s.totals.breakMs) : undefined}
            sub={s && s.totals.longestBreakMs > 0 ? `longest ${humanDuration(s.totals.longestBreakMs)}` : 'the pauses'}
          />
          <StatTile
            id="gross"
            label="Gross time"
            value={s ? humanDuration(s.totals.grossMs) : undefined}
            sub="start to stop"
          />
          <StatTile id="sessions" label="Sessions" value={s?.totals.sessions} />
          <StatTile
            id="average"
            label="Average"
            value={s ? humanDuration(s.averageMs) : undefined}
            sub="active per session"
          />
          <StatTile
            id="longest"
            label="Longest"
            value={s && s.longestMs !== null ? humanDuration(s.longestMs) : undefined}
          />
          <StatTile
            id="streak"
            label="Streak"
            value={s ? `${s.streakDays} ${s.streakDays === 1 ? 'day' : 'days'}` : undefined}
            sub="in a row, up to today"
          />
        </div>
      </section>
      <section class="kt-card trk-chart-card" aria-label="Active time per day">
        <div class="kt-card-head">
          <h2>Active time per day · last {days} days</h2>
          <button
            type="button"
            class="kt-btn kt-btn--small trk-split-toggle"
            aria-pressed={splitOn ? 'true' : 'false'}
            onClick={toggleSplit}
            data-testid="chart-split-toggle"
          >
            Split by project
          </button>
        </div>
        {s ? <DayChart days={s.perDay} split={split} /> : <p class="kt-muted">Loading…</p>}
        {s ? <DayFigures days={s.perDay} breakRule={s.breakRule} /> : null}
        {s && s.projects.length > 0 && !split ? <ProjectSplit projects={s.projects} /> : null}
      </section>
      <section class="kt-card trk-insights-card" aria-label="Insights">
        <h2>Insights</h2>
        {s === null ? (
          <p class="kt-muted">Loading…</p>
        ) : (
          <ul class="trk-insights" data-testid="insights">
            {(s.insights.length > 0 ? s.insights : ['Insights appear once you have a few sessions.']).map((t) => (
              <li key={t} data-testid="insight">
                {t}
              </li>
            ))}
          </ul>
        )}
        {s && s.labels.length > 0 ? <LabelBreakdown labels={s.labels} /> : null}
      </section>
    </>
  );
}
