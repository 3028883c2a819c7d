/** /reviews?floor=: the supervisor's variance reviews of a floor, open ones first; refreshed every few seconds. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, errorText } from '../../lib/net/api.ts';
import { type Floor, listFloors } from '../../lib/racks/api.ts';
import { isFloorId } from '../../lib/racks/floor-board.ts';
import { type Review, listReviews } from '../../lib/racks/reviews.ts';
import { ErrorState } from '../common/ErrorState.tsx';
import { Toast } from '../common/Toast.tsx';
import { useToast } from '../common/useToast.ts';
import { ReviewCard } from './ReviewCard.tsx';
import { UnsyncedBadge } from './UnsyncedBadge.tsx';

const REFRESH_MS = 4_000;

export default function ReviewsApp() {
  const [floor, setFloor] = useState<string | null>(() => {
    const f = new URLSearchParams(location.search).get('floor');
    return isFloorId(f) ? f : null;
  });
  const [floors, setFloors] = useState<Floor[] | null>(null);
  const [which, setWhich] = useState<'open' | 'all'>('open');
  const [reviews, setReviews] = useState<Review[] | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  const [toast, showToast] = useToast();

  useEffect(() => {
    listFloors().then(
      (f) => {
        setFloors(f);
        setFloor((cur) => cur ?? f[0]?.id ?? null);
      },
      (e) => setError({ status: e instanceof ApiError ? e.status : 0, message: errorText(e) }),
    );
  }, []);

  const load = useCallback(() => {
    if (!floor) return;
    listReviews(floor, which).then(setReviews, (e) =>
      setError({ status: e instanceof ApiError ? e.status : 0, message: errorText(e) }),
    );
  }, [floor, which]);

  useEffect(() => {
    if (!floor) return;
    history.replaceState(null, '', `?floor=${encodeURIComponent(floor)}`);
    setReviews(null);
    load();
    const t = setInterval(load, REFRESH_MS);
    return () => clearInterval(t);
  }, [floor, load]);

  if (error)
    return error.status === 401 ? (
      <ErrorState kind="unauthenticated" title="Log in to review audits" inPage>
        <p>
          <a href={`/login/?next=${encodeURIComponent('/reviews/')}`}>Log in</a> as a supervisor.
        </p>
      </ErrorState>
    ) : (
      <ErrorState kind="error" title="Reviews are unavailable" inPage>
        <p>{error.status === 403 ? 'Only supervisors (admins) review audits.' : error.message}</p>
      </ErrorState>
    );

  const replace = (r: Review) => setReviews((list) => (list ?? []).map((x) => (x.audit_id === r.audit_id ? r : x)));
  return (
    <div class="kt-page kt-racks kt-reviews" data-testid="reviews" data-floor={floor ?? ''}>
      <div class="kt-reviews__head">
        <h1>Variance reviews</h1>
        <UnsyncedBadge />
        <span class="kt-spacer" />
        <a class="kt-btn" href={floor ? `/board/?floor=${encodeURIComponent(floor)}` : '/board/'}>
          Board
        </a>
      </div>
      <div class="kt-racks-choices">
        {floors?.map((f) => (
          <button
            type="button"
            key={f.id}
            class={`kt-racks-choice${f.id === floor ? ' is-on' : ''}`}
            aria-pressed={f.id === floor}
            data-testid={`reviews-floor-${f.id}`}
            onClick={() => setFloor(f.id)}
          >
            <strong>{f.name}</strong>
          </button>
        ))}
      </div>
      <div class="kt-reviews__filter" role="group" aria-label="Which audits">
        {(['open', 'all'] as const).map((w) => (
          <button
            type="button"
            key={w}
            class={`kt-btn${w === which ? ' kt-btn--primary' : ''}`}
            aria-pressed={w === which}
            data-testid={`reviews-${w}`}
            onClick={() => setWhich(w)}
          >
            {w === 'open' ? 'To decide' : 'All recent'}
          </button>
        ))}
      </div>
      {reviews === null ? <p class="kt-loading">Loading…</p> : null}
      {reviews?.length === 0 ? (
        <p class="kt-muted" data-testid="reviews-empty">
          {which === 'open' ? 'Nothing to review on this floor.' : 'No audits on this floor yet.'}
        </p>
      ) : null}
      {reviews?.map((r) => (
        <ReviewCard key={r.audit_id} review={r} onChanged={replace} onError={(m) => showToast(m, 'error')} />
      ))}
      <Toast toast={toast} />
    </div>
  );
}
