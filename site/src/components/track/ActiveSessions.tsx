/** Admins: everyone's sessions in progress, polled every 5 s, with live clocks. */
import { useState } from 'preact/hooks';
import { ApiError, errorText } from '../../lib/net/api.ts';
import type { SessionView } from '../../lib/sessions/messages.ts';
import type { ActiveSessionView } from '../../lib/sessions/api.ts';
import { clockText, elapsedAt } from '../../lib/sessions/time.ts';
import { fetchActiveSessions } from '../../lib/sessions/api.ts';
import { when } from '../../lib/clock/when.ts';
import { useFrameValue } from '../common/hooks.ts';
import { usePoll } from '../common/use-poll.ts';

const ACTIVE_POLL_MS = 5_000;

function Elapsed({ view }: { view: SessionView }) {
  const text = useFrameValue(
    (now) => clockText(elapsedAt(view, now)),
    (a, b) => a === b,
  );
  return <>{text}</>;
}

export function ActiveSessions({ selfId }: { selfId: string }) {
  const [list, setList] = useState<ActiveSessionView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);

  usePoll(
    async () => {
      try {
        setList(await fetchActiveSessions());
        setError(null);
      } catch (e) {
        if (e instanceof ApiError && (e.status === 404 || e.status === 403)) setMissing(true);
        else setError(errorText(e));
      }
    },
    ACTIVE_POLL_MS,
    !missing,
  );

  if (missing) return null;
  return (
    <section class="kt-card trk-everyone" aria-label="Everyone’s active sessions" data-testid="active-sessions">
      <h2>
        Everyone’s active sessions{' '}
        <span class="kt-count" data-testid="active-count">
          {list?.length ?? 0}
        </span>
      </h2>
      {error ? (
        <p class="kt-alert" role="alert">
          Could not load them: {error}
        </p>
      ) : null}
      {list === null ? (
        <p class="kt-muted">Loading…</p>
      ) : list.length === 0 ? (
        <p class="kt-muted" data-testid="active-empty">
          Nobody has a session running.
        </p>
      ) : (
        <div class="kt-table-scroll">
          <table class="kt-table">
            <thead>
              <tr>
                <th>User</th>
                <th>Label</th>
                <th>State</th>
                <th class="num">Active</th>
                <th>Started</th>
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <tr key={s.userId} data-testid="active-row" data-user-id={s.userId} data-status={s.status}>
                  <td>
                    {s.user ? (
                      <span title={s.user.email}>{s.user.name}</span>
                    ) : (
                      <code class="trk-code" title={s.userId}>
                        {s.userId.slice(0, 8)}
                      </code>
                    )}
                    {s.userId === selfId ? <span class="trk-tag">you</span> : null}
                  </td>
                  <td class="kt-table__main">{s.label ?? <span class="kt-muted">—</span>}</td>
                  <td>
                    <span class={`trk-state trk-state--${s.status}`}>{s.status}</span>
                  </td>
                  <td class="num">
                    <Elapsed view={s} />
                  </td>
                  <td>{s.startTime === null ? '—' : when(s.startTime)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
