/**
 * Header links: the signed-in user with "My rooms", "Track" (and "Operations" for admins), "Account" (API tokens),
 * "Log out" and "Log out everywhere" (revokes every login session of the account; API tokens are revoked on
 * /account), or login/signup links. A device count is left out: the server keeps no list of live tokens, so it
 * would not be cheap.
 */
import { useEffect, useState } from 'preact/hooks';
import { type User, logout, logoutEverywhere, me } from '../../lib/account/auth.ts';
import { maybeSignedIn } from '../../lib/sessions/hint.ts';

export default function AccountMenu() {
  const [user, setUser] = useState<User | null | undefined>(maybeSignedIn() ? undefined : null);
  useEffect(() => {
    if (user === undefined) me().then(setUser, () => setUser(null));
  }, []);
  if (user === undefined) return null;
  if (!user) {
    return (
      <>
        <a href="/login/" data-testid="nav-login">
          Log in
        </a>
        <a class="kt-btn kt-btn--primary kt-btn--small" href="/signup/" data-testid="nav-signup">
          Sign up
        </a>
      </>
    );
  }
  const out = async () => {
    await logout().catch(() => undefined);
    location.assign('/');
  };
  const outEverywhere = async () => {
    if (!confirm('Log out on every device, this one included?')) return;
    await logoutEverywhere().catch(() => undefined);
    location.assign('/');
  };
  return (
    <>
      <a href="/rooms/" data-testid="nav-rooms">
        My rooms
      </a>
      <a href="/track/" data-testid="nav-track">
        Track
      </a>
      <a href="/racks/" data-testid="nav-racks">
        Racks
      </a>
      {user.role === 'admin' ? (
        <>
          <a href="/board/" class="kt-hide-small" data-testid="nav-board">
            Board
          </a>
          <a href="/ops/" data-testid="nav-ops">
            Operations
          </a>
        </>
      ) : null}
      <a href="/account/" data-testid="nav-account" title="Your account and API tokens">
        Account
      </a>
      <a href="/integrations/" data-testid="nav-integrations" title="Webhooks">
        Integrations
      </a>
      <span class="kt-muted kt-hide-small" data-testid="nav-user">
        {user.name}
      </span>
      <button type="button" class="kt-btn kt-btn--small" onClick={out} data-testid="nav-logout">
        Log out
      </button>
      <button
        type="button"
        class="kt-btn kt-btn--small kt-hide-small"
        onClick={outEverywhere}
        title="Revokes every session of this account"
        data-testid="nav-logout-all"
      >
        Log out everywhere
      </button>
    </>
  );
}
