/**
 * The control panel's History tab: past runs, a planned-vs-actual chart and the
 * action journal, read from the mirror. The mirror lags the room slightly, so
 * the tab loads when opened, on Refresh, and every 5 s while open.
 */
import { useState } from 'preact/hooks';
import type { Timer } from '../../../../core/rooms/timer.ts';
import { errorText } from '../../lib/net/api.ts';
import { type RoomHistory, fetchHistory, historyCsvUrl } from '../../lib/rooms/history.ts';
import { when } from '../../lib/clock/when.ts';
import { usePoll } from '../common/use-poll.ts';
import { ActionsTable } from './ActionsTable.tsx';
import { RunsChart } from './RunsChart.tsx';
import { RunsTable } from './RunsTable.tsx';

const HISTORY_POLL_MS = 5_000;

interface HistoryTabProps {
  roomId: string;
  /** The controller token, when the panel was opened with one (the owner needs none). */
  token: string | null;
  /** The room's current timers, to name timers in the journal. */
  timers: Timer[];
}

export function HistoryTab({ roomId, token, timers }: HistoryTabProps) {
  const [data, setData] = useState<RoomHistory | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [loadedAt, setLoadedAt] = useState<number | null>(null);

  const refresh = usePoll(async () => {
    setBusy(true);
    try {
      setData(await fetchHistory(roomId, token));
      setError(null);
      setLoadedAt(Date.now());
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }, HISTORY_POLL_MS);

  const labels = new Map<string, string>();
  for (const r of [...(data?.runs ?? [])].reverse()) labels.set(r.timerId, r.label);
  for (const t of timers) labels.set(t.id, t.label);

  return (
    <div class="hist" id="panel-history" role="tabpanel" aria-labelledby="tab-history" data-testid="history">
      <div class="hist-bar">
        <button
          type="button"
          class="kt-btn kt-btn--small"
          onClick={refresh}
          disabled={busy}
          data-testid="history-refresh"
          data-busy={busy ? 'true' : 'false'}
        >
          {busy ? 'Refreshing…' : 'Refresh'}
        </button>
        <span class="kt-muted hist-bar__note" data-testid="history-updated">
          {loadedAt === null
            ? 'Loading…'
            : `Updated ${when(loadedAt)}${data?.cached ? ' (cached)' : ''} · refreshes every 5 s`}
        </span>
        <span class="ctl-bar__spacer" />
        <a class="kt-btn kt-btn--small" href={historyCsvUrl(roomId, 'runs', token)} download data-testid="export-runs">
          Export runs CSV
        </a>
        <a
          class="kt-btn kt-btn--small"
          href={historyCsvUrl(roomId, 'actions', token)}
          download
          data-testid="export-actions"
        >
          Export actions CSV
        </a>
      </div>

      {error ? (
        <p class="kt-alert" role="alert" data-testid="history-error">
          Could not load the history: {error}
        </p>
      ) : null}
      {data?.partial ? (
        <p class="kt-alert kt-alert--warn" role="status" data-testid="history-partial">
          History is unavailable right now (the database can’t be reached). Live control is not affected, and nothing is
          lost: rows catch up when it returns.
        </p>
      ) : null}

      {data === null ? (
        error ? null : (
          <p class="kt-loading">Loading the history…</p>
        )
      ) : (
        <div class="hist-grid">
          <section class="kt-card hist-runs" aria-label="Timer runs">
            <h2>
              Timer runs{' '}
              <span class="kt-count" data-testid="runs-count">
                {data.runs.length}
              </span>
            </h2>
            <RunsTable runs={data.runs} />
          </section>
          <section class="kt-card hist-chart-card" aria-label="Planned vs actual">
            <h2>Planned vs actual</h2>
            <RunsChart runs={data.runs} />
          </section>
          <section class="kt-card hist-actions" aria-label="Action journal">
            <h2>
              Action journal{' '}
              <span class="kt-count" data-testid="actions-count">
                {data.actions.length}
              </span>
            </h2>
            <ActionsTable actions={data.actions} labels={labels} />
          </section>
        </div>
      )}
    </div>
  );
}
