/**
 * The viewer at /r/<token>: the shell (connection, badge, overlays, errors) around the view the link chose
 * (`?view=`, see view-names.ts), which it loads as its own chunk and renders from the live room state.
 */
import { useEffect, useState } from 'preact/hooks';
import { CLOSE } from '../../lib/net/close-codes.ts';
import { connectRoom, type RoomConnection } from '../../lib/rooms/connection.ts';
import { emptyView } from '../../lib/rooms/store.ts';
import type { SocketState } from '../../lib/net/socket.ts';
import { ConnectionBadge } from '../common/ConnectionBadge.tsx';
import { ErrorState } from '../common/ErrorState.tsx';
import { OfflineMark } from '../common/OfflineMark.tsx';
import { useFrameClock, useObservable } from '../common/hooks.ts';
import { FullscreenButton, useViewLoad, ViewNotice } from './chrome.tsx';
import { IdentifyOverlay } from './IdentifyOverlay.tsx';
import { keepAwake, toggleFullscreen } from './screen.ts';
import { SoundToggle } from './SoundToggle.tsx';
import type { ViewChoice } from './view-names.ts';
import type { ViewComponent } from './views/types.ts';

interface ViewerAppProps {
  choice: ViewChoice;
  /** Loads the chosen view's chunk. */
  load: () => Promise<ViewComponent>;
}

const TOKEN = /^[0-9a-f]{20}_[A-Za-z0-9.-]{16,64}$/;

/** The share token from /r/<token>, if it is shaped like one. */
function tokenFromPath(path: string): string | null {
  const m = /^\/r\/([^/?#]+)\/?$/.exec(path);
  const token = m ? decodeURIComponent(m[1] as string) : null;
  return token && TOKEN.test(token) ? token : null;
}

export function ViewerApp({ choice, load }: ViewerAppProps) {
  const [token] = useState(() => tokenFromPath(location.pathname));
  if (!token) {
    return (
      <ErrorState kind="bad-link" title="This link doesn’t look right">
        <p>Check that you copied the whole viewer link, or ask the organiser to send it again.</p>
      </ErrorState>
    );
  }
  return <LiveViewer token={token} choice={choice} load={load} />;
}

const initialSocket: SocketState = { status: 'connecting', closeCode: null, attempts: 0 };

function LiveViewer({ token, choice, load }: ViewerAppProps & { token: string }) {
  const [conn] = useState<RoomConnection>(() => connectRoom({ room: token, token }));
  useFrameClock(conn.clock);
  useEffect(() => () => conn.stop(), [conn]);
  useEffect(keepAwake, []);
  const view = useObservable(conn.store, emptyView());
  const sock = useObservable(conn.socket, initialSocket);
  const loaded = useViewLoad(load);

  useEffect(() => {
    if (view.room) document.title = `${view.room.name} · Keeptime`;
  }, [view.room?.name]);

  if (sock.status === 'closed') return <Closed code={sock.closeCode} />;
  if (!view.synced && (sock.status === 'offline' || sock.status === 'reconnecting')) {
    return (
      <ErrorState kind="network" title="Can’t reach Keeptime">
        <p>We’ll keep trying and show the timer as soon as the connection is back.</p>
        <ConnectionBadge status={sock.status} />
      </ErrorState>
    );
  }
  if (loaded.status === 'failed') {
    return (
      <ErrorState kind="view-load" title="This view didn’t load">
        <p>Check the connection, then reload the page.</p>
        <button type="button" class="kt-btn" onClick={() => location.reload()}>
          Reload
        </button>
      </ErrorState>
    );
  }
  const corner = (
    <span class="kt-viewer__corner">
      <ConnectionBadge status={sock.status} quiet />
      <FullscreenButton />
    </span>
  );
  return (
    <div class="kt-viewer" data-view={choice.name} onDblClick={toggleFullscreen}>
      {loaded.status === 'ready' ? <loaded.View view={view} corner={corner} /> : <div class="kt-boot">Connecting…</div>}
      <ViewNotice choice={choice} />
      <OfflineMark clock={conn.clock} />
      <SoundToggle clock={conn.clock} room={view.room} timers={view.timers} />
      <IdentifyOverlay request={view.identify} />
    </div>
  );
}

function Closed({ code }: { code: number | null }) {
  if (code === CLOSE.rotated) {
    return (
      <ErrorState kind="rotated" title="This link was rotated">
        <p>The organiser replaced this viewer link. Ask them for the new one.</p>
      </ErrorState>
    );
  }
  if (code === CLOSE.forbidden || code === CLOSE.unauthenticated) {
    return (
      <ErrorState kind="invalid" title="This link isn’t valid any more">
        <p>It may have been replaced by a new one. Ask the organiser for the current viewer link.</p>
      </ErrorState>
    );
  }
  if (code === CLOSE.disconnected) {
    return (
      <ErrorState kind="disconnected" title="Disconnected by the organiser">
        <p>This screen was disconnected from the room. It will not reconnect by itself.</p>
        <p>
          <a href="" data-testid="reconnect">
            Reconnect
          </a>{' '}
          if the organiser asks you to.
        </p>
      </ErrorState>
    );
  }
  if (code === CLOSE.deleted) {
    return (
      <ErrorState kind="deleted" title="This room no longer exists">
        <p>The organiser deleted it. Nothing more will be shown here.</p>
      </ErrorState>
    );
  }
  return (
    <ErrorState kind="closed" title="Disconnected">
      <p>
        <a href="">Reload the page</a> to try again.
      </p>
    </ErrorState>
  );
}
