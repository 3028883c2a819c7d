/** Log in or sign up, then go on to ?next= (or My rooms). */
import { useState } from 'preact/hooks';
import { errorText } from '../../lib/net/api.ts';
import { login, nextPath, signup } from '../../lib/account/auth.ts';

export default function AuthForm({ mode }: { mode: 'login' | 'signup' }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const email = String(data.get('email') ?? '');
    const password = String(data.get('password') ?? '');
    setBusy(true);
    setError(null);
    try {
      if (mode === 'signup') await signup(email, password, String(data.get('name') ?? ''));
      else await login(email, password);
      location.assign(nextPath());
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  const other =
    mode === 'login'
      ? { href: '/signup/', text: 'Create an account' }
      : { href: '/login/', text: 'I already have an account' };
  const keepNext = location.search;
  return (
    <form class="kt-form" onSubmit={submit} data-testid="auth-form">
      {mode === 'signup' ? (
        <label class="kt-field">
          Your name
          <input class="kt-input" name="name" required maxLength={120} autoComplete="name" data-testid="auth-name" />
        </label>
      ) : null}
      <label class="kt-field">
        Email
        <input class="kt-input" name="email" type="email" required autoComplete="email" data-testid="auth-email" />
      </label>
      <label class="kt-field">
        Password
        <input
          class="kt-input"
          name="password"
          type="password"
          required
          minLength={mode === 'signup' ? 8 : 1}
          autoComplete={mode === 'signup' ? 'new-password' : 'current-password'}
          data-testid="auth-password"
        />
      </label>
      {error ? (
        <p class="kt-alert" role="alert" data-testid="auth-error">
          {error}
        </p>
      ) : null}
      <button class="kt-btn kt-btn--primary" type="submit" disabled={busy} data-testid="auth-submit">
        {busy ? 'One moment…' : mode === 'signup' ? 'Sign up' : 'Log in'}
      </button>
      <p class="kt-muted">
        <a href={other.href + keepNext}>{other.text}</a>
      </p>
    </form>
  );
}
