/**
 * One rack on the floor board: its lease status, or its audit's review status
 * (needs review, recount) in their own colours; holder, lease age and
 * heartbeat age; counts and conflicts; and the supervisor's lease actions
 * (hand the lease to another worker, or break it with a reason).
 */
import { useRef, useState } from 'preact/hooks';
import { errorText } from '../../lib/net/api.ts';
import type { RackStatus } from '../../lib/racks/api.ts';
import { conflictsHref } from '../../lib/racks/conflicts.ts';
import { breakLease, handOff } from '../../lib/racks/stock.ts';

interface BoardRackProps {
  rack: RackStatus;
  /** The lease status after a lapse the board has not heard about yet. */
  status: 'available' | 'claimed' | 'paused';
  serverNow: number;
  /** Workers seen on this floor (id → name), offered for a hand-off. */
  workers: Map<string, string>;
  onMessage: (text: string, tone: 'info' | 'error') => void;
}

const clock = (ms: number) => {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};
const age = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min` : `${Math.floor(s / 3600)} h`;
};

/** What the card shows as its status: a held lease first, then an audit waiting on review or recount. */
export function boardStatus(r: RackStatus, lease: BoardRackProps['status']): string {
  if (lease !== 'available') return r.mode === 'recount' ? 'recount' : lease;
  if (r.audit_status === 'needs_review' || r.audit_status === 'recount') return r.audit_status;
  return 'available';
}

export function BoardRack({ rack: r, status: lease, serverNow, workers, onMessage }: BoardRackProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [action, setAction] = useState<'handoff' | 'break' | null>(null);
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const st = boardStatus(r, lease);
  const held = lease !== 'available';
  // Ages are the server's at the message, moved on by the board's clock since.
  const granted = r.granted_at ?? null;
  const leaseAge = granted !== null ? serverNow - granted : null;
  const beatAge = r.last_heartbeat_at ? serverNow - r.last_heartbeat_at : null;

  const ask = (a: 'handoff' | 'break') => {
    setAction(a);
    setTo('');
    setReason('');
    dialog.current?.showModal();
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!action) return;
    setBusy(true);
    try {
      if (action === 'handoff') {
        await handOff(r.rack_id, to.trim(), reason.trim());
        onMessage(`${r.rack_id} handed to ${workers.get(to.trim()) ?? to.trim()}`, 'info');
      } else {
        await breakLease(r.rack_id, reason.trim());
        onMessage(`${r.rack_id}: lease broken`, 'info');
      }
      dialog.current?.close();
    } catch (err) {
      onMessage(`${r.rack_id}: ${errorText(err)}`, 'error');
    } finally {
      setBusy(false);
    }
  };
  const ready = reason.trim().length > 0 && (action === 'break' || to.trim().length > 0);

  return (
    <article
      class={`kt-rack kt-rack--${st}`}
      data-testid={`board-rack-${r.rack_id}`}
      data-status={st}
      data-audit-status={r.audit_status ?? ''}
    >
      <header>
        <strong>{r.rack_id}</strong>
        {r.blind ? (
          <span class="kt-rack__blind" title="Blind count: the counter does not see expected quantities">
            blind
          </span>
        ) : null}
        <span class="kt-rack__status">{st.replace('_', ' ')}</span>
      </header>
      <p class="kt-rack__holder" data-testid="board-holder" title={r.holder ?? undefined}>
        {held ? (r.holder_name ?? r.holder) : '—'}
      </p>
      <p class="kt-rack__left" data-testid="board-left">
        {held && r.expires_at !== null
          ? `${lease === 'paused' ? 'held' : 'lease'} ${clock(r.expires_at - serverNow)}`
          : ''}
      </p>
      {held ? (
        <p class="kt-rack__beat" data-testid="board-ages">
          <span data-testid="board-lease-age">{leaseAge !== null ? `held ${age(leaseAge)}` : ''}</span>
          {beatAge !== null ? (
            <span data-testid="board-heartbeat" class={beatAge > 40_000 ? 'kt-rack__late' : ''}>
              {' '}
              · beat {age(beatAge)} ago
            </span>
          ) : null}
        </p>
      ) : null}
      <p class="kt-rack__counts" data-testid="board-counts" data-total={r.counts.total}>
        {r.counts.total} items · {r.counts.verified} ok · {r.counts.damage} dmg
      </p>
      <p class="kt-rack__conflicts" data-testid="board-conflicts-count" data-count={r.counts.conflicts ?? 0}>
        {(r.counts.conflicts ?? 0) > 0 ? (
          <a href={conflictsHref({ rack: r.rack_id })}>
            {r.counts.conflicts === 1 ? '1 conflict' : `${r.counts.conflicts} conflicts`}
          </a>
        ) : null}
        {(r.open_reviews ?? 0) > 0 ? (
          <a href={`/reviews/?floor=${encodeURIComponent(r.floor)}`} data-testid="board-review-link">
            {' '}
            {r.open_reviews === 1 ? '1 review' : `${r.open_reviews} reviews`}
          </a>
        ) : null}
      </p>
      {held ? (
        <div class="kt-rack__actions">
          <button type="button" class="kt-btn" data-testid="board-handoff" onClick={() => ask('handoff')}>
            Hand off
          </button>
          <button type="button" class="kt-btn kt-btn--ghost" data-testid="board-break" onClick={() => ask('break')}>
            Break
          </button>
        </div>
      ) : null}
      <dialog
        ref={dialog}
        class="kt-rdialog"
        data-testid="lease-dialog"
        aria-labelledby={`kt-ld-${r.rack_id}`}
        onClose={() => setAction(null)}
      >
        {action ? (
          <form onSubmit={(e) => void submit(e)} class="kt-rdialog__form">
            <h3 id={`kt-ld-${r.rack_id}`}>
              {action === 'handoff' ? `Hand ${r.rack_id} to another worker` : `Break the lease on ${r.rack_id}`}
            </h3>
            <p class="kt-muted">
              {action === 'handoff'
                ? `${r.holder_name ?? r.holder}'s device is told and stops; the new holder gets the scans so far.`
                : `${r.holder_name ?? r.holder}'s device is told and stops; the rack becomes free.`}
            </p>
            {action === 'handoff' ? (
              <label class="kt-field">
                <span>Worker (user id)</span>
                <input
                  class="kt-input"
                  data-testid="handoff-to"
                  maxLength={128}
                  value={to}
                  onInput={(e) => setTo(e.currentTarget.value)}
                />
              </label>
            ) : null}
            {action === 'handoff' && workers.size > 0 ? (
              <p class="kt-muted kt-rdialog__known" data-testid="handoff-known">
                On this floor now:{' '}
                {[...workers].map(([id, name], i) => (
                  <span key={id}>
                    {i > 0 ? ', ' : ''}
                    {name} <code>{id}</code>
                  </span>
                ))}
              </p>
            ) : null}
            <label class="kt-field">
              <span>Reason</span>
              <input
                class="kt-input"
                data-testid="lease-reason"
                maxLength={500}
                value={reason}
                onInput={(e) => setReason(e.currentTarget.value)}
              />
            </label>
            <div class="kt-rdialog__actions">
              <button type="button" class="kt-btn kt-btn--ghost" onClick={() => dialog.current?.close()}>
                Cancel
              </button>
              <button
                type="submit"
                class="kt-btn kt-btn--primary"
                data-testid="lease-confirm"
                disabled={busy || !ready}
              >
                {action === 'handoff' ? 'Hand off' : 'Break lease'}
              </button>
            </div>
          </form>
        ) : null}
      </dialog>
    </article>
  );
}
