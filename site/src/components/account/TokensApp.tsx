/** /account: the signed-in account, and its personal API tokens. */
import { GateUnreachable, useUserGate } from '../common/user-gate.tsx';
import { ErrorState } from '../common/ErrorState.tsx';
import { KeyboardPrefs } from './KeyboardPrefs.tsx';
import { TokensPanel } from './TokensPanel.tsx';

export default function TokensApp() {
  const { gate, check } = useUserGate();
  if (gate.kind === 'loading') return <p class="kt-loading">Loading your account…</p>;
  if (gate.kind === 'error') return <GateUnreachable message={gate.message} retry={check} />;
  if (!gate.user) {
    return (
      <ErrorState kind="unauthenticated" title="Log in to manage your account" inPage>
        <p>
          <a href={`/login/?next=${encodeURIComponent('/account/')}`}>Log in</a> to create and revoke API tokens.
        </p>
      </ErrorState>
    );
  }
  return (
    <div class="kt-page kt-account" data-testid="account-page">
      <h1>Account</h1>
      <p class="kt-muted" data-testid="account-who">
        Signed in as {gate.user.name} ({gate.user.email})
      </p>
      <p class="kt-muted" data-testid="account-integrations">
        To send Keeptime events to your own services, set up webhooks on{' '}
        <a href="/integrations/" data-testid="account-integrations-link">
          Integrations
        </a>
        .
      </p>
      <TokensPanel />
      <KeyboardPrefs />
    </div>
  );
}
