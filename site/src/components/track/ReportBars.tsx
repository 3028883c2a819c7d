/** Net time per day as SVG bars (breaks stacked on top, lighter), on round gridlines. Prints in black and grey. */
import { humanDuration } from '../../lib/format/duration.ts';
import { axisText, gridStep } from '../../lib/sessions/day-chart.ts';
import type { ReportView } from '../../lib/sessions/report.ts';

const H = 150;
const TOP = 14;
/** Percent of the width kept for the axis labels on the left. */
const LEFT = 6;
const AXIS = 20;

export function ReportBars({ days }: { days: ReportView['days'] }) {
  const max = Math.max(0, ...days.map((d) => d.grossMs));
  const step = max === 0 ? 15 * 60_000 : gridStep(max);
  const lines = Math.max(2, Math.floor(max / step) + 1);
  const top = step * lines;
  const n = Math.max(1, days.length);
  const slot = (100 - LEFT) / n;
  const every = n <= 14 ? 1 : Math.ceil(n / 10);
  const y = (ms: number) => TOP + H * (1 - ms / top);
  const total = days.reduce((s, d) => s + d.netMs, 0);
  return (
    <figure class="rpt-bars" data-testid="report-bars" data-days={days.length}>
      <svg
        width="100%"
        height={TOP + H + AXIS}
        role="img"
        aria-label={`Net time per day: ${humanDuration(total)} over ${days.length} days`}
      >
        {Array.from({ length: lines }, (_, i) => (
          <g key={i}>
            <line x1={`${LEFT}%`} x2="100%" y1={y(step * (i + 1))} y2={y(step * (i + 1))} class="trk-chart__grid" />
            <text x="0" y={y(step * (i + 1)) + 3} class="rpt-bars__axis">
              {axisText(step * (i + 1))}
            </text>
          </g>
        ))}
        <line x1={`${LEFT}%`} x2="100%" y1={y(0)} y2={y(0)} class="trk-chart__base" />
        {days.map((d, i) => {
          const x = LEFT + i * slot + slot * 0.15;
          const w = slot * 0.7;
          const net = (d.netMs / top) * H;
          const brk = (d.breakMs / top) * H;
          return (
            <g key={d.date} data-testid="report-day" data-date={d.date} data-net-ms={d.netMs}>
              <title>{`${d.date}: ${humanDuration(d.netMs)} net, ${humanDuration(d.breakMs)} breaks`}</title>
              {brk > 0 ? (
                <rect x={`${x}%`} y={y(0) - net - brk} width={`${w}%`} height={brk} class="rpt-bars__break" />
              ) : null}
              {net > 0 ? (
                <rect x={`${x}%`} y={y(0) - net} width={`${w}%`} height={Math.max(1, net)} class="rpt-bars__net" />
              ) : null}
              {(n - 1 - i) % every === 0 ? (
                <text x={`${x + w / 2}%`} y={y(0) + 14} text-anchor="middle" class="rpt-bars__tick">
                  {d.date.slice(5)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption class="kt-muted">
        <span class="rpt-key rpt-key--net" /> net <span class="rpt-key rpt-key--break" /> breaks
      </figcaption>
    </figure>
  );
}
