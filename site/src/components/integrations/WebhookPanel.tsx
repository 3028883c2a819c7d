/** The endpoints of one place (my sessions, a room, a floor): the add form, the new secret, and the cards. */
import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../../lib/net/api.ts';
import { WebhookCard } from './WebhookCard.tsx';
import { WebhookSecret } from './WebhookSecret.tsx';
import { WEBHOOK_EVENTS, type Webhook, type WebhookPlace, createWebhook, listWebhooks } from './webhooks-api.ts';

interface Props {
  place: WebhookPlace;
  /** Unique per panel on the page (ids of its fields). */
  prefix: string;
}

type Loaded = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ok'; hooks: Webhook[] };

export function WebhookPanel({ place, prefix }: Props) {
  const events = WEBHOOK_EVENTS[place.scope] as readonly string[];
  const [state, setState] = useState<Loaded>({ kind: 'loading' });
  const [url, setUrl] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ id: string; url: string; secret: string } | null>(null);

  const load = () =>
    listWebhooks(place).then(
      (hooks) => setState({ kind: 'ok', hooks }),
      (e: unknown) => setState({ kind: 'error', message: errorText(e) }),
    );
  useEffect(() => {
    setState({ kind: 'loading' });
    setCreated(null);
    void load();
  }, [place.base]);

  const add = async (e: Event) => {
    e.preventDefault();
    setFormError(null);
    if (chosen.length === 0) return setFormError('Choose at least one event.');
    setBusy(true);
    try {
      const made = await createWebhook(place, url.trim(), chosen);
      setCreated({ id: made.webhook.id, url: made.webhook.url, secret: made.secret });
      setUrl('');
      setChosen([]);
    } catch (err) {
      setFormError(errorText(err));
    } finally {
      setBusy(false);
    }
    await load();
  };

  const toggle = (name: string) => setChosen((c) => (c.includes(name) ? c.filter((x) => x !== name) : [...c, name]));

  return (
    <div class="kt-hooks__panel" data-testid={`webhooks-${place.scope}`}>
      <form class="kt-hooks__form" onSubmit={add} aria-labelledby={`${prefix}-form-title`}>
        <h3 id={`${prefix}-form-title`}>Add an endpoint</h3>
        <label for={`${prefix}-url`}>Endpoint URL</label>
        <input
          id={`${prefix}-url`}
          class="kt-input"
          type="url"
          inputMode="url"
          required
          placeholder="https://example.com/hooks/keeptime"
          value={url}
          onInput={(e) => setUrl((e.target as HTMLInputElement).value)}
          aria-describedby={formError ? `${prefix}-error` : undefined}
          data-testid="webhook-url-input"
        />
        <fieldset class="kt-hooks__events">
          <legend>Events</legend>
          {events.map((name) => (
            <label key={name} class="kt-hooks__check">
              <input
                type="checkbox"
                checked={chosen.includes(name)}
                onChange={() => toggle(name)}
                data-testid={`webhook-event-${name}`}
              />{' '}
              <code>{name}</code>
            </label>
          ))}
        </fieldset>
        {formError ? (
          <p id={`${prefix}-error`} class="kt-alert" role="alert" data-testid="webhook-form-error">
            {formError}
          </p>
        ) : null}
        <button type="submit" class="kt-btn kt-btn--primary" disabled={busy} data-testid="webhook-add">
          Add endpoint
        </button>
      </form>
      {created ? (
        <WebhookSecret
          id={`${prefix}-secret`}
          url={created.url}
          secret={created.secret}
          rotated={false}
          onDone={() => setCreated(null)}
        />
      ) : null}
      {state.kind === 'loading' ? <p class="kt-muted">Loading endpoints…</p> : null}
      {state.kind === 'error' ? (
        <p class="kt-alert" role="alert" data-testid="webhooks-error">
          {state.message}
        </p>
      ) : null}
      {state.kind === 'ok' && state.hooks.length === 0 ? <p class="kt-muted">No endpoints yet.</p> : null}
      {state.kind === 'ok' && state.hooks.length > 0 ? (
        <ul class="kt-hooks__list" aria-label="Endpoints">
          {state.hooks.map((h) => (
            <WebhookCard key={h.id} place={place} hook={h} onChanged={() => void load()} />
          ))}
        </ul>
      ) : null}
    </div>
  );
}
