/**
 * /conflicts?rack= (the holder, from the scan screen) or ?floor= (a
 * supervisor, from the board): open conflicts, resolved with one tap. The
 * list comes in pages ("Load more" asks for the next) and reloads its first
 * page live when the rack's or floor's conflict count moves.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, errorText } from '../../lib/net/api.ts';
import { connectFloor, isFloorId } from '../../lib/racks/floor-board.ts';
import {
  type Conflict,
  type ConflictChoice,
  floorConflicts,
  rackConflicts,
  resolveConflict,
} from '../../lib/racks/conflicts.ts';
import { connectRack } from '../../lib/racks/socket.ts';
import { ErrorState } from '../common/ErrorState.tsx';
import { Toast } from '../common/Toast.tsx';
import { useToast } from '../common/useToast.ts';
import { ConflictCard } from './ConflictCard.tsx';

type Scope = { rack: string } | { floor: string };

function readScope(): Scope | null {
  const q = new URLSearchParams(location.search);
  const rack = q.get('rack');
  if (rack && /^[A-Za-z0-9_-]{1,64}$/.test(rack)) return { rack };
  const floor = q.get('floor');
  return isFloorId(floor) ? { floor } : null;
}

export default function ConflictsApp() {
  const [scope] = useState<Scope | null>(readScope);
  const [list, setList] = useState<Conflict[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<{ message: string; status: number } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [toast, showToast] = useToast();
  const counts = useRef(new Map<string, number>());

  const page = (cursor: string | null) =>
    scope && 'rack' in scope
      ? rackConflicts(scope.rack, cursor)
      : floorConflicts((scope as { floor: string }).floor, cursor);

  const load = () => {
    if (!scope) return;
    page(null).then(
      (p) => {
        setList(p.conflicts);
        setNext(p.nextCursor);
        setError(null);
      },
      (e) => setError({ message: errorText(e), status: e instanceof ApiError ? e.status : 0 }),
    );
  };

  const loadMore = async () => {
    if (next === null || loadingMore) return;
    setLoadingMore(true);
    try {
      const p = await page(next);
      setList((l) => {
        const have = new Set((l ?? []).map((c) => `${c.rack_id}/${c.id}`));
        return [...(l ?? []), ...p.conflicts.filter((c) => !have.has(`${c.rack_id}/${c.id}`))];
      });
      setNext(p.nextCursor);
    } catch (e) {
      showToast(errorText(e));
    } finally {
      setLoadingMore(false);
    }
  };

  useEffect(() => {
    if (!scope) return;
    load();
    // Reload when a rack's open count changes (another device resolved one, or a sync found a new one).
    const onCount = (rackId: string, n = 0) => {
      if (counts.current.get(rackId) === n) return;
      counts.current.set(rackId, n);
      load();
    };
    const socket =
      'rack' in scope
        ? connectRack(scope.rack, (m) => m.type === 'rack-status' && onCount(m.rack_id, m.counts.conflicts))
        : connectFloor(scope.floor, (m) => {
            if (m.type === 'rack-status') onCount(m.rack.rack_id, m.rack.counts.conflicts);
          });
    return () => socket.stop();
  }, []);

  const resolve = async (c: Conflict, choice: ConflictChoice) => {
    setBusy(c.id);
    try {
      await resolveConflict(c, choice);
      setList((l) => (l ?? []).filter((x) => x.id !== c.id));
      showToast(`${c.item_code}: ${choice === 'merged' ? 'merged' : `kept ${choice}`}`, 'info');
    } catch (e) {
      showToast(
        e instanceof ApiError && e.code === 'conflict_resolved' ? `${c.item_code} was already resolved` : errorText(e),
      );
      load();
    } finally {
      setBusy(null);
    }
  };

  if (!scope)
    return (
      <ErrorState kind="error" title="Which rack?" inPage>
        <p>
          Open conflicts from the <a href="/racks/">scan screen</a> or the <a href="/board/">floor board</a>.
        </p>
      </ErrorState>
    );
  if (error && list === null)
    return error.status === 401 ? (
      <ErrorState kind="unauthenticated" title="Log in to see conflicts" inPage>
        <p>
          <a href={`/login/?next=${encodeURIComponent(location.pathname + location.search)}`}>Log in</a> first.
        </p>
      </ErrorState>
    ) : (
      <ErrorState kind="error" title="Conflicts are unavailable" inPage>
        <p>
          {error.status === 403
            ? 'Only the rack’s current holder or a supervisor can see its conflicts.'
            : error.message}
        </p>
      </ErrorState>
    );
  const back =
    'rack' in scope
      ? { href: '/racks/', text: 'Back to scanning' }
      : { href: `/board/?floor=${encodeURIComponent(scope.floor)}`, text: 'Back to the board' };
  return (
    <div class="kt-page kt-page--narrow kt-racks kt-conflicts" data-testid="conflicts" data-count={list?.length ?? ''}>
      <div class="kt-conflicts__head">
        <h1>Conflicts · {'rack' in scope ? `rack ${scope.rack}` : `floor ${scope.floor}`}</h1>
        <a class="kt-btn" href={back.href} data-testid="conflicts-back">
          {back.text}
        </a>
      </div>
      <p class="kt-muted kt-conflicts__help">
        A scan was refused because the item had changed under another claim. Keep your count, keep the one on the
        server, or merge both (serials joined, the larger count kept).
      </p>
      {list === null ? <p class="kt-loading">Loading…</p> : null}
      {list?.length === 0 ? (
        <p class="kt-alert" data-testid="conflicts-empty">
          No open conflicts.
        </p>
      ) : null}
      {list?.map((c) => (
        <ConflictCard
          key={c.id}
          conflict={c}
          busy={busy !== null}
          showRack={'floor' in scope}
          onResolve={(x, choice) => void resolve(x, choice)}
        />
      ))}
      {next !== null ? (
        <button
          type="button"
          class="kt-btn"
          data-testid="conflicts-more"
          disabled={loadingMore}
          onClick={() => void loadMore()}
        >
          {loadingMore ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
      <Toast toast={toast} />
    </div>
  );
}
