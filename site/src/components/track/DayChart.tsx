/**
 * Active time per day as SVG bars on round gridlines; today's bar is
 * highlighted. Split by project, each bar is a stack in the projects' colours
 * (the legend and the table below say the same in text). No chart library.
 */
import { humanDuration } from '../../lib/format/duration.ts';
import { dayChart } from '../../lib/sessions/day-chart.ts';
import { type LegendItem, stackDay } from '../../lib/sessions/day-split.ts';
import type { DayTotal } from '../../lib/sessions/api.ts';
import { SplitLegend } from './SplitLegend.tsx';

const PLOT = 170;
const TOP = 8;
const AXIS = 22;

/** "4 h 10 min over 5 active days; most on Tue 18 Nov (1 h 30 min)." */
function summary(days: DayTotal[], total: number): string {
  const active = days.filter((d) => d.activeMs > 0);
  if (active.length === 0) return `No sessions in the last ${days.length} days yet.`;
  const best = active.reduce((a, b) => (b.activeMs > a.activeMs ? b : a));
  const name = dayChart([best]).bars[0]?.title ?? best.date;
  const dayWord = active.length === 1 ? 'day' : 'days';
  return `${humanDuration(total)} over ${active.length} active ${dayWord}; most on ${name} (${humanDuration(best.activeMs)}).`;
}

export function DayChart({ days, split }: { days: DayTotal[]; split?: LegendItem[] | null }) {
  const chart = dayChart(days);
  const y = (at: number) => TOP + PLOT * (1 - at);
  const today = days.at(-1)?.date;
  const total = days.reduce((n, d) => n + d.activeMs, 0);
  return (
    <figure class="trk-chart" data-testid="day-chart" data-days={days.length} data-split={split ? 'project' : 'none'}>
      <div class="trk-chart__plot">
        <div class="trk-chart__yaxis" style={{ height: `${TOP + PLOT + AXIS}px` }} aria-hidden="true">
          {chart.grid.map((g) => (
            <span key={g.ms} style={{ top: `${y(g.at) - 8}px` }}>
              {g.text}
            </span>
          ))}
        </div>
        <svg
          width="100%"
          height={TOP + PLOT + AXIS}
          role="img"
          aria-label={`Active time per day over the last ${days.length} days: ${humanDuration(total)} in all${split ? ', split by project (the table below lists each day by project)' : ''}`}
        >
          {chart.grid.map((g) => (
            <line key={g.ms} x1="0" x2="100%" y1={y(g.at)} y2={y(g.at)} class="trk-chart__grid" />
          ))}
          <line x1="0" x2="100%" y1={y(0)} y2={y(0)} class="trk-chart__base" />
          {chart.bars.map((b) => {
            const h = Math.max(b.activeMs > 0 ? 2 : 0, b.height * PLOT);
            // Split by project; a day without its parts (an older server) keeps its plain bar.
            const segs = split
              ? stackDay(days.find((d) => d.date === b.date)?.byProject ?? [], chart.maxMs, split)
              : [];
            return (
              <g
                key={b.date}
                data-testid="chart-day"
                data-date={b.date}
                data-sessions={b.sessions}
                data-active-ms={b.activeMs}
              >
                <title>{`${b.title}: ${b.sessions === 0 ? 'no sessions' : `${humanDuration(b.activeMs)} in ${b.sessions} ${b.sessions === 1 ? 'session' : 'sessions'}`}${segs.length > 0 ? ` (${segs.map((g) => `${split?.find((l) => l.key === g.key)?.name ?? ''} ${humanDuration(g.netMs)}`).join(', ')})` : ''}`}</title>
                <rect x={`${b.x}%`} y={TOP} width={`${b.width}%`} height={PLOT} class="trk-chart__hit" />
                {h > 0 && segs.length > 0 ? (
                  segs.map((seg) => (
                    <rect
                      key={seg.key}
                      x={`${b.x}%`}
                      y={y(seg.from + seg.height)}
                      width={`${b.width}%`}
                      height={seg.height * PLOT}
                      class={seg.color ? 'trk-chart__seg' : 'trk-chart__seg is-none'}
                      style={seg.color ? { fill: seg.color } : undefined}
                      data-testid="chart-seg"
                      data-project-id={seg.projectId ?? ''}
                      data-net-ms={seg.netMs}
                    />
                  ))
                ) : h > 0 ? (
                  <rect
                    x={`${b.x}%`}
                    y={y(0) - h}
                    width={`${b.width}%`}
                    height={h}
                    rx="3"
                    class={b.date === today ? 'trk-chart__bar is-today' : 'trk-chart__bar'}
                  />
                ) : null}
                {b.tick ? (
                  <text
                    x={`${b.x + b.width / 2}%`}
                    y={y(0) + 16}
                    text-anchor="middle"
                    class={b.date === today ? 'trk-chart__tick is-today' : 'trk-chart__tick'}
                  >
                    {b.tick}
                  </text>
                ) : null}
              </g>
            );
          })}
        </svg>
      </div>
      <figcaption class="trk-chart__caption kt-muted" data-testid="chart-caption">
        {summary(days, total)}
      </figcaption>
      {split ? <SplitLegend days={days} legend={split} /> : null}
    </figure>
  );
}
