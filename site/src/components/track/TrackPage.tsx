/**
 * The Track page for a signed-in user: the live session (every device of the
 * user shows the same one), history, statistics, background music and, for
 * admins, everyone's sessions in progress.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { User } from '../../lib/account/auth.ts';
import { anyBody, api, errorText } from '../../lib/net/api.ts';
import { ActivityReporter, watchActivity } from '../../lib/sessions/activity.ts';
import { connectSession, loadCurrent } from '../../lib/sessions/connection.ts';
import { parseTags, tagsProblem } from '../../lib/sessions/projects.ts';
import { loadPrefs } from '../../lib/sessions/settings.ts';
import type { EntryFilter } from '../../lib/sessions/entries.ts';
import { predictedStatus, rejectionText } from '../../lib/sessions/store.ts';
import { recentLabels } from '../../lib/sessions/api.ts';
import { ConnectionBadge } from '../common/ConnectionBadge.tsx';
import { useFrameClock, useObservable } from '../common/hooks.ts';
import { Toast } from '../common/Toast.tsx';
import { useToast } from '../common/useToast.ts';
import { ActiveSessions } from './ActiveSessions.tsx';
import { HistoryTable } from './HistoryTable.tsx';
import { LiveTimer } from './LiveTimer.tsx';
import { MusicToggle } from './MusicToggle.tsx';
import { PauseBar } from './PauseBar.tsx';
import { PendingList } from './PendingList.tsx';
import { SessionControls } from './SessionControls.tsx';
import { StatsPanel } from './StatsPanel.tsx';
import { useAmbient } from './use-ambient.ts';
import { useSessionHistory } from './use-session-history.ts';
import { useSessionKeys } from './use-session-keys.ts';
import { FocusBadge } from './FocusBadge.tsx';
import { IdlePrompt, type IdleChoice } from './IdlePrompt.tsx';
import { EMPTY_META, type MetaValue } from './ProjectPicker.tsx';
import { RunningMeta } from './RunningMeta.tsx';
import { SettingsDialog } from './SettingsDialog.tsx';
import { TasksPanel } from './TasksPanel.tsx';
import { useProjects } from './use-projects.ts';

export function TrackPage({ user }: { user: User }) {
  const [toast, notify] = useToast(6000);
  const conn = useMemo(
    () => connectSession(user.id, (_cmd, code, message, details) => notify(rejectionText(code, message, details))),
    [],
  );
  useFrameClock(conn.clock);
  useEffect(() => {
    // The first paint need not wait for the socket.
    loadCurrent(conn.store, conn.clock).catch(() => undefined);
    return () => conn.stop();
  }, []);
  const snap = useObservable(conn.store, conn.store.state);
  const sock = useObservable(conn.socket, conn.socket.current);
  const { view, last, pending } = snap;
  const status = predictedStatus(view, pending);
  const [label, setLabel] = useState('');
  const [filter, setFilter] = useState<EntryFilter>({});
  const [meta, setMeta] = useState<MetaValue>(EMPTY_META);
  const [prefs, setPrefs] = useState(loadPrefs);
  const [focusOn, setFocusOn] = useState(prefs.focusOn);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const startTags = parseTags(meta.tagsText);
  const metaProblem = tagsProblem(startTags);

  // Activity: input or the page coming into view, told to the server at most once a minute while a session runs.
  const running = useRef(false);
  running.current = view?.status === 'running';
  useEffect(() => {
    const reporter = new ActivityReporter((at) => running.current && conn.store.send({ type: 'ACTIVITY', at }));
    return watchActivity(reporter);
  }, []);

  // A stop (here or on another device) changes history and statistics.
  const [editCount, setEditCount] = useState(0);
  // A stop, an edit here, or an entry/project change on any device (the socket says) reloads the lists.
  const refreshKey = useChangeCount(last?.id ?? null, view !== null) + editCount + snap.entriesRev;
  const projects = useProjects(`${refreshKey}:${snap.projectsRev}`);
  const history = useSessionHistory(refreshKey, filter);
  const recent = recentLabels(history.sessions ?? []);
  const music = useAmbient(view ? status : null);

  const run = {
    start: () => {
      if (metaProblem) return;
      conn.store.command('start', label.trim() || null, {
        ...(meta.projectId ? { projectId: meta.projectId } : {}),
        ...(meta.taskId ? { taskId: meta.taskId } : {}),
        ...(startTags.length > 0 ? { tags: startTags } : {}),
        ...(focusOn ? { focus: prefs.focus } : {}),
      });
      setLabel('');
      setMeta(EMPTY_META);
    },
    pause: () => conn.store.command('pause'),
    resume: () => conn.store.command('resume'),
    stop: () => conn.store.command('stop'),
  };
  const answerIdle = async (choice: IdleChoice) => {
    try {
      await api('/api/sessions/idle', anyBody, {
        method: 'POST',
        body: { choice, ...(view?.id ? { sessionId: view.id } : {}) },
      });
      conn.store.clearIdle();
    } catch (e) {
      notify(errorText(e));
      // The prompt may have been answered elsewhere meanwhile: ask the server what is true now.
      loadCurrent(conn.store, conn.clock).catch(() => undefined);
    }
  };

  useSessionKeys((action) => {
    if (!view) return;
    if (action === 'stop') {
      if (status !== 'idle') run.stop();
    } else if (status === 'idle') run.start();
    else if (status === 'running') run.pause();
    else run.resume();
  });

  return (
    <div class="trk" data-testid="track">
      <div class="trk-top">
        <h1 class="trk-top__title">Track</h1>
        <ConnectionBadge status={sock.status} />
        <span class="kt-spacer" />
        <a class="kt-btn kt-btn--small" href="/reports/" data-testid="nav-reports">
          Reports
        </a>
        <button
          type="button"
          class="kt-btn kt-btn--small"
          onClick={() => setSettingsOpen(true)}
          data-testid="open-settings"
        >
          Settings
        </button>
        <MusicToggle music={music} />
      </div>
      {sock.status === 'closed' ? (
        <p class="kt-alert" role="alert" data-testid="session-closed">
          The live connection ended: your login may have expired.{' '}
          <a href={`/login/?next=${encodeURIComponent('/track/')}`}>Log in again</a>.
        </p>
      ) : null}

      <section
        class="kt-card trk-live"
        aria-label="Live session"
        data-testid="live-session"
        data-state={view?.status ?? 'connecting'}
        data-version={view?.version ?? ''}
      >
        <LiveTimer view={view} last={last} />
        {view?.focus && (view.status === 'running' || view.status === 'paused') ? (
          <FocusBadge focus={view.focus} chimeOn={prefs.chime} />
        ) : null}
        {view && (view.status === 'running' || view.status === 'paused') ? (
          <RunningMeta
            view={view}
            projects={projects.projects}
            tasks={projects.tasks}
            onUpdate={(m) => conn.store.command('update', view.label, m)}
          />
        ) : null}
        <PauseBar view={view} />
        <SessionControls
          status={status}
          ready={view !== null}
          label={label}
          onLabel={setLabel}
          recent={recent}
          onStart={run.start}
          onPause={run.pause}
          onResume={run.resume}
          onStop={run.stop}
          meta={meta}
          onMeta={setMeta}
          projects={projects.projects}
          tasks={projects.tasks}
          focusOn={focusOn}
          onFocusOn={setFocusOn}
          metaProblem={metaProblem}
        />
        <PendingList pending={pending} />
      </section>

      <div class="trk-grid">
        <StatsPanel refreshKey={refreshKey} projects={projects.loaded && !projects.error ? projects.projects : null} />
        <TasksPanel
          state={projects}
          canStart={status === 'idle' && view !== null}
          notify={notify}
          onStartTask={(t, p) => {
            conn.store.command('start', t.title, {
              projectId: p.id,
              taskId: t.id,
              ...(focusOn ? { focus: prefs.focus } : {}),
            });
          }}
        />
        <HistoryTable
          history={history}
          filter={filter}
          onFilter={setFilter}
          projects={projects}
          notify={notify}
          onChanged={() => setEditCount((n) => n + 1)}
        />
        {user.role === 'admin' ? <ActiveSessions selfId={user.id} /> : null}
      </div>
      {snap.idleSince !== null && view?.status === 'running' ? (
        <IdlePrompt
          key={snap.idleSince}
          idleSince={snap.idleSince}
          autoStopAt={view.idleAutoStopAt}
          onAnswer={answerIdle}
        />
      ) : null}
      {settingsOpen ? (
        <SettingsDialog
          prefs={prefs}
          onPrefs={(p) => {
            setPrefs(p);
            setFocusOn(p.focusOn);
          }}
          onClose={() => setSettingsOpen(false)}
          onSaved={notify}
        />
      ) : null}
      <Toast toast={toast} />
    </div>
  );
}

/** How many times `value` has changed since it was first known (the first reading is not a change). */
function useChangeCount(value: unknown, known: boolean): number {
  const seen = useRef<{ value: unknown } | null>(null);
  const count = useRef(0);
  if (known) {
    if (seen.current && seen.current.value !== value) count.current++;
    seen.current = { value };
  }
  return count.current;
}
