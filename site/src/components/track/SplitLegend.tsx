/**
 * The legend of the day chart split by project (each project's colour and net
 * time over the period) and, as its text alternative, a table of every day
 * with time by project.
 */
import { humanDuration } from '../../lib/format/duration.ts';
import type { DayTotal } from '../../lib/sessions/api.ts';
import { type LegendItem, splitTable } from '../../lib/sessions/day-split.ts';

const dayName = (iso: string) =>
  new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(`${iso}T00:00:00Z`),
  );

function Swatch({ color }: { color: string | null }) {
  return (
    <span
      class={color ? 'trk-swatch' : 'trk-swatch trk-swatch--none'}
      aria-hidden="true"
      style={color ? { background: color } : undefined}
    />
  );
}

export function SplitLegend({ days, legend }: { days: DayTotal[]; legend: LegendItem[] }) {
  const rows = splitTable(days, legend);
  if (legend.length === 0) return null;
  return (
    <div class="trk-splitday">
      <ul class="trk-splitday__legend" aria-label="Projects in the chart" data-testid="chart-legend">
        {legend.map((l) => (
          <li
            key={l.key}
            class={l.deleted ? 'trk-splitday__item is-deleted' : 'trk-splitday__item'}
            data-testid="chart-legend-item"
            data-project-id={l.projectId ?? ''}
            data-net-ms={l.netMs}
            data-deleted={l.deleted ? 'true' : 'false'}
          >
            <Swatch color={l.color} />
            <span data-testid="legend-name">{l.name}</span>
            <span class="trk-splitday__total" data-testid="legend-total">
              {humanDuration(l.netMs)}
            </span>
          </li>
        ))}
      </ul>
      <details class="trk-splitday__details" data-testid="chart-split-table">
        <summary>Each day by project, as a table</summary>
        <div class="kt-table-scroll">
          <table class="kt-table trk-table">
            <caption class="kt-sr">Net time per day by project</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                {legend.map((l) => (
                  <th key={l.key} scope="col" class="num">
                    {l.name}
                  </th>
                ))}
                <th scope="col" class="num">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.date} data-testid="split-row" data-date={r.date}>
                  <th scope="row">{dayName(r.date)}</th>
                  {r.cells.map((ms, i) => (
                    <td key={legend[i]?.key} class="num" data-project-id={legend[i]?.projectId ?? ''} data-net-ms={ms}>
                      {ms > 0 ? humanDuration(ms) : '—'}
                    </td>
                  ))}
                  <td class="num">{humanDuration(r.totalMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
