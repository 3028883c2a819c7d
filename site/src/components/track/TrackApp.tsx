/** /track: the live session for a signed-in user; anyone else gets a readable explanation. */
import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../../lib/api.ts';
import { type User, me } from '../../lib/auth.ts';
import { maybeSignedIn } from '../../lib/session-hint.ts';
import { ErrorState } from '../common/ErrorState.tsx';
import { TrackPage } from './TrackPage.tsx';

type Gate = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'user'; user: User | null };

export default function TrackApp() {
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

  if (gate.kind === 'loading') return <p class="kt-loading">Loading…</p>;
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
      <ErrorState kind="unauthenticated" title="Log in to track your time" inPage>
        <p>
          Your sessions follow you on every device. <a href={`/login/?next=${encodeURIComponent('/track/')}`}>Log in</a> or{' '}
          <a href="/signup/">create an account</a>.
        </p>
      </ErrorState>
    );
  }
  return <TrackPage user={gate.user} />;
}
