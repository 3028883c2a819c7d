/** /board?floor=: the supervisor's live grid of a floor's racks. */
import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../../lib/net/api.ts';
import { applyFloorMessage, connectFloor, isFloorId } from '../../lib/racks/floor-board.ts';
import { conflictsHref } from '../../lib/racks/conflicts.ts';
import { type Floor, type RackStatus, listFloors } from '../../lib/racks/api.ts';
import type { ConnectionStatus } from '../../lib/net/socket.ts';
import { ConnectionBadge } from '../common/ConnectionBadge.tsx';
import { ErrorState } from '../common/ErrorState.tsx';

const left = (expiresAt: number | null, now: number) => {
  if (expiresAt === null) return null;
  const s = Math.max(0, Math.ceil((expiresAt - now) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

const ago = (at: number, now: number) => {
  const s = Math.max(0, Math.round((now - at) / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min`;
};

export default function BoardApp() {
  const [floor, setFloor] = useState<string | null>(() => {
    const f = new URLSearchParams(location.search).get('floor');
    return isFloorId(f) ? f : null;
  });
  const [floors, setFloors] = useState<Floor[] | null>(null);
  const [board, setBoard] = useState<Record<string, RackStatus>>({});
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [offset, setOffset] = useState(0);
  const [now, setNow] = useState(Date.now());
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    listFloors().then(
      (f) => {
        setFloors(f);
        setFloor((cur) => cur ?? f[0]?.id ?? null);
      },
      (e) => setError(errorText(e)),
    );
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);

  useEffect(() => {
    if (!floor) return;
    history.replaceState(null, '', `?floor=${encodeURIComponent(floor)}`);
    setBoard({});
    const socket = connectFloor(floor, (m) => {
      setOffset(m.serverTime - Date.now());
      setBoard((b) => applyFloorMessage(b, m));
    });
    const off = socket.subscribe((s) => setStatus(s.status));
    return () => {
      off();
      socket.stop();
    };
  }, [floor]);

  if (error)
    return (
      <ErrorState kind="error" title="The board is unavailable" inPage>
        <p>{error}</p>
      </ErrorState>
    );
  const racks = Object.values(board).sort((a, b) => a.rack_id.localeCompare(b.rack_id));
  const serverNow = now + offset;
  const open = racks.reduce((n, r) => n + (r.counts.conflicts ?? 0), 0);
  return (
    <main class="kt-page kt-board" data-testid="floor-board" data-floor={floor ?? ''}>
      <div class="kt-board__head">
        <h1>Floor board</h1>
        <div class="kt-board__floors">
          {floors?.map((f) => (
            <button
              type="button"
              key={f.id}
              class={`kt-btn${f.id === floor ? ' kt-btn--primary' : ''}`}
              aria-pressed={f.id === floor}
              data-testid={`board-floor-${f.id}`}
              onClick={() => setFloor(f.id)}
            >
              {f.name}
            </button>
          ))}
        </div>
        <span class="kt-spacer" />
        {floor ? (
          <a
            class={open > 0 ? 'kt-conflict-badge' : 'kt-btn'}
            href={conflictsHref({ floor })}
            data-testid="board-conflicts"
            data-count={open}
          >
            {open} {open === 1 ? 'conflict' : 'conflicts'}
          </a>
        ) : null}
        <a class="kt-btn" href="/warehouse/" data-testid="board-manage">
          Manage
        </a>
        <ConnectionBadge status={status} />
      </div>
      <div class="kt-board__grid">
        {racks.map((r) => {
          // A lease that lapsed before the board heard about it is shown as free.
          const lapsed = r.expires_at !== null && r.expires_at <= serverNow;
          const st = lapsed ? 'available' : r.status;
          return (
            <article
              key={r.rack_id}
              class={`kt-rack kt-rack--${st}`}
              data-testid={`board-rack-${r.rack_id}`}
              data-status={st}
            >
              <header>
                <strong>{r.rack_id}</strong>
                <span class="kt-rack__status">{st}</span>
              </header>
              <p class="kt-rack__holder" data-testid="board-holder" title={r.holder ?? undefined}>
                {st === 'available' ? '—' : (r.holder_name ?? r.holder)}
              </p>
              <p class="kt-rack__left" data-testid="board-left">
                {st === 'available'
                  ? ''
                  : `${st === 'paused' ? 'held' : 'lease'} ${left(r.expires_at, serverNow) ?? ''}`}
              </p>
              <p class="kt-rack__counts" data-testid="board-counts" data-total={r.counts.total}>
                {r.counts.total} items · {r.counts.verified} ok · {r.counts.damage} dmg
              </p>
              {st !== 'available' && r.last_heartbeat_at ? (
                <p class="kt-rack__beat" data-testid="board-heartbeat">
                  beat {ago(r.last_heartbeat_at, serverNow)} ago
                </p>
              ) : null}
              <p class="kt-rack__conflicts" data-testid="board-conflicts-count" data-count={r.counts.conflicts ?? 0}>
                {(r.counts.conflicts ?? 0) > 0 ? (
                  <a href={conflictsHref({ rack: r.rack_id })}>
                    {r.counts.conflicts === 1 ? '1 conflict' : `${r.counts.conflicts} conflicts`}
                  </a>
                ) : null}
              </p>
            </article>
          );
        })}
      </div>
    </main>
  );
}
