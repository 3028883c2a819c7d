/** The realtime notifications feed, newest first, with its connection state. */
import type { OpsFeed, OpsNotification } from '../../lib/ops/feed.ts';
import type { SocketState } from '../../lib/net/socket.ts';
import { when } from '../../lib/clock/when.ts';
import { ConnectionBadge } from '../common/ConnectionBadge.tsx';
import { useObservable } from '../common/hooks.ts';

const initialSocket: SocketState = { status: 'connecting', closeCode: null, attempts: 0 };
const words: Record<string, string> = {
  'room-created': 'Room created',
  'room-deleted': 'Room deleted',
  'timer-finished': 'Timer finished',
  'dead-letter': 'Dead letter',
  'session-completed': 'Session completed',
  'rack-claimed': 'Rack claimed',
};

export function FeedPanel({ feed }: { feed: OpsFeed }) {
  const list = useObservable<OpsNotification[]>(feed, []);
  const sock = useObservable(feed.socket, initialSocket);
  return (
    <section class="kt-card ops-feed" aria-label="Notifications" data-testid="feed-panel">
      <h2 class="ops-feed__head">
        <span>Notifications</span>
        <ConnectionBadge status={sock.status} />
      </h2>
      {sock.status === 'closed' ? (
        <p class="kt-alert" role="alert" data-testid="feed-closed">
          The feed stopped: your session ended or is no longer an admin’s. <a href="">Reload</a> to try again.
        </p>
      ) : null}
      {list.length === 0 ? (
        <p class="kt-muted" data-testid="feed-empty">
          Nothing yet. Rooms created and deleted, finished timers and dead letters appear here as they happen.
        </p>
      ) : (
        <ol class="ops-feed__list" data-testid="feed" aria-live="polite">
          {list.map((n) => (
            <li
              key={`${n.at}-${n.kind}-${n.text}`}
              class={`ops-feed__item ops-kind--${n.kind}`}
              data-testid="feed-item"
              data-kind={n.kind}
            >
              <time class="ops-feed__time" dateTime={new Date(n.at).toISOString()}>
                {when(n.at)}
              </time>
              <span class="ops-feed__kind">{words[n.kind] ?? n.kind}</span>
              <span class="ops-feed__text" data-testid="feed-text">
                {n.text}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
