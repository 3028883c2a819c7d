/** /ops: the Operations page for admins; anyone else gets a readable explanation. */
import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../../lib/api.ts';
import { type User, me } from '../../lib/auth.ts';
import { maybeSignedIn } from '../../lib/session-hint.ts';
import { ErrorState } from '../common/ErrorState.tsx';
import { OpsDashboard } from './OpsDashboard.tsx';

type Gate = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'user'; user: User | null };

export default function OpsApp() {
  const [gate, setGate] = useState<Gate>({ kind: 'loading' });
  const check = () => {
    if (!maybeSignedIn()) return setGate({ kind: 'user', user: null });
    setGate({ kind: 'loading' });
    me().then(
      (user) => setGate({ kind: 'user', user }),
      (e: unknown) => setGate({ kind: 'error', message: errorText(e) }),
    );
  };
  useEffect(check, []);

  if (gate.kind === 'loading') return <p class="kt-loading">Loading Operations…</p>;
  if (gate.kind === 'error') {
    return (
      <ErrorState kind="network" title="Can’t reach Keeptime" inPage>
        <p>{gate.message}</p>
        <button type="button" class="kt-btn" onClick={check} data-testid="retry">
          Try again
        </button>
      </ErrorState>
    );
  }
  if (!gate.user) {
    return (
      <ErrorState kind="unauthenticated" title="Log in to see Operations" inPage>
        <p>
          Operations is for admins. <a href={`/login/?next=${encodeURIComponent('/ops/')}`}>Log in</a> with an admin account.
        </p>
      </ErrorState>
    );
  }
  if (gate.user.role !== 'admin') return <NotAdmin />;
  return <OpsDashboard onForbidden={() => setGate({ kind: 'user', user: gate.user && { ...gate.user, role: 'member' } })} />;
}

export function NotAdmin() {
  return (
    <ErrorState kind="forbidden" title="Operations is for admins" inPage>
      <p>
        Your account can’t see the service’s health, counts and dead letters. Go to <a href="/rooms/">My rooms</a>.
      </p>
    </ErrorState>
  );
}
