/** On the landing page: a signed-in visitor goes straight to My rooms. */
import { useEffect } from 'preact/hooks';
import { me } from '../../lib/account/auth.ts';
import { maybeSignedIn } from '../../lib/sessions/hint.ts';

export default function LandingRedirect() {
  useEffect(() => {
    if (!maybeSignedIn()) return;
    me().then(
      (u) => u && location.replace('/rooms/'),
      () => undefined,
    );
  }, []);
  return null;
}
