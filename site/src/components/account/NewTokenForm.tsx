/** Name a token and choose its scopes; the API answers the secret once (SecretReveal shows it). */
import { useState } from 'preact/hooks';
import {
  type ApiToken,
  SCOPES,
  SCOPE_HELP,
  type Scope,
  TOKEN_NAME_MAX,
  createToken,
} from '../../lib/account/tokens.ts';
import { errorText } from '../../lib/net/api.ts';

interface Props {
  onCreated: (created: { token: ApiToken; secret: string }) => void;
  /** At the account's limit: creating is off until one is revoked. */
  full: boolean;
}

export function NewTokenForm({ onCreated, full }: Props) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['read']);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const toggle = (s: Scope, on: boolean) =>
    setScopes((prev) => (on ? SCOPES.filter((x) => x === s || prev.includes(x)) : prev.filter((x) => x !== s)));

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!name.trim()) return setError('Give the token a name, such as the script or device it is for.');
    if (scopes.length === 0) return setError('Choose at least one scope.');
    setBusy(true);
    setError(null);
    try {
      onCreated(await createToken(name.trim(), scopes));
      setName('');
      setScopes(['read']);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="kt-form kt-tokens__form" onSubmit={submit} data-testid="token-form" noValidate>
      <label class="kt-field">
        Token name
        <input
          class="kt-input"
          name="name"
          value={name}
          maxLength={TOKEN_NAME_MAX}
          placeholder="Stage laptop, nightly export…"
          autocomplete="off"
          required
          onInput={(e) => setName((e.target as HTMLInputElement).value)}
          data-testid="token-name"
        />
      </label>
      <fieldset class="kt-tokens__scopes">
        <legend>Scopes</legend>
        {SCOPES.map((s) => (
          <label class="kt-check kt-tokens__scope" key={s}>
            <input
              type="checkbox"
              checked={scopes.includes(s)}
              onChange={(e) => toggle(s, (e.target as HTMLInputElement).checked)}
              data-testid={`token-scope-${s}`}
            />
            <span>
              <strong>{s}</strong> <span class="kt-muted">{SCOPE_HELP[s]}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {error ? (
        <p class="kt-alert" role="alert" data-testid="token-form-error">
          {error}
        </p>
      ) : null}
      <div>
        <button type="submit" class="kt-btn kt-btn--primary" disabled={busy || full} data-testid="token-create">
          {busy ? 'Creating…' : 'Create token'}
        </button>
        {full ? (
          <span class="kt-muted kt-tokens__full"> You have the most tokens allowed; revoke one first.</span>
        ) : null}
      </div>
    </form>
  );
}
