/**
 * The Track page for a signed-in user: the live session (every device of the
 * user shows the same one), history, statistics, background music and, for
 * admins, everyone's sessions in progress.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { User } from '../../lib/account/auth.ts';
import { connectSession, loadCurrent } from '../../lib/sessions/connection.ts';
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

export function TrackPage({ user }: { user: User }) {
  const [toast, notify] = useToast(6000);
  const conn = useMemo(
    () => connectSession(user.id, (_cmd, code, message) => notify(rejectionText(code, message))),
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

  // A stop (here or on another device) changes history and statistics.
  const refreshKey = useChangeCount(last?.id ?? null, view !== null);
  const history = useSessionHistory(refreshKey);
  const recent = recentLabels(history.sessions ?? []);
  const music = useAmbient(view ? status : null);

  const run = {
    start: () => {
      conn.store.command('start', label.trim() || null);
      setLabel('');
    },
    pause: () => conn.store.command('pause'),
    resume: () => conn.store.command('resume'),
    stop: () => conn.store.command('stop'),
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
        />
        <PendingList pending={pending} />
      </section>

      <div class="trk-grid">
        <StatsPanel refreshKey={refreshKey} />
        <HistoryTable history={history} />
        {user.role === 'admin' ? <ActiveSessions selfId={user.id} /> : null}
      </div>
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
