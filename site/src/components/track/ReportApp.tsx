/** /reports: the time report for a signed-in user; anyone else gets a readable explanation. */
import { ErrorState } from '../common/ErrorState.tsx';
import { GateUnreachable, useUserGate } from '../common/user-gate.tsx';
import { ReportPage } from './ReportPage.tsx';

export default function ReportApp() {
  const { gate, check } = useUserGate();
  if (gate.kind === 'loading') return <p class="kt-loading">Loading…</p>;
  if (gate.kind === 'error') return <GateUnreachable message={gate.message} retry={check} />;
  if (!gate.user) {
    return (
      <ErrorState kind="unauthenticated" title="Log in to see your reports" inPage>
        <p>
          <a href={`/login/?next=${encodeURIComponent('/reports/')}`}>Log in</a> or{' '}
          <a href="/signup/">create an account</a>.
        </p>
      </ErrorState>
    );
  }
  return <ReportPage user={gate.user} />;
}
