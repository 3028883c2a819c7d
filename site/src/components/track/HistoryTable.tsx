/**
 * Past sessions, newest first, with infinite scroll: the next page loads as
 * the end of the table comes into view (or on "Load more").
 */
import { useEffect, useRef } from 'preact/hooks';
import { SESSIONS_CSV_URL } from '../../lib/sessions/api.ts';
import { clockText } from '../../lib/sessions/time.ts';
import { when } from '../../lib/clock/when.ts';

/** A past session's length: a clock, or "<0:01" when under a second (so it never reads as nothing). */
const span = (ms: number) => (ms > 0 && ms < 1000 ? '<0:01' : clockText(ms));
import type { SessionHistory } from './use-session-history.ts';

export function HistoryTable({ history }: { history: SessionHistory }) {
  const { sessions, nextCursor, loading, error, partial } = history;
  const sentinel = useRef<HTMLDivElement>(null);
  const more = useRef(history.loadMore);
  more.current = history.loadMore;

  useEffect(() => {
    const el = sentinel.current;
    if (!el || !nextCursor || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && more.current(), {
      rootMargin: '240px 0px',
    });
    io.observe(el);
    return () => io.disconnect();
  }, [nextCursor, sessions?.length]);

  return (
    <section class="kt-card trk-history" aria-label="History" data-testid="session-history">
      <div class="kt-card-head">
        <h2>
          History{' '}
          <span class="kt-count" data-testid="history-count">
            {sessions?.length ?? 0}
            {nextCursor ? '+' : ''}
          </span>
        </h2>
        <a class="kt-btn kt-btn--small" href={SESSIONS_CSV_URL} download data-testid="export-csv">
          Export CSV
        </a>
      </div>
      {error ? (
        <p class="kt-alert" role="alert" data-testid="history-error">
          Could not load your history: {error}{' '}
          <button type="button" class="kt-btn kt-btn--small" onClick={history.reload} data-testid="history-retry">
            Try again
          </button>
        </p>
      ) : null}
      {partial ? (
        <p class="kt-alert kt-alert--warn" role="status" data-testid="history-partial">
          The history database can’t be reached right now, so only your most recent sessions are listed. Nothing is
          lost: the rest returns when it does.
        </p>
      ) : null}
      {sessions === null ? (
        error ? null : (
          <p class="kt-muted">Loading…</p>
        )
      ) : sessions.length === 0 ? (
        <p class="kt-muted" data-testid="history-empty">
          No sessions yet. When you stop one, it appears here.
        </p>
      ) : (
        <div class="kt-table-scroll">
          <table class="kt-table trk-table" data-testid="history-table">
            <thead>
              <tr>
                <th>Started</th>
                <th>Label</th>
                <th class="num">Active</th>
                <th class="num trk-wide">Paused</th>
                <th class="num trk-wide">Total</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id} data-testid="session-row" data-session-id={s.id}>
                  <td data-testid="row-started">{when(s.startTime)}</td>
                  <td class="kt-table__main" data-testid="row-label">
                    {s.label ?? <span class="kt-muted">—</span>}
                    {s.autoStopped ? <span class="trk-tag">time limit</span> : null}
                  </td>
                  <td class="num" data-testid="row-active">
                    {span(s.elapsedTime)}
                  </td>
                  <td class="num kt-muted trk-wide" data-testid="row-paused">
                    {s.pausedTime > 0 ? span(s.pausedTime) : '—'}
                    {s.pauses > 0 ? <span class="trk-pauses"> ×{s.pauses}</span> : null}
                  </td>
                  <td class="num trk-wide" data-testid="row-total">
                    {span(s.duration)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor ? (
        <div ref={sentinel} class="trk-more" data-testid="history-more">
          <button
            type="button"
            class="kt-btn kt-btn--small"
            onClick={history.loadMore}
            disabled={loading}
            data-testid="history-load-more"
          >
            {loading ? 'Loading…' : 'Load more'}
          </button>
        </div>
      ) : sessions && sessions.length > 0 ? (
        <p class="trk-end kt-muted" data-testid="history-end">
          That’s every session.
        </p>
      ) : null}
    </section>
  );
}
