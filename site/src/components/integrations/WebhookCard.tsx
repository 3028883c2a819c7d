/** One endpoint: what it gets and its health, its actions (test, enable, rotate, delete) and its delivery log. */
import { useState } from 'preact/hooks';
import { errorText } from '../../lib/net/api.ts';
import { DeliveryLog } from './DeliveryLog.tsx';
import { WebhookSecret } from './WebhookSecret.tsx';
import { type Webhook, type WebhookPlace, deleteWebhook, rotateSecret, sendTest, setEnabled } from './webhooks-api.ts';

interface Props {
  place: WebhookPlace;
  hook: Webhook;
  onChanged: () => void;
}

export function WebhookCard({ place, hook, onChanged }: Props) {
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [nudge, setNudge] = useState(0);
  const logId = `log-${hook.id}`;

  const act = async (what: () => Promise<string>) => {
    setBusy(true);
    try {
      setNotice(await what());
    } catch (e) {
      setNotice(errorText(e));
    } finally {
      setBusy(false);
    }
    onChanged();
  };

  return (
    <li class="kt-hooks__card" data-testid="webhook-card" data-webhook-id={hook.id}>
      <p class="kt-hooks__url" data-testid="webhook-url">
        {hook.url}
      </p>
      <p class="kt-hooks__meta">
        <span
          class={hook.enabled ? 'kt-hooks__badge kt-hooks__badge--on' : 'kt-hooks__badge kt-hooks__badge--off'}
          data-testid="webhook-state"
        >
          {hook.enabled ? 'Enabled' : 'Disabled'}
        </span>{' '}
        <span>{hook.events.join(', ')}</span>
      </p>
      {hook.disabledReason ? (
        <p class="kt-alert" data-testid="webhook-disabled-reason">
          {hook.disabledReason}
        </p>
      ) : null}
      <p class="kt-muted kt-hooks__stats">
        {hook.pending} pending · {hook.failures} failed in a row
        {hook.dropped > 0 ? ` · ${hook.dropped} dropped (queue full)` : ''}
      </p>
      {secret ? (
        <WebhookSecret id={`secret-${hook.id}`} url={hook.url} secret={secret} rotated onDone={() => setSecret(null)} />
      ) : null}
      <div class="kt-hooks__actions">
        <button
          type="button"
          class="kt-btn kt-btn--small"
          disabled={busy}
          onClick={() =>
            void act(async () => {
              await sendTest(place, hook.id);
              setOpen(true);
              setNudge((n) => n + 1);
              return 'Test event queued.';
            })
          }
          data-testid="webhook-test"
        >
          Send test event
        </button>
        <button
          type="button"
          class="kt-btn kt-btn--small"
          disabled={busy}
          onClick={() =>
            void act(async () => {
              await setEnabled(place, hook.id, !hook.enabled);
              return hook.enabled ? 'Disabled: events are no longer queued.' : 'Enabled: queued deliveries resume.';
            })
          }
          data-testid="webhook-toggle"
        >
          {hook.enabled ? 'Disable' : 'Enable'}
        </button>
        <button
          type="button"
          class="kt-btn kt-btn--small"
          disabled={busy}
          onClick={() =>
            void act(async () => {
              setSecret(await rotateSecret(place, hook.id));
              return 'Secret rotated.';
            })
          }
          data-testid="webhook-rotate"
        >
          Rotate secret
        </button>
        <button
          type="button"
          class="kt-btn kt-btn--small"
          aria-expanded={open}
          aria-controls={logId}
          onClick={() => setOpen(!open)}
          data-testid="webhook-deliveries-toggle"
        >
          {open ? 'Hide deliveries' : 'Show deliveries'}
        </button>
        {confirming ? (
          <span class="kt-hooks__confirm">
            <button
              type="button"
              class="kt-btn kt-btn--small kt-btn--danger"
              disabled={busy}
              onClick={() =>
                void act(async () => {
                  await deleteWebhook(place, hook.id);
                  return 'Deleted.';
                })
              }
              data-testid="webhook-delete-confirm"
            >
              Delete for good
            </button>
            <button type="button" class="kt-btn kt-btn--small" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </span>
        ) : (
          <button
            type="button"
            class="kt-btn kt-btn--small kt-btn--ghost"
            onClick={() => setConfirming(true)}
            data-testid="webhook-delete"
          >
            Delete…
          </button>
        )}
      </div>
      <p class="kt-muted" role="status" aria-live="polite" data-testid="webhook-notice">
        {notice}
      </p>
      {open ? (
        <div id={logId}>
          <DeliveryLog place={place} webhookId={hook.id} nudge={nudge} onChanged={onChanged} />
        </div>
      ) : null}
    </li>
  );
}
