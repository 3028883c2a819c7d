/**
 * Step two: scanning under a lease. The rack session (lib/racks/session.ts)
 * keeps the queue, the sync manager, the heartbeat and the socket; this screen
 * renders it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../../lib/net/api.ts';
import { conflictsHref } from '../../lib/racks/conflicts.ts';
import { type HeldLease, RackSession } from '../../lib/racks/session.ts';
import { type CameraHit, scanFeedback } from '../../lib/racks/camera.ts';
import { trapWedge } from '../../lib/racks/wedge.ts';
import { CameraPanel } from './CameraPanel.tsx';
import { UnsyncedBadge } from './UnsyncedBadge.tsx';
import { StatTile } from '../common/StatTile.tsx';
import { Toast } from '../common/Toast.tsx';
import { useObservable } from '../common/hooks.ts';
import { useToast } from '../common/useToast.ts';

interface ScanScreenProps {
  lease: HeldLease;
  onLease: (l: HeldLease) => void;
  onDone: (summary: Record<string, unknown> | null) => void;
  onReclaim: () => Promise<void>;
}

/** Why the lease ended, as the server's lease-lost reason says. */
const LOST_TEXT: Record<string, (rack: string) => string> = {
  'handed-off': (rack) => `A supervisor handed ${rack} to another worker.`,
  broken: (rack) => `A supervisor broke your lease on ${rack}.`,
  'force-released': (rack) => `A supervisor released ${rack}.`,
  expired: (rack) => `The lease on ${rack} expired.`,
};
const lostText = (reason: string | null, rack: string) =>
  (LOST_TEXT[reason ?? ''] ?? ((r: string) => `Another claim or an expiry ended your hold on ${r}.`))(rack);

const clockText = (ms: number) => {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

export function ScanScreen(props: ScanScreenProps) {
  const latest = useRef(props);
  latest.current = props;
  const [session] = useState(
    () =>
      new RackSession({
        lease: props.lease,
        onLease: (l) => latest.current.onLease(l),
        onDone: (summary) => latest.current.onDone(summary),
        onReclaim: () => latest.current.onReclaim(),
      }),
  );
  const { lease, sync, beat, lost, lostReason, counts, recent, leftover, busy } = useObservable(session, session.state);
  const [now, setNow] = useState(Date.now());
  const [toast, showToast] = useToast();
  const code = useRef<HTMLInputElement>(null);
  const [qty, setQty] = useState('1');
  const [damage, setDamage] = useState('0');

  useEffect(() => {
    session.start();
    const tick = setInterval(() => setNow(Date.now()), 1000);
    const untrap = trapWedge(() => code.current);
    return () => {
      session.stop();
      clearInterval(tick);
      untrap();
    };
  }, [session]);

  const left = lease.expires_at - (now + lease.offsetMs);
  const expired = left <= 0;
  const blocked = lost || lease.paused;

  const scan = (e: Event) => {
    e.preventDefault();
    const input = code.current;
    const stored = session.scan({
      item_code: input?.value.trim() ?? '',
      verified_qty: Math.max(0, Number.parseInt(qty, 10) || 0),
      damage_qty: Math.max(0, Number.parseInt(damage, 10) || 0),
    });
    if (!stored) return;
    if (input) input.value = '';
    setDamage('0');
    stored.catch((err: unknown) => showToast(`Could not store the scan: ${errorText(err)}`));
    input?.focus();
  };

  /** A camera read: stored like a typed scan, with a beep; the frame → queue time is measured for the report. */
  const cameraScan = (hit: CameraHit) => {
    const stored = session.scan({
      item_code: hit.code,
      verified_qty: Math.max(0, Number.parseInt(qty, 10) || 0),
      damage_qty: 0,
    });
    if (!stored) return;
    scanFeedback();
    stored.then(
      () =>
        performance.measure('kt-frame-to-queue', {
          start: hit.frameAt,
          end: performance.now(),
          detail: { code: hit.code, format: hit.format },
        }),
      (err: unknown) => showToast(`Could not store the scan: ${errorText(err)}`),
    );
  };

  const command = (type: 'pause' | 'resume' | 'release') =>
    session.command(type).catch((err: unknown) => showToast(errorText(err)));
  const complete = () => session.complete().catch((err: unknown) => showToast(errorText(err)));
  const reclaim = () => session.reclaim().catch((err: unknown) => showToast(errorText(err)));

  const sendLeftover = async () => {
    try {
      const n = await session.sendLeftover();
      if (n > 0) showToast(`${n} earlier ${n === 1 ? 'scan' : 'scans'} queued under this claim`, 'info');
    } catch (err) {
      showToast(`Could not move the scans: ${errorText(err)}`);
    }
  };

  // The badge counts every unsent scan here; completion waits for this session's.
  const unsynced = sync.pending + leftover.length;
  const waiting = sync.pending;
  const pct = sync.total === 0 ? 0 : Math.round((sync.synced / sync.total) * 100);
  return (
    <section class="kt-scan" data-testid="scan-screen" data-rack={lease.rack_id} data-session={lease.session_id}>
      <div class="kt-scan__head">
        <h1>
          Rack <span data-testid="scan-rack">{lease.rack_id}</span>
        </h1>
        <div
          class={`kt-lease${lost || expired ? ' kt-lease--bad' : lease.paused ? ' kt-lease--paused' : ''}`}
          data-testid="lease"
          data-state={lost ? 'lost' : lease.paused ? 'paused' : 'active'}
        >
          <span class="kt-lease__label">{lost ? 'Lease lost' : lease.paused ? 'Paused · held for' : 'Lease'}</span>
          <span class="kt-lease__clock" data-testid="lease-countdown">
            {lost ? '—' : clockText(left)}
          </span>
          <span class="kt-lease__beat kt-muted" data-testid="heartbeat" data-status={beat}>
            {lease.paused
              ? 'heartbeat off while paused'
              : {
                  ok: 'heartbeat ok',
                  sending: 'renewing…',
                  failed: 'heartbeat failed — retrying',
                  'paused-hidden': 'heartbeat paused',
                }[beat]}
          </span>
        </div>
        <UnsyncedBadge count={unsynced} />
      </div>

      {(counts?.conflicts ?? 0) > 0 ? (
        <a
          class="kt-conflict-badge"
          href={conflictsHref({ rack: lease.rack_id })}
          data-testid="conflict-badge"
          data-count={counts?.conflicts}
        >
          {counts?.conflicts} {counts?.conflicts === 1 ? 'conflict' : 'conflicts'} to resolve →
        </a>
      ) : null}

      {lost ? (
        <div class="kt-alert kt-alert--warn kt-scan__lost" role="alert" data-testid="lease-lost">
          <p>
            <strong>Lease lost.</strong>{' '}
            <span data-testid="lease-lost-reason" data-reason={lostReason ?? ''}>
              {lostText(lostReason, lease.rack_id)}
            </span>{' '}
            Scanning is blocked.
            {sync.pending > 0 ? (
              <span data-testid="lost-pending">
                {' '}
                {sync.pending} unsent {sync.pending === 1 ? 'scan is' : 'scans are'} kept on this device: claim again to
                send {sync.pending === 1 ? 'it' : 'them'}.
              </span>
            ) : null}
          </p>
          <button
            type="button"
            class="kt-btn kt-btn--primary kt-btn--big"
            data-testid="reclaim"
            disabled={busy}
            onClick={() => void reclaim()}
          >
            Claim {lease.rack_id} again
          </button>
        </div>
      ) : null}

      {lease.mode === 'recount' ? (
        <p class="kt-scan__recount" data-testid="recount-banner" data-items={(lease.items ?? []).join(',')}>
          <strong>Recount.</strong> Count only {(lease.items ?? []).join(', ')}; other items are not taken.
        </p>
      ) : null}

      {leftover.length > 0 && !blocked ? (
        <div
          class="kt-alert kt-alert--warn kt-scan__leftover"
          role="alert"
          data-testid="leftover"
          data-count={leftover.length}
        >
          <p>
            <strong>
              {leftover.length} {leftover.length === 1 ? 'scan' : 'scans'} from your earlier claim of {lease.rack_id}{' '}
              {leftover.length === 1 ? 'was' : 'were'} never sent.
            </strong>{' '}
            Send {leftover.length === 1 ? 'it' : 'them'} under this claim? Items changed meanwhile come back as
            conflicts to resolve.
          </p>
          <div class="kt-scan__leftover-actions">
            <button
              type="button"
              class="kt-btn kt-btn--primary kt-btn--big"
              data-testid="leftover-send"
              onClick={() => void sendLeftover()}
            >
              Send {leftover.length}
            </button>
            <button
              type="button"
              class="kt-btn kt-btn--ghost kt-btn--big"
              data-testid="leftover-later"
              onClick={() => session.dismissLeftover()}
            >
              Not now
            </button>
          </div>
        </div>
      ) : null}

      <CameraPanel disabled={blocked} onCode={cameraScan} />

      <form class="kt-scan__form" onSubmit={scan} data-testid="scan-form">
        <label class="kt-field kt-scan__code">
          <span>Item code</span>
          <input
            ref={code}
            class="kt-input"
            data-testid="scan-code"
            autoFocus
            autoComplete="off"
            autoCapitalize="characters"
            spellcheck={false}
            enterKeyHint="done"
            disabled={blocked}
            placeholder="Scan or type, then Enter"
          />
        </label>
        <label class="kt-field">
          <span>Qty</span>
          <input
            class="kt-input"
            data-testid="scan-qty"
            type="number"
            inputMode="numeric"
            min={0}
            value={qty}
            disabled={blocked}
            onInput={(e) => setQty(e.currentTarget.value)}
          />
        </label>
        <label class="kt-field">
          <span>Damaged</span>
          <input
            class="kt-input"
            data-testid="scan-damage"
            type="number"
            inputMode="numeric"
            min={0}
            value={damage}
            disabled={blocked}
            onInput={(e) => setDamage(e.currentTarget.value)}
          />
        </label>
        <button type="submit" class="kt-btn kt-btn--primary kt-btn--big" data-testid="scan-add" disabled={blocked}>
          Add scan
        </button>
      </form>

      <div class="kt-sync" data-testid="sync" data-online={String(sync.online)}>
        <div class="kt-sync__row">
          <span data-testid="sync-count">
            {sync.synced}/{sync.total}
          </span>
          <span class="kt-muted">synced</span>
          <span class="kt-spacer" />
          <span data-testid="sync-pending" data-pending={sync.pending}>
            {sync.pending} pending
          </span>
        </div>
        <div
          class="kt-sync__bar"
          role="progressbar"
          aria-label="Scans sent to the server"
          aria-valuemin={0}
          aria-valuemax={sync.total}
          aria-valuenow={sync.synced}
          data-testid="sync-progress"
        >
          <span style={{ width: `${pct}%` }} />
        </div>
        <p class="kt-muted kt-sync__note" data-testid="sync-note">
          {!sync.online
            ? 'Offline — scans are kept on this device'
            : sync.retryAt
              ? `Retrying in ${clockText(sync.retryAt - now)}`
              : sync.pending > 0
                ? 'Sending…'
                : 'All scans sent'}
        </p>
      </div>

      <div class="kt-stats">
        <StatTile id="rack-total" label="Items on rack" value={counts?.total ?? null} />
        <StatTile id="rack-damage" label="Damaged" value={counts?.damage ?? null} />
        <StatTile id="rejected" label="Refused" value={sync.rejected} tone={sync.rejected > 0 ? 'bad' : undefined} />
      </div>

      {recent.length > 0 ? (
        <ol class="kt-scan__recent" data-testid="recent-scans">
          {recent.map((r) => (
            <li key={r.client_record_id}>
              <strong>{r.item_code}</strong> × {r.verified_qty}
              {r.damage_qty > 0 ? <span class="kt-scan__dmg"> · {r.damage_qty} damaged</span> : null}
            </li>
          ))}
        </ol>
      ) : null}

      <div class="kt-scan__actions">
        {lease.paused ? (
          <button
            type="button"
            class="kt-btn kt-btn--big"
            data-testid="resume"
            disabled={busy || lost}
            onClick={() => void command('resume')}
          >
            Resume
          </button>
        ) : (
          <button
            type="button"
            class="kt-btn kt-btn--big"
            data-testid="pause"
            disabled={busy || lost}
            onClick={() => void command('pause')}
          >
            Pause
          </button>
        )}
        <button
          type="button"
          class="kt-btn kt-btn--primary kt-btn--big"
          data-testid="complete"
          disabled={busy || lost || waiting > 0}
          aria-describedby={waiting > 0 ? 'kt-complete-wait' : undefined}
          onClick={() => void complete()}
        >
          Complete audit
        </button>
        <button
          type="button"
          class="kt-btn kt-btn--ghost kt-btn--big"
          data-testid="release"
          disabled={busy || lost}
          onClick={() => void command('release')}
        >
          Release rack
        </button>
      </div>
      {waiting > 0 && !lost ? (
        <p class="kt-muted kt-scan__wait" id="kt-complete-wait" data-testid="complete-blocked" data-count={waiting}>
          Completion waits until {waiting === 1 ? 'the last scan is' : `all ${waiting} scans are`} synced.
        </p>
      ) : null}
      <Toast toast={toast} />
    </section>
  );
}
