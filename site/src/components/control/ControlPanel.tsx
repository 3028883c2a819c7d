/** The control panel: a Live tab (preview, transport, rundown, message, share links, devices) and a History tab. */
import { useState } from 'preact/hooks';
import type { Timer } from '../../../../core/rooms/timer.ts';
import type { RoomConnection } from '../../lib/rooms/connection.ts';
import { CLOSE } from '../../lib/net/close-codes.ts';
import { activeAndNext } from '../../lib/rooms/display.ts';
import { type RunCommand, emptyView } from '../../lib/rooms/store.ts';
import { fitsFrame, reorderOverHttp } from '../../lib/rooms/large-commands.ts';
import type { ShortcutAction } from '../../lib/rooms/shortcuts.ts';
import type { SocketState } from '../../lib/net/socket.ts';
import { ConnectionBadge } from '../common/ConnectionBadge.tsx';
import { ErrorState } from '../common/ErrorState.tsx';
import { useObservable } from '../common/hooks.ts';
import { Toast } from '../common/Toast.tsx';
import { useToast } from '../common/useToast.ts';
import { TimerDisplay } from '../display/TimerDisplay.tsx';
import { HistoryTab } from '../history/HistoryTab.tsx';
import { DevicesPanel } from './DevicesPanel.tsx';
import { HelpOverlay } from './HelpOverlay.tsx';
import { MessagePanel } from './MessagePanel.tsx';
import { PanelTabs, usePanelTab } from './PanelTabs.tsx';
import { RoomSettings } from './RoomSettings.tsx';
import { Rundown } from './Rundown.tsx';
import { RundownImport } from './RundownImport.tsx';
import { SharePanel } from './SharePanel.tsx';
import { TimerEditor } from './TimerEditor.tsx';
import { Transport, toggleCommand } from './Transport.tsx';
import { useShortcuts } from './use-shortcuts.ts';

const initialSocket: SocketState = { status: 'connecting', closeCode: null, attempts: 0 };

export function ControlPanel({ conn, token }: { conn: RoomConnection; token: string | null }) {
  const view = useObservable(conn.store, emptyView());
  const sock = useObservable(conn.socket, initialSocket);
  const [toast, notify] = useToast();
  const [help, setHelp] = useState(false);
  const [editing, setEditing] = useState<Timer | 'new' | null>(null);
  const [tab, setTab] = usePanelTab();
  const { active } = activeAndNext(view.room, view.timers);

  const run: RunCommand = async (cmd) => {
    const roomId = view.room?.id;
    const r =
      cmd.type === 'reorder' && roomId && !fitsFrame(cmd)
        ? await reorderOverHttp(roomId, cmd.timerIds, token)
        : await conn.store.command(cmd);
    if (!r.ok) notify(r.message);
    return r;
  };

  const onShortcut = (a: ShortcutAction) => {
    if (a.type === 'help') return setHelp((h) => !h);
    if (a.type === 'next' || a.type === 'previous') return void run({ type: a.type });
    if (!active) return notify('Add a timer first');
    if (a.type === 'adjust') return void run({ type: 'adjust', timerId: active.id, deltaMs: a.deltaMs });
    const cmd = toggleCommand(active);
    if (cmd) void run(cmd);
    else notify('This timer has finished: reset it first');
  };
  // Shortcuts act on what the Live tab shows; on History they would act unseen.
  useShortcuts(onShortcut, editing === null && tab === 'live');

  if (sock.status === 'closed') {
    const rotated = sock.closeCode === CLOSE.rotated || sock.closeCode === CLOSE.forbidden;
    return rotated ? (
      <ErrorState kind="rotated" title="This controller link was rotated">
        <p>Ask the room’s owner for the new controller link.</p>
      </ErrorState>
    ) : sock.closeCode === CLOSE.unauthenticated ? (
      <ErrorState kind="unauthenticated" title="Your session ended">
        <p>
          <a href={`/login/?next=${encodeURIComponent(location.pathname + location.search)}`}>Log in again</a> to keep
          controlling this room.
        </p>
      </ErrorState>
    ) : sock.closeCode === CLOSE.deleted ? (
      <ErrorState kind="deleted" title="This room was deleted">
        <p>
          Go to <a href="/rooms/">My rooms</a>.
        </p>
      </ErrorState>
    ) : (
      <ErrorState kind="closed" title="Disconnected">
        <p>
          <a href="">Reload</a> to reconnect.
        </p>
      </ErrorState>
    );
  }
  const room = view.room;
  if (!room) return <p class="kt-loading">Loading the room…</p>;

  return (
    <div class="ctl" data-testid="control-panel" data-role={view.role ?? ''}>
      <div class="ctl-bar">
        <h1 class="ctl-bar__title" data-testid="room-title">
          {room.name}
        </h1>
        <span class="ctl-pill" data-testid="role">
          {view.role === 'owner' ? 'Owner' : 'Controller'}
        </span>
        <span class="ctl-counts" data-testid="counts" title="Connected screens">
          <span data-testid="count-viewers">{view.viewers}</span> {view.viewers === 1 ? 'viewer' : 'viewers'} ·{' '}
          <span data-testid="count-controllers">{view.controllers}</span>{' '}
          {view.controllers === 1 ? 'controller' : 'controllers'}
        </span>
        <span class="ctl-bar__spacer" />
        <ConnectionBadge status={sock.status} />
        <button
          type="button"
          class="kt-btn kt-btn--small"
          onClick={() => setHelp(true)}
          aria-label="Keyboard shortcuts"
          data-testid="help-open"
        >
          ? <span class="kt-hide-small">Shortcuts</span>
        </button>
      </div>

      <PanelTabs tab={tab} onChange={setTab} />

      {tab === 'history' ? (
        <HistoryTab roomId={room.id} token={token} timers={view.timers} />
      ) : (
        <div class="ctl-grid" id="panel-live" role="tabpanel" aria-labelledby="tab-live">
          <section class="ctl-stage" aria-label="Live">
            <div class="ctl-preview" data-testid="preview">
              <TimerDisplay room={room} timers={view.timers} message={view.message} preview />
            </div>
            <Transport active={active} run={run} />
          </section>
          <MessagePanel message={view.message} run={run} />
          <section class="ctl-rundown kt-card" aria-label="Rundown">
            <Rundown
              room={room}
              timers={view.timers}
              played={view.played}
              run={run}
              onEdit={setEditing}
              onAdd={() => setEditing('new')}
            />
            <RundownImport room={room} count={view.timers.length} token={token} notify={notify} />
          </section>
          <aside class="ctl-side">
            {view.role === 'owner' && view.links ? (
              <SharePanel
                roomId={room.id}
                links={view.links}
                onRotated={(l) => conn.store.setLinks(l)}
                notify={notify}
              />
            ) : (
              <section class="kt-card">
                <h2>Share</h2>
                <p class="kt-muted">
                  {token !== null ? 'Share links are shown to the room’s owner.' : 'Share links are not available.'}
                </p>
              </section>
            )}
            <DevicesPanel devices={view.devices} clock={conn.clock} run={run} />
            {view.role === 'owner' ? <RoomSettings room={room} notify={notify} /> : null}
          </aside>
        </div>
      )}

      {editing !== null ? (
        <TimerEditor
          timer={editing === 'new' ? null : editing}
          room={room}
          run={run}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {help ? <HelpOverlay onClose={() => setHelp(false)} /> : null}
      <Toast toast={toast} />
    </div>
  );
}
