/** /ops: the Operations page for admins; anyone else gets a readable explanation. */
import { GateUnreachable, useUserGate } from '../common/user-gate.tsx';
import { ErrorState } from '../common/ErrorState.tsx';
import { OpsDashboard } from './OpsDashboard.tsx';

export default function OpsApp() {
  const { gate, check, setGate } = useUserGate();

  if (gate.kind === 'loading') return <p class="kt-loading">Loading Operations…</p>;
  if (gate.kind === 'error') return <GateUnreachable message={gate.message} retry={check} />;
  if (!gate.user) {
    return (
      <ErrorState kind="unauthenticated" title="Log in to see Operations" inPage>
        <p>
          Operations is for admins. <a href={`/login/?next=${encodeURIComponent('/ops/')}`}>Log in</a> with an admin
          account.
        </p>
      </ErrorState>
    );
  }
  if (gate.user.role !== 'admin') return <NotAdmin />;
  return (
    <OpsDashboard onForbidden={() => setGate({ kind: 'user', user: gate.user && { ...gate.user, role: 'member' } })} />
  );
}

function NotAdmin() {
  return (
    <ErrorState kind="forbidden" title="Operations is for admins" inPage>
      <p>
        Your account can’t see the service’s health, counts and dead letters. Go to <a href="/rooms/">My rooms</a>.
      </p>
    </ErrorState>
  );
}
