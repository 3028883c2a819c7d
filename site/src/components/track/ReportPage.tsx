/**
 * The report for any date range: totals, net time per day (bars), per
 * project, per task, and the days that miss the break rule; the CSV of the
 * same range; and a print stylesheet (styles/report.css) so printing gives a
 * clean one- or two-page report. The range lives in the URL (?from=&to=&project=).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { humanDuration } from '../../lib/format/duration.ts';
import type { User } from '../../lib/account/auth.ts';
import { errorText } from '../../lib/net/api.ts';
import { entriesCsvUrl, localDate, localDayStart } from '../../lib/sessions/entries.ts';
import { type ReportView, fetchReport } from '../../lib/sessions/report.ts';
import { ReportBars } from './ReportBars.tsx';
import { NO_PROJECT_COLOR } from './StatsParts.tsx';
import { useProjects } from './use-projects.ts';

const DAY = 86_400_000;
const MAX_DAYS = 400;

function initialRange(): { from: string; to: string; project: string | null } {
  const q = new URLSearchParams(location.search);
  const today = localDate(Date.now());
  const ok = (d: string | null) => (d && !Number.isNaN(localDayStart(d)) ? d : null);
  return {
    from: ok(q.get('from')) ?? localDate(Date.now() - 6 * DAY),
    to: ok(q.get('to')) ?? today,
    project: q.get('project') || null,
  };
}

const longDate = (iso: string) =>
  new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long', year: 'numeric' }).format(localDayStart(iso));
const pct = (n: number) => `${Math.round(n * 10) / 10}%`;

export function ReportPage({ user }: { user: User }) {
  const [range, setRange] = useState(initialRange);
  const [report, setReport] = useState<ReportView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const projects = useProjects();
  const gen = useRef(0);

  const days = Math.round((localDayStart(range.to) - localDayStart(range.from)) / DAY) + 1;
  const problem =
    range.from > range.to
      ? '“From” must not be after “To”'
      : days > MAX_DAYS
        ? `A report covers at most ${MAX_DAYS} days`
        : null;

  useEffect(() => {
    const q = new URLSearchParams({
      from: range.from,
      to: range.to,
      ...(range.project ? { project: range.project } : {}),
    });
    history.replaceState(null, '', `?${q}`);
    if (problem) return;
    const g = ++gen.current;
    setLoading(true);
    fetchReport(range.from, range.to, range.project).then(
      (r) => {
        if (g !== gen.current) return;
        setReport(r);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (g !== gen.current) return;
        setError(errorText(e));
        setLoading(false);
      },
    );
  }, [range.from, range.to, range.project]);

  const projectName = range.project ? (projects.byId(range.project)?.name ?? 'One project') : null;
  const r = report;
  const hints = r?.days.filter((d) => d.breakHint) ?? [];
  return (
    <div class="trk rpt" data-testid="report" data-loading={loading ? 'true' : 'false'}>
      <div class="trk-top rpt-controls">
        <h1 class="trk-top__title">Report</h1>
        <span class="kt-spacer" />
        <a class="kt-btn kt-btn--small" href="/track/">
          Back to Track
        </a>
      </div>
      <form class="trk-filters rpt-controls" aria-label="Report range" onSubmit={(e) => e.preventDefault()}>
        <label class="kt-field">
          <span>From</span>
          <input
            class="kt-input"
            type="date"
            value={range.from}
            max={range.to}
            onChange={(e) => setRange({ ...range, from: (e.target as HTMLInputElement).value || range.from })}
            data-testid="report-from"
          />
        </label>
        <label class="kt-field">
          <span>To</span>
          <input
            class="kt-input"
            type="date"
            value={range.to}
            onChange={(e) => setRange({ ...range, to: (e.target as HTMLInputElement).value || range.to })}
            data-testid="report-to"
          />
        </label>
        <label class="kt-field">
          <span>Project</span>
          <select
            class="kt-input"
            value={range.project ?? ''}
            onChange={(e) => setRange({ ...range, project: (e.target as HTMLSelectElement).value || null })}
            data-testid="report-project"
          >
            <option value="">All projects</option>
            {projects.projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <a
          class="kt-btn kt-btn--small"
          href={entriesCsvUrl({ from: range.from, to: range.to, projectId: range.project })}
          download
          data-testid="report-csv"
        >
          Export CSV
        </a>
        <button
          type="button"
          class="kt-btn kt-btn--small kt-btn--primary"
          onClick={() => window.print()}
          data-testid="report-print"
        >
          Print or save as PDF
        </button>
      </form>
      {problem ? (
        <p class="kt-alert" role="alert" data-testid="report-problem">
          {problem}
        </p>
      ) : null}
      {error ? (
        <p class="kt-alert" role="alert" data-testid="report-error">
          Could not load the report: {error}
        </p>
      ) : null}

      <header class="rpt-head">
        <h2 class="rpt-head__title" data-testid="report-title">
          Time report · {longDate(range.from)} – {longDate(range.to)}
        </h2>
        <p class="kt-muted">
          {user.name}
          {projectName ? ` · ${projectName}` : ' · all projects'} · {days} {days === 1 ? 'day' : 'days'}
        </p>
      </header>

      {r ? (
        <>
          <section class="kt-stats trk-tiles rpt-totals" aria-label="Totals" data-testid="report-totals">
            <Tile id="net" label="Net time" value={humanDuration(r.totals.netMs)} ms={r.totals.netMs} />
            <Tile id="break" label="Breaks" value={humanDuration(r.totals.breakMs)} ms={r.totals.breakMs} />
            <Tile id="gross" label="Gross time" value={humanDuration(r.totals.grossMs)} ms={r.totals.grossMs} />
            <Tile id="entries" label="Entries" value={String(r.totals.entries)} ms={r.totals.entries} />
            <Tile
              id="longest"
              label="Longest break"
              value={humanDuration(r.totals.longestBreakMs)}
              ms={r.totals.longestBreakMs}
            />
          </section>

          <section class="kt-card rpt-section" aria-labelledby="rpt-days">
            <h2 id="rpt-days">Net time per day</h2>
            <ReportBars days={r.days} />
          </section>

          <section class="kt-card rpt-section" aria-labelledby="rpt-projects">
            <h2 id="rpt-projects">By project</h2>
            {r.projects.length === 0 ? (
              <p class="kt-muted">No entries in this range.</p>
            ) : (
              <table class="kt-table rpt-table" data-testid="report-projects">
                <thead>
                  <tr>
                    <th>Project</th>
                    <th>Client</th>
                    <th class="num">Entries</th>
                    <th class="num">Net</th>
                    <th class="num">Breaks</th>
                    <th class="num">Gross</th>
                    <th class="num">Share</th>
                  </tr>
                </thead>
                <tbody>
                  {r.projects.map((p) => (
                    <tr
                      key={p.projectId ?? 'none'}
                      data-testid="report-project-row"
                      data-project-id={p.projectId ?? ''}
                      data-net-ms={p.netMs}
                    >
                      <td>
                        <span
                          class="trk-swatch"
                          aria-hidden="true"
                          style={{ background: p.color ?? NO_PROJECT_COLOR }}
                        />{' '}
                        {p.name}
                      </td>
                      <td>{p.client ?? '—'}</td>
                      <td class="num">{p.entries}</td>
                      <td class="num">{humanDuration(p.netMs)}</td>
                      <td class="num">{humanDuration(p.breakMs)}</td>
                      <td class="num">{humanDuration(p.grossMs)}</td>
                      <td class="num">{pct(p.sharePct)}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th colSpan={2}>Total</th>
                    <td class="num">{r.totals.entries}</td>
                    <td class="num" data-testid="report-total-net">
                      {humanDuration(r.totals.netMs)}
                    </td>
                    <td class="num">{humanDuration(r.totals.breakMs)}</td>
                    <td class="num">{humanDuration(r.totals.grossMs)}</td>
                    <td class="num">100%</td>
                  </tr>
                </tfoot>
              </table>
            )}
          </section>

          {r.tasks.length > 0 ? (
            <section class="kt-card rpt-section" aria-labelledby="rpt-tasks">
              <h2 id="rpt-tasks">By task</h2>
              <table class="kt-table rpt-table" data-testid="report-tasks">
                <thead>
                  <tr>
                    <th>Task</th>
                    <th>Project</th>
                    <th class="num">Entries</th>
                    <th class="num">Net</th>
                    <th class="num">Estimate</th>
                  </tr>
                </thead>
                <tbody>
                  {r.tasks.map((t) => (
                    <tr key={t.taskId} data-testid="report-task-row">
                      <td>{t.title}</td>
                      <td>
                        {r.projects.find((p) => p.projectId === t.projectId)?.name ??
                          projects.byId(t.projectId)?.name ??
                          '—'}
                      </td>
                      <td class="num">{t.entries}</td>
                      <td class="num">{humanDuration(t.netMs)}</td>
                      <td class="num">
                        {t.estimateMs
                          ? `${humanDuration(t.estimateMs)} (${Math.round((t.netMs / t.estimateMs) * 100)}%)`
                          : '—'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ) : null}

          {hints.length > 0 ? (
            <section class="kt-card rpt-section" aria-labelledby="rpt-breaks">
              <h2 id="rpt-breaks">Break rule</h2>
              <ul class="rpt-hints">
                {hints.map((d) => (
                  <li key={d.date} data-testid="report-break-hint">
                    {longDate(d.date)}: {d.breakHint?.text}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <p class="kt-muted rpt-foot">
            Net time is running time; breaks are the pauses; gross is start to stop (net + breaks = gross). Generated{' '}
            {new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(Date.now())}.
          </p>
        </>
      ) : !error && !problem ? (
        <p class="kt-loading">Loading…</p>
      ) : null}
    </div>
  );
}

function Tile({ id, label, value, ms }: { id: string; label: string; value: string; ms: number }) {
  return (
    <div class="kt-stat" data-testid={`report-${id}`} data-value={ms}>
      <span class="kt-stat__label">{label}</span>
      <span class="kt-stat__value" data-testid={`report-${id}-value`}>
        {value}
      </span>
    </div>
  );
}
