/**
 * /control?room=<id>[&token=<controller token>]: loads the room over HTTP (so a
 * bad link gets a clear explanation), then goes live over the room socket.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, NETWORK, api } from '../../lib/net/api.ts';
import { connectRoom, type RoomConnection } from '../../lib/rooms/connection.ts';
import { isSnapshot, type Snapshot } from '../../lib/rooms/messages.ts';
import { ErrorState } from '../common/ErrorState.tsx';
import { useFrameClock } from '../common/hooks.ts';
import { ControlPanel } from './ControlPanel.tsx';

type Load =
  | { kind: 'loading' }
  | { kind: 'error'; error: ApiError }
  | { kind: 'ready'; conn: RoomConnection; token: string | null };

export default function ControlApp() {
  const [params] = useState(() => new URLSearchParams(location.search));
  const room = params.get('room') ?? '';
  const token = params.get('token');
  const [load, setLoad] = useState<Load>({ kind: 'loading' });

  const fetchRoom = () => {
    setLoad({ kind: 'loading' });
    api(`/api/rooms/${encodeURIComponent(room)}`, isSnapshot, { token }).then(
      (snap: Snapshot) => {
        if (snap.role === 'viewer') {
          setLoad({ kind: 'error', error: new ApiError(403, 'viewer_link', 'This is a viewer link') });
          return;
        }
        const conn = connectRoom({ room: snap.room.id, token });
        conn.store.load(snap);
        conn.clock.seed(snap.serverTime);
        setLoad({ kind: 'ready', conn, token });
      },
      (error: unknown) =>
        setLoad({
          kind: 'error',
          error: error instanceof ApiError ? error : new ApiError(0, 'unknown', String(error)),
        }),
    );
  };
  useEffect(() => {
    if (room) fetchRoom();
  }, []);
  useEffect(() => () => (load.kind === 'ready' ? load.conn.stop() : undefined), [load]);
  useFrameClock(load.kind === 'ready' ? load.conn.clock : null);

  if (!room) {
    return (
      <ErrorState kind="no-room" title="Which room?">
        <p>
          Open a room from <a href="/rooms/">My rooms</a>, or use the controller link you were sent.
        </p>
      </ErrorState>
    );
  }
  if (load.kind === 'loading') return <p class="kt-loading">Loading the room…</p>;
  if (load.kind === 'error') return <LoadError error={load.error} retry={fetchRoom} token={token} />;
  return <ControlPanel conn={load.conn} token={load.token} />;
}

function LoadError({ error, retry, token }: { error: ApiError; retry: () => void; token: string | null }) {
  if (error.code === NETWORK) {
    return (
      <ErrorState kind="network" title="Can’t reach Keeptime">
        <p>Check your connection.</p>
        <button type="button" class="kt-btn" onClick={retry} data-testid="retry">
          Try again
        </button>
      </ErrorState>
    );
  }
  if (error.status === 401) {
    const next = encodeURIComponent(location.pathname + location.search);
    return (
      <ErrorState kind="unauthenticated" title="Log in to control this room">
        <p>
          <a href={`/login/?next=${next}`}>Log in</a> as the room’s owner, or open the controller link you were sent.
        </p>
      </ErrorState>
    );
  }
  if (error.code === 'viewer_link') {
    return (
      <ErrorState kind="viewer-link" title="This is a viewer link">
        <p>
          It can watch the room but not control it. <a href={`/r/${token ?? ''}`}>Open the viewer</a>.
        </p>
      </ErrorState>
    );
  }
  if (error.status === 403) {
    return (
      <ErrorState kind="forbidden" title="This link can’t control the room">
        <p>
          {token
            ? 'The controller link may have been rotated. Ask the owner for the current one.'
            : 'Only the owner, or someone with its controller link, can control this room.'}
        </p>
      </ErrorState>
    );
  }
  if (error.status === 404) {
    return (
      <ErrorState kind="not-found" title="This room doesn’t exist">
        <p>
          It may have been deleted. Go to <a href="/rooms/">My rooms</a>.
        </p>
      </ErrorState>
    );
  }
  return (
    <ErrorState kind="error" title="Something went wrong">
      <p>{error.message}</p>
      <button type="button" class="kt-btn" onClick={retry} data-testid="retry">
        Try again
      </button>
    </ErrorState>
  );
}
