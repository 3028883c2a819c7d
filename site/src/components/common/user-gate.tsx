/** Who is signed in, for pages that need an account: loading, unreachable, or the user (null when signed out). */
import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../../lib/net/api.ts';
import { type User, me } from '../../lib/account/auth.ts';
import { maybeSignedIn } from '../../lib/sessions/hint.ts';
import { ErrorState } from './ErrorState.tsx';

type Gate = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'user'; user: User | null };

/** The gate, `check` to ask again (the retry button), and `setGate` for pages that learn more later. */
export function useUserGate(): { gate: Gate; check: () => void; setGate: (g: Gate) => void } {
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
  return { gate, check, setGate };
}

/** The readable page for a gate that could not reach the server. */
export function GateUnreachable({ message, retry }: { message: string; retry: () => void }) {
  return (
    <ErrorState kind="network" title="Can’t reach Keeptime" inPage>
      <p>{message}</p>
      <button type="button" class="kt-btn" onClick={retry} data-testid="retry">
        Try again
      </button>
    </ErrorState>
  );
}
