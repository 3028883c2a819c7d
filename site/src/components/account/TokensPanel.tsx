/**
 * The "API tokens" section: what they are, the form that creates one, the new secret (shown once), and the list
 * with last use and revoke. The list reloads when the page comes back into view, so "last used" stays fresh.
 */
import { useEffect, useState } from 'preact/hooks';
import { type ApiToken, listTokens, revokeToken } from '../../lib/account/tokens.ts';
import { errorText } from '../../lib/net/api.ts';
import { NewTokenForm } from './NewTokenForm.tsx';
import { SecretReveal } from './SecretReveal.tsx';
import { TokenList } from './TokenList.tsx';

type Loaded =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ok'; tokens: ApiToken[]; limit: number };

export function TokensPanel() {
  const [state, setState] = useState<Loaded>({ kind: 'loading' });
  const [created, setCreated] = useState<{ token: ApiToken; secret: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = () =>
    listTokens().then(
      (r) => setState({ kind: 'ok', tokens: r.tokens, limit: r.limit }),
      (e: unknown) => setState({ kind: 'error', message: errorText(e) }),
    );
  useEffect(() => {
    void load();
    const onVisible = () => {
      if (document.visibilityState === 'visible') void load();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, []);

  const revoke = async (t: ApiToken) => {
    setNotice(null);
    try {
      await revokeToken(t.id);
      if (created?.token.id === t.id) setCreated(null);
      setNotice(`“${t.name}” was revoked: it no longer works anywhere.`);
    } catch (e) {
      setNotice(errorText(e));
    }
    await load();
  };

  const count = state.kind === 'ok' ? state.tokens.length : 0;
  return (
    <section class="kt-card kt-tokens" aria-labelledby="tokens-title" data-testid="tokens-panel">
      <div class="kt-card-head">
        <h2 id="tokens-title">API tokens</h2>
        <button
          type="button"
          class="kt-btn kt-btn--small kt-btn--ghost"
          onClick={() => void load()}
          data-testid="tokens-refresh"
        >
          Refresh
        </button>
      </div>
      <p class="kt-muted kt-tokens__intro">
        Tokens let scripts and devices use the API as you, with only the scopes you choose. Send one as{' '}
        <code>Authorization: Bearer kt_…</code>. They keep working after “Log out everywhere” and a password change:
        revoke them here. Tokens cannot create or revoke tokens, change your password or log you out.
      </p>
      {created ? (
        <SecretReveal name={created.token.name} secret={created.secret} onDone={() => setCreated(null)} />
      ) : null}
      <NewTokenForm
        full={state.kind === 'ok' && count >= state.limit}
        onCreated={(c) => {
          setNotice(null);
          setCreated(c);
          void load();
        }}
      />
      <p class="kt-tokens__notice" role="status" aria-live="polite" data-testid="tokens-notice">
        {notice ?? ''}
      </p>
      {state.kind === 'loading' ? <p class="kt-muted">Loading tokens…</p> : null}
      {state.kind === 'error' ? (
        <p class="kt-alert" role="alert" data-testid="tokens-error">
          {state.message}
        </p>
      ) : null}
      {state.kind === 'ok' ? <TokenList tokens={state.tokens} limit={state.limit} onRevoke={revoke} /> : null}
    </section>
  );
}
