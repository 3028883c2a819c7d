/** /track: the live session for a signed-in user; anyone else gets a readable explanation. */
import { GateUnreachable, useUserGate } from '../common/user-gate.tsx';
import { ErrorState } from '../common/ErrorState.tsx';
import { TrackPage } from './TrackPage.tsx';

export default function TrackApp() {
  const { gate, check } = useUserGate();

  if (gate.kind === 'loading') return <p class="kt-loading">Loading…</p>;
  if (gate.kind === 'error') return <GateUnreachable message={gate.message} retry={check} />;
  if (!gate.user) {
    return (
      <ErrorState kind="unauthenticated" title="Log in to track your time" inPage>
        <p>
          Your sessions follow you on every device. <a href={`/login/?next=${encodeURIComponent('/track/')}`}>Log in</a>{' '}
          or <a href="/signup/">create an account</a>.
        </p>
      </ErrorState>
    );
  }
  return <TrackPage user={gate.user} />;
}
