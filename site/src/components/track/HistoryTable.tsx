/**
 * Past sessions and manual entries, newest first, with infinite scroll,
 * filters (project, tag, date range), and per entry: edit, its audit trail,
 * and delete with a minute's undo. Overlapping entries are flagged.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../../lib/net/api.ts';
import { type Entry, type EntryFilter, deleteEntry, entriesCsvUrl, restoreEntry } from '../../lib/sessions/entries.ts';
import { clockText } from '../../lib/sessions/time.ts';
import { when } from '../../lib/clock/when.ts';
import { EntryEditor } from './EntryEditor.tsx';
import { HistoryFilters } from './HistoryFilters.tsx';
import { TrailDialog } from './TrailDialog.tsx';
import type { ProjectsState } from './use-projects.ts';
import type { SessionHistory } from './use-session-history.ts';

/** A past session's length: a clock, or "<0:01" when under a second (so it never reads as nothing). */
const span = (ms: number) => (ms > 0 && ms < 1000 ? '<0:01' : clockText(ms));

interface Props {
  history: SessionHistory;
  filter: EntryFilter;
  onFilter: (f: EntryFilter) => void;
  projects: ProjectsState;
  notify: (text: string, tone?: 'error' | 'info') => void;
  /** An entry was added, edited, deleted or restored: statistics reload. */
  onChanged: () => void;
}

type Editing = { kind: 'new' } | { kind: 'edit'; entry: Entry } | null;

export function HistoryTable({ history, filter, onFilter, projects, notify, onChanged }: Props) {
  const { sessions, nextCursor, loading, error, partial } = history;
  const sentinel = useRef<HTMLDivElement>(null);
  const more = useRef(history.loadMore);
  more.current = history.loadMore;
  const [editing, setEditing] = useState<Editing>(null);
  const [trailOf, setTrailOf] = useState<Entry | null>(null);
  const [undo, setUndo] = useState<{ entry: Entry; until: number } | null>(null);
  const filtered = Object.values(filter).some((v) => v);

  useEffect(() => {
    const el = sentinel.current;
    if (!el || !nextCursor || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && more.current(), {
      rootMargin: '240px 0px',
    });
    io.observe(el);
    return () => io.disconnect();
  }, [nextCursor, sessions?.length]);

  const remove = async (e: Entry) => {
    try {
      const r = await deleteEntry(e.id);
      history.remove(e.id);
      setUndo({ entry: e, until: r.undoUntil });
      onChanged();
    } catch (err) {
      notify(errorText(err));
    }
  };
  const restore = async () => {
    if (!undo) return;
    try {
      await restoreEntry(undo.entry.id);
      notify('Entry restored', 'info');
      onChanged();
    } catch (err) {
      notify(errorText(err));
    } finally {
      setUndo(null);
    }
  };

  return (
    <section class="kt-card trk-history" aria-labelledby="trk-history-title" data-testid="session-history">
      <div class="kt-card-head">
        <h2 id="trk-history-title">
          History{' '}
          <span class="kt-count" data-testid="history-count">
            {sessions?.length ?? 0}
            {nextCursor ? '+' : ''}
          </span>
        </h2>
        <span class="kt-spacer" />
        <button
          type="button"
          class="kt-btn kt-btn--small"
          onClick={() => setEditing({ kind: 'new' })}
          data-testid="entry-add"
        >
          Add entry
        </button>
        <a class="kt-btn kt-btn--small" href={entriesCsvUrl(filter)} download data-testid="export-csv">
          Export CSV
        </a>
      </div>
      <HistoryFilters filter={filter} onFilter={onFilter} projects={projects.projects} />
      {undo ? <UndoBar undo={undo} onUndo={restore} onGone={() => setUndo(null)} /> : null}
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
          {filtered ? 'No entries match these filters.' : 'No sessions yet. When you stop one, it appears here.'}
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
                <th>
                  <span class="kt-sr">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => {
                const project = projects.byId(s.projectId);
                const task = projects.taskById(s.taskId);
                return (
                  <tr
                    key={s.id}
                    data-testid="session-row"
                    data-session-id={s.id}
                    data-project-id={s.projectId ?? ''}
                    data-overlaps={s.overlaps.length > 0 ? 'true' : 'false'}
                  >
                    <td data-testid="row-started">{when(s.startTime)}</td>
                    <td class="kt-table__main">
                      <span data-testid="row-label">{s.label ?? <span class="kt-muted">—</span>}</span>
                      {s.autoStopped ? <span class="trk-tag">time limit</span> : null}
                      <span class="trk-row-meta">
                        {project ? (
                          <span class="trk-pill" data-testid="row-project">
                            <span class="trk-swatch" aria-hidden="true" style={{ background: project.color }} />
                            {project.name}
                          </span>
                        ) : s.projectId && projects.loaded && !projects.error ? (
                          <span class="trk-pill trk-pill--gone" data-testid="row-project" data-deleted="true">
                            Deleted project
                          </span>
                        ) : null}
                        {task ? <span class="trk-pill">{task.title}</span> : null}
                        {s.tags.map((t) => (
                          <span key={t} class="trk-tag" data-testid="row-tag">
                            #{t}
                          </span>
                        ))}
                        {s.overlaps.length > 0 ? (
                          <span class="trk-flag" data-testid="row-overlap" title="This entry shares time with another">
                            overlaps {s.overlaps.length === 1 ? 'another entry' : `${s.overlaps.length} entries`}
                          </span>
                        ) : null}
                        {s.source === 'manual' ? <span class="trk-tag">manual</span> : null}
                        {s.editedAt !== null ? <span class="trk-tag">edited</span> : null}
                      </span>
                    </td>
                    <td class="num" data-testid="row-active">
                      {span(s.elapsedTime)}
                    </td>
                    <td class="num kt-muted trk-wide" data-testid="row-paused">
                      {s.pausedTime > 0 ? span(s.pausedTime) : '—'}
                      {s.pauseSegments.length > 0 ? <span class="trk-pauses"> ×{s.pauseSegments.length}</span> : null}
                    </td>
                    <td class="num trk-wide" data-testid="row-total">
                      {span(s.duration)}
                    </td>
                    <td class="trk-row-actions">
                      <button
                        type="button"
                        class="kt-btn kt-btn--small"
                        onClick={() => setEditing({ kind: 'edit', entry: s })}
                        data-testid="row-edit"
                        aria-label={`Edit the entry started ${when(s.startTime)}`}
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        class="kt-btn kt-btn--small kt-btn--ghost"
                        onClick={() => setTrailOf(s)}
                        data-testid="row-trail"
                        aria-label={`Trail: changes to the entry started ${when(s.startTime)}`}
                      >
                        Trail
                      </button>
                      <button
                        type="button"
                        class="kt-btn kt-btn--small kt-btn--ghost"
                        onClick={() => remove(s)}
                        data-testid="row-delete"
                        aria-label={`Delete the entry started ${when(s.startTime)}`}
                      >
                        Delete
                      </button>
                    </td>
                  </tr>
                );
              })}
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
          That’s every {filtered ? 'matching entry' : 'session'}.
        </p>
      ) : null}
      {editing ? (
        <EntryEditor
          entry={editing.kind === 'edit' ? editing.entry : null}
          projects={projects}
          onClose={() => setEditing(null)}
          onSaved={(e, created) => {
            setEditing(null);
            if (!created) history.replace(e);
            notify(created ? 'Entry added' : 'Entry saved', 'info');
            onChanged();
          }}
        />
      ) : null}
      {trailOf ? <TrailDialog entry={trailOf} projects={projects} onClose={() => setTrailOf(null)} /> : null}
    </section>
  );
}

function UndoBar({
  undo,
  onUndo,
  onGone,
}: {
  undo: { entry: Entry; until: number };
  onUndo: () => void;
  onGone: () => void;
}) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), 1_000);
    return () => window.clearInterval(t);
  }, []);
  const left = Math.ceil((undo.until - now) / 1000);
  useEffect(() => {
    if (left <= 0) onGone();
  }, [left <= 0]);
  return (
    <p class="kt-alert kt-alert--warn trk-undo" role="status" data-testid="undo-bar">
      Entry{undo.entry.label ? ` “${undo.entry.label}”` : ''} deleted.{' '}
      <button type="button" class="kt-btn kt-btn--small" onClick={onUndo} data-testid="undo-delete">
        Undo
      </button>{' '}
      <span class="kt-muted">({Math.max(0, left)} s)</span>
    </p>
  );
}
