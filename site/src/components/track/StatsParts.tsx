/**
 * Statistics details: gross / net / break per day (with the break rule's hint
 * on a day that misses it) and the period split by project, as one stacked
 * bar in the projects' colours with a legend.
 */
import { humanDuration } from '../../lib/format/duration.ts';
import type { DayTotal, ProjectTotal } from '../../lib/sessions/api.ts';

const dayName = (iso: string) =>
  new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(`${iso}T00:00:00Z`),
  );

export function DayFigures({ days, breakRule }: { days: DayTotal[]; breakRule: string | null }) {
  const active = days.filter((d) => d.sessions > 0).reverse();
  if (active.length === 0) return null;
  return (
    <details class="trk-dayfigs" data-testid="day-figures">
      <summary>
        Gross, net and breaks per day
        {active.some((d) => d.breakHint) ? <span class="trk-flag"> break rule</span> : null}
      </summary>
      <div class="kt-table-scroll">
        <table class="kt-table trk-table">
          <thead>
            <tr>
              <th>Day</th>
              <th class="num">Gross</th>
              <th class="num">Net</th>
              <th class="num">Breaks</th>
              <th class="num">Longest break</th>
            </tr>
          </thead>
          <tbody>
            {active.map((d) => (
              <tr
                key={d.date}
                data-testid="day-figure"
                data-date={d.date}
                data-net-ms={d.activeMs}
                data-break-ms={d.breakMs ?? 0}
                data-gross-ms={d.grossMs ?? d.activeMs}
              >
                <td>
                  {dayName(d.date)}
                  {d.breakHint ? (
                    <span class="trk-hint" data-testid="break-hint">
                      {d.breakHint.text}
                    </span>
                  ) : null}
                </td>
                <td class="num">{humanDuration(d.grossMs ?? d.activeMs)}</td>
                <td class="num">{humanDuration(d.activeMs)}</td>
                <td class="num">{humanDuration(d.breakMs ?? 0)}</td>
                <td class="num">{humanDuration(d.longestBreakMs ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {breakRule ? (
        <p class="kt-muted">
          Break rule: {breakRule === 'de-arbzg' ? '30 min after 6 h, 45 min after 9 h' : breakRule}.
        </p>
      ) : null}
    </details>
  );
}

export const NO_PROJECT_COLOR = '#6b7280';

export function ProjectSplit({ projects }: { projects: ProjectTotal[] }) {
  const total = projects.reduce((n, p) => n + p.netMs, 0);
  if (total <= 0) return null;
  return (
    <figure class="trk-split" data-testid="project-split">
      <div
        class="trk-split__bar"
        role="img"
        aria-label={`Net time by project: ${projects.map((p) => `${p.name} ${humanDuration(p.netMs)}`).join(', ')}`}
      >
        {projects.map((p) => (
          <span
            key={p.projectId ?? 'none'}
            class="trk-split__part"
            style={{ width: `${(p.netMs / total) * 100}%`, background: p.color ?? NO_PROJECT_COLOR }}
            title={`${p.name}: ${humanDuration(p.netMs)}`}
          />
        ))}
      </div>
      <figcaption class="trk-split__legend">
        {projects.map((p) => (
          <span
            key={p.projectId ?? 'none'}
            class="trk-split__item"
            data-testid="split-project"
            data-project-id={p.projectId ?? ''}
            data-net-ms={p.netMs}
          >
            <span class="trk-swatch" aria-hidden="true" style={{ background: p.color ?? NO_PROJECT_COLOR }} />
            {p.name} · {humanDuration(p.netMs)}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
