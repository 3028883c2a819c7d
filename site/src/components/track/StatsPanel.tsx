/**
 * Statistics for the last 7 or 30 days: figure tiles, active time per day,
 * plain-language insights and the per-label breakdown. Reloads when a
 * session stops (`refreshKey`).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { humanDuration } from '../../../../core/sessions/stats.ts';
import { errorText } from '../../lib/net/api.ts';
import { type SessionStatsView, fetchStats } from '../../lib/sessions/api.ts';
import { StatTile } from '../common/StatTile.tsx';
import { DayChart } from './DayChart.tsx';
import { LabelBreakdown } from './LabelBreakdown.tsx';

const PERIODS = [7, 30] as const;

export function StatsPanel({ refreshKey }: { refreshKey: unknown }) {
  const [days, setDays] = useState<(typeof PERIODS)[number]>(7);
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
            label="Active time"
            value={s ? humanDuration(s.totals.activeMs) : undefined}
            sub={s?.totals.pausedMs ? `${humanDuration(s.totals.pausedMs)} paused` : undefined}
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
        <h2>Active time per day · last {days} days</h2>
        {s ? <DayChart days={s.perDay} /> : <p class="kt-muted">Loading…</p>}
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
