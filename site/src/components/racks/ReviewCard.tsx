/**
 * One audit under review: per item the expected and counted quantities, the
 * variance, the recount beside the first count, and the supervisor's
 * decision (accept, recount — optionally by a named worker — or override with
 * a reason); then the audit's history.
 */
import { useRef, useState } from 'preact/hooks';
import { errorText } from '../../lib/net/api.ts';
import {
  type Decision,
  type DecisionInput,
  type Review,
  type ReviewItem,
  STATUS_TEXT,
  decide,
} from '../../lib/racks/reviews.ts';

interface ReviewCardProps {
  review: Review;
  onChanged: (r: Review) => void;
  onError: (message: string) => void;
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
const when = (at: number) => new Date(at).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });

export function ReviewCard({ review, onChanged, onError }: ReviewCardProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [asking, setAsking] = useState<{ item: ReviewItem; decision: Exclude<Decision, 'accept'> } | null>(null);
  const [qty, setQty] = useState('');
  const [reason, setReason] = useState('');
  const [assignee, setAssignee] = useState('');
  const [busy, setBusy] = useState(false);

  const send = async (item: ReviewItem, d: DecisionInput) => {
    setBusy(true);
    try {
      onChanged(await decide(review.audit_id, item.item_code, d));
      dialog.current?.close();
      setAsking(null);
    } catch (e) {
      onError(`${item.item_code}: ${errorText(e)}`);
    } finally {
      setBusy(false);
    }
  };
  const ask = (item: ReviewItem, decision: 'recount' | 'override') => {
    setAsking({ item, decision });
    setQty(String(item.recount?.counted_qty ?? item.counted_qty));
    setReason('');
    setAssignee('');
    dialog.current?.showModal();
  };
  const submit = (e: Event) => {
    e.preventDefault();
    if (!asking) return;
    if (asking.decision === 'override')
      void send(asking.item, { decision: 'override', qty: Number.parseInt(qty, 10), reason: reason.trim() });
    else void send(asking.item, { decision: 'recount', ...(assignee.trim() ? { assignee: assignee.trim() } : {}) });
  };
  const open = review.status !== 'posted';
  const overrideOk = /^\d{1,7}$/.test(qty) && reason.trim().length > 0;

  return (
    <article
      class={`kt-review kt-review--${review.status}`}
      data-testid="review"
      data-audit={review.audit_id}
      data-status={review.status}
    >
      <header class="kt-review__head">
        <h2>
          Rack {review.rack_id} <span class="kt-muted">· {review.audit_id}</span>
        </h2>
        <span class={`kt-audit-badge kt-audit-badge--${review.status}`} data-testid="review-status">
          {STATUS_TEXT[review.status]}
        </span>
      </header>
      <p class="kt-muted kt-review__meta">
        Counted by <strong data-testid="review-counter">{review.counter_name ?? review.counter_id}</strong>, completed{' '}
        {when(review.completed_at)}
        {review.blind ? ' · blind count' : ''}
        {review.posted_at ? ` · posted ${when(review.posted_at)}` : ''}
      </p>
      {review.expected_changed ? (
        <p class="kt-alert kt-alert--warn" data-testid="review-expected-changed">
          Expected stock changed since this audit started.
        </p>
      ) : null}
      {review.recount ? (
        <p class="kt-review__recount" data-testid="review-recount">
          Recount of {review.recount.items.join(', ')}
          {review.recount.assignee ? ` assigned to ${review.recount.assignee}` : ' (anyone may claim it)'}
          {review.recount.holder ? ` · being counted by ${review.recount.holder}` : ' · waiting to be claimed'}
        </p>
      ) : null}
      <div class="kt-review__table-wrap">
        <table class="kt-review__table">
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Expected</th>
              <th scope="col">Counted</th>
              <th scope="col">Variance</th>
              <th scope="col">Decision</th>
            </tr>
          </thead>
          <tbody>
            {review.items.map((i) => (
              <tr
                key={i.item_code}
                class={i.flagged ? 'is-flagged' : ''}
                data-testid="review-item"
                data-item={i.item_code}
                data-flagged={String(i.flagged)}
                data-decision={i.decision ?? ''}
              >
                <th scope="row">
                  {i.item_code}
                  {i.description ? <span class="kt-muted kt-review__desc">{i.description}</span> : null}
                </th>
                <td data-testid="review-expected">{i.expected_qty}</td>
                <td data-testid="review-counted">
                  {i.counted_qty}
                  {i.recount ? (
                    <span class="kt-review__second" data-testid="review-recounted">
                      recount {i.recount.counted_qty}
                    </span>
                  ) : null}
                </td>
                <td data-testid="review-variance" class={i.variance !== 0 ? 'kt-review__off' : ''}>
                  {signed(i.recount?.variance ?? i.variance)}
                </td>
                <td>
                  {i.decision && i.decision !== 'recount' ? (
                    <span data-testid="review-decision">
                      {i.decision === 'accept' ? 'Accepted' : `Overridden to ${i.final_qty}`}
                      {i.reason ? <span class="kt-muted"> · {i.reason}</span> : null}
                    </span>
                  ) : i.decision === 'recount' ? (
                    <span data-testid="review-decision">Recount requested</span>
                  ) : i.flagged && open ? (
                    <span class="kt-review__actions">
                      <button
                        type="button"
                        class="kt-btn kt-btn--primary"
                        data-testid="review-accept"
                        disabled={busy}
                        onClick={() => void send(i, { decision: 'accept' })}
                      >
                        Accept
                      </button>
                      <button
                        type="button"
                        class="kt-btn"
                        data-testid="review-recount-ask"
                        disabled={busy}
                        onClick={() => ask(i, 'recount')}
                      >
                        Recount
                      </button>
                      <button
                        type="button"
                        class="kt-btn kt-btn--ghost"
                        data-testid="review-override-ask"
                        disabled={busy}
                        onClick={() => ask(i, 'override')}
                      >
                        Override
                      </button>
                    </span>
                  ) : (
                    <span class="kt-muted">{i.flagged ? '' : 'within threshold'}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details class="kt-review__history" data-testid="review-history">
        <summary>History ({review.history.length})</summary>
        <ol>
          {review.history.map((h) => (
            <li key={h.seq} data-type={h.type}>
              {when(h.at)} · {h.type}
              {h.item_code ? ` ${h.item_code}` : ''}
              {h.decision ? `: ${h.decision}` : ''}
              {h.qty !== undefined ? ` ${h.qty}` : ''}
              {h.reason ? ` (${h.reason})` : ''}
              {h.assignee ? ` → ${h.assignee}` : ''} · {h.by}
            </li>
          ))}
        </ol>
      </details>
      <dialog
        ref={dialog}
        class="kt-dialog"
        data-testid="review-dialog"
        aria-labelledby={`kt-rd-${review.audit_id}`}
        onClose={() => setAsking(null)}
      >
        {asking ? (
          <form method="dialog" onSubmit={submit} class="kt-dialog__form">
            <h3 id={`kt-rd-${review.audit_id}`}>
              {asking.decision === 'override' ? 'Override' : 'Recount'} {asking.item.item_code}
            </h3>
            {asking.decision === 'override' ? (
              <>
                <label class="kt-field">
                  <span>Final quantity</span>
                  <input
                    class="kt-input"
                    data-testid="review-qty"
                    inputMode="numeric"
                    value={qty}
                    onInput={(e) => setQty(e.currentTarget.value)}
                  />
                </label>
                <label class="kt-field">
                  <span>Reason</span>
                  <input
                    class="kt-input"
                    data-testid="review-reason"
                    maxLength={500}
                    value={reason}
                    onInput={(e) => setReason(e.currentTarget.value)}
                  />
                </label>
              </>
            ) : (
              <label class="kt-field">
                <span>Worker's user id (optional: anyone may claim the recount)</span>
                <input
                  class="kt-input"
                  data-testid="review-assignee"
                  maxLength={128}
                  value={assignee}
                  onInput={(e) => setAssignee(e.currentTarget.value)}
                />
              </label>
            )}
            <div class="kt-dialog__actions">
              <button type="button" class="kt-btn kt-btn--ghost" onClick={() => dialog.current?.close()}>
                Cancel
              </button>
              <button
                type="submit"
                class="kt-btn kt-btn--primary"
                data-testid="review-confirm"
                disabled={busy || (asking.decision === 'override' && !overrideOk)}
              >
                {asking.decision === 'override' ? 'Override' : 'Request recount'}
              </button>
            </div>
          </form>
        ) : null}
      </dialog>
    </article>
  );
}
