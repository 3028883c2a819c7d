/** Planned vs actual per run, as horizontal bars: the grey track is the plan, blue the time run within it, red the overtime. */
import { type TimerRun, hasOvertime, spanText } from '../../lib/rooms/history.ts';
import { chartRows } from '../../lib/rooms/run-chart.ts';

const ROW = 40;
const clip = (s: string, n = 30) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function RunsChart({ runs }: { runs: TimerRun[] }) {
  const rows = chartRows(runs);
  if (rows.length === 0) return <p class="kt-muted">The chart fills in as timers run.</p>;
  return (
    <figure class="hist-chart" data-testid="runs-chart">
      <svg
        width="100%"
        height={rows.length * ROW}
        role="img"
        aria-label={`Planned and actual length of the last ${rows.length} runs`}
      >
        {rows.map((r, i) => {
          const y = i * ROW;
          return (
            <g key={r.id} data-testid="chart-row" data-over={hasOvertime(r.overtimeMs) ? 'true' : 'false'}>
              <title>{`${r.label}: planned ${spanText(r.plannedMs)}, actual ${spanText(r.actualMs)}${hasOvertime(r.overtimeMs) ? `, ${spanText(r.overtimeMs)} over` : ''}`}</title>
              <text x="0" y={y + 12} class="hist-chart__label">
                {clip(r.label)}
              </text>
              <text
                x="100%"
                y={y + 12}
                text-anchor="end"
                class={hasOvertime(r.overtimeMs) ? 'hist-chart__value is-over' : 'hist-chart__value'}
              >
                {spanText(r.actualMs)}
                {r.plannedMs > 0 ? ` / ${spanText(r.plannedMs)}` : ''}
              </text>
              {r.planned > 0 ? (
                <rect x="0" y={y + 18} width={`${r.planned}%`} height="10" rx="3" class="hist-chart__plan" />
              ) : null}
              {r.onTime > 0 ? (
                <rect x="0" y={y + 19} width={`${r.onTime}%`} height="8" rx="2" class="hist-chart__actual" />
              ) : null}
              {r.over > 0 ? (
                <rect x={`${r.onTime}%`} y={y + 19} width={`${r.over}%`} height="8" rx="2" class="hist-chart__over" />
              ) : null}
              {r.planned > 0 ? (
                <line x1={`${r.planned}%`} x2={`${r.planned}%`} y1={y + 15} y2={y + 31} class="hist-chart__mark" />
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption class="hist-legend">
        <span class="hist-legend__plan">Planned</span>
        <span class="hist-legend__actual">Actual</span>
        <span class="hist-legend__over">Overtime</span>
        <span class="hist-legend__note">Each bar is scaled to its own run</span>
      </figcaption>
    </figure>
  );
}
