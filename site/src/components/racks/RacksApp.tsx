/** /racks: a worker's audit, phone first. Pick and claim a rack, scan, then complete. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, errorText } from '../../lib/net/api.ts';
import { claimRack, myActiveRacks } from '../../lib/racks/api.ts';
import { type HeldLease, heldLease as held } from '../../lib/racks/session.ts';
import { ErrorState } from '../common/ErrorState.tsx';
import { RackPicker } from './RackPicker.tsx';
import { ScanScreen } from './ScanScreen.tsx';
import { AuditSummary } from './AuditSummary.tsx';

type View =
  | { kind: 'loading' }
  | { kind: 'error'; message: string; auth: boolean }
  | { kind: 'pick' }
  | { kind: 'scan'; lease: HeldLease }
  | { kind: 'done'; summary: Record<string, unknown> | null };

export default function RacksApp() {
  const [view, setView] = useState<View>({ kind: 'loading' });

  // A reload comes back to the claim the server still holds for this user.
  useEffect(() => {
    myActiveRacks().then(
      ({ racks, serverTime }) => {
        const r = racks.find((x) => x.session_id !== null && x.fencing_token !== null && x.expires_at !== null);
        if (r && r.session_id !== null && r.fencing_token !== null && r.expires_at !== null)
          setView({
            kind: 'scan',
            lease: held(
              {
                rack_id: r.rack_id,
                floor: r.floor,
                session_id: r.session_id,
                fencing_token: r.fencing_token,
                expires_at: r.expires_at,
              },
              r.status === 'paused',
              serverTime - Date.now(),
            ),
          });
        else setView({ kind: 'pick' });
      },
      (e) => setView({ kind: 'error', message: errorText(e), auth: e instanceof ApiError && e.status === 401 }),
    );
  }, []);

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
    <main class="kt-page kt-page--narrow kt-racks" data-testid="racks-app">
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
    </main>
  );
}
