/** /board?floor=: the supervisor's live grid of a floor's racks. */
import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../../lib/net/api.ts';
import { applyFloorMessage, connectFloor, isFloorId } from '../../lib/racks/floor-board.ts';
import { conflictsHref } from '../../lib/racks/conflicts.ts';
import { type Floor, type RackStatus, listFloors } from '../../lib/racks/api.ts';
import type { ConnectionStatus } from '../../lib/net/socket.ts';
import { ConnectionBadge } from '../common/ConnectionBadge.tsx';
import { ErrorState } from '../common/ErrorState.tsx';
import { Toast } from '../common/Toast.tsx';
import { useToast } from '../common/useToast.ts';
import { BoardRack } from './BoardRack.tsx';
import { UnsyncedBadge } from './UnsyncedBadge.tsx';

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
  const [toast, showToast] = useToast();

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
  const reviews = racks.reduce((n, r) => n + (r.open_reviews ?? 0), 0);
  const workers = new Map<string, string>();
  for (const r of racks) if (r.holder) workers.set(r.holder, r.holder_name ?? r.holder);
  return (
    <div class="kt-page kt-board" data-testid="floor-board" data-floor={floor ?? ''}>
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
        {floor ? (
          <a
            class={reviews > 0 ? 'kt-btn kt-btn--primary' : 'kt-btn'}
            href={`/reviews/?floor=${encodeURIComponent(floor)}`}
            data-testid="board-reviews"
            data-count={reviews}
          >
            {reviews} {reviews === 1 ? 'review' : 'reviews'}
          </a>
        ) : null}
        <UnsyncedBadge />
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
            <BoardRack
              key={r.rack_id}
              rack={r}
              status={st}
              serverNow={serverNow}
              workers={workers}
              onMessage={(text, tone) => showToast(text, tone)}
            />
          );
        })}
      </div>
      <Toast toast={toast} />
    </div>
  );
}
