/** /racks: a worker's audit, phone first. Pick and claim a rack, scan, then complete. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, NETWORK, errorText } from '../../lib/net/api.ts';
import { type RackStatus, claimRack, myActiveRacks } from '../../lib/racks/api.ts';
import { type HeldLease, heldLease as held } from '../../lib/racks/session.ts';
import { recallLease, rememberLease } from '../../lib/racks/held-lease-store.ts';
import { ErrorState } from '../common/ErrorState.tsx';
import { RackPicker } from './RackPicker.tsx';
import { ScanScreen } from './ScanScreen.tsx';
import { AuditSummary } from './AuditSummary.tsx';
import { StorageWarning } from './StorageWarning.tsx';
import { UnsyncedBadge } from './UnsyncedBadge.tsx';

type View =
  | { kind: 'loading' }
  | { kind: 'error'; message: string; auth: boolean }
  | { kind: 'pick' }
  | { kind: 'scan'; lease: HeldLease }
  | { kind: 'done'; summary: Record<string, unknown> | null };

const HANDOFF_POLL_MS = 5_000;

/** The lease the server holds for this user, if any (a reload, or a supervisor's hand-off). */
function activeLease(racks: RackStatus[], serverTime: number): HeldLease | null {
  const r = racks.find((x) => x.session_id !== null && x.fencing_token !== null && x.expires_at !== null);
  if (!r || r.session_id === null || r.fencing_token === null || r.expires_at === null) return null;
  return held(
    {
      rack_id: r.rack_id,
      floor: r.floor,
      session_id: r.session_id,
      fencing_token: r.fencing_token,
      expires_at: r.expires_at,
      mode: r.mode ?? 'audit',
      audit_id: r.recount?.audit_id ?? null,
      items: r.mode === 'recount' ? (r.recount?.items ?? null) : null,
    },
    r.status === 'paused',
    serverTime - Date.now(),
  );
}

export default function RacksApp() {
  const [view, setView] = useState<View>({ kind: 'loading' });

  // A reload comes back to the claim the server still holds for this user.
  useEffect(() => {
    myActiveRacks().then(
      ({ racks, serverTime }) => {
        const l = activeLease(racks, serverTime);
        setView(l ? { kind: 'scan', lease: l } : { kind: 'pick' });
      },
      (e) => {
        // No network: the lease this device remembers brings the scan screen back (scans queue offline).
        const remembered = e instanceof ApiError && e.code === NETWORK ? recallLease() : null;
        if (remembered) setView({ kind: 'scan', lease: remembered });
        else setView({ kind: 'error', message: errorText(e), auth: e instanceof ApiError && e.status === 401 });
      },
    );
  }, []);

  // Remember the held lease for an offline reload; forget it once the audit ends.
  useEffect(() => {
    if (view.kind === 'scan') rememberLease(view.lease);
    else if (view.kind === 'pick' || view.kind === 'done') rememberLease(null);
  }, [view]);

  // While picking, a supervisor may hand this worker a rack: it opens here by itself.
  const picking = view.kind === 'pick';
  useEffect(() => {
    if (!picking) return;
    const t = setInterval(() => {
      myActiveRacks().then(
        ({ racks, serverTime }) => {
          const l = activeLease(racks, serverTime);
          if (l) setView((v) => (v.kind === 'pick' ? { kind: 'scan', lease: l } : v));
        },
        () => undefined,
      );
    }, HANDOFF_POLL_MS);
    return () => clearInterval(t);
  }, [picking]);

  if (view.kind === 'loading') return <p class="kt-loading">Loading…</p>;
  if (view.kind === 'error')
    return view.auth ? (
      <ErrorState kind="unauthenticated" title="Log in to audit racks" inPage>
        <p>
          <a href={`/login/?next=${encodeURIComponent('/racks/')}`}>Log in</a> to claim a rack and scan it.
        </p>
      </ErrorState>
    ) : (
      <ErrorState kind="error" title="Racks are unavailable" inPage>
        <p>{view.message}</p>
      </ErrorState>
    );
  return (
    <div class="kt-page kt-page--narrow kt-racks" data-testid="racks-app">
      <StorageWarning />
      {view.kind !== 'scan' ? <UnsyncedBadge /> : null}
      {view.kind === 'pick' ? <RackPicker onClaimed={(c) => setView({ kind: 'scan', lease: held(c) })} /> : null}
      {view.kind === 'scan' ? (
        <ScanScreen
          key={view.lease.session_id}
          lease={view.lease}
          onLease={(lease) => setView({ kind: 'scan', lease })}
          onDone={(summary) => setView({ kind: 'done', summary })}
          onReclaim={async () => {
            const c = await claimRack(view.lease.rack_id, view.lease.floor);
            setView({ kind: 'scan', lease: held(c) });
          }}
        />
      ) : null}
      {view.kind === 'done' ? <AuditSummary summary={view.summary} onNext={() => setView({ kind: 'pick' })} /> : null}
    </div>
  );
}
