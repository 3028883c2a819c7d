/** One endpoint's delivery log: refreshed every few seconds while open, with Redeliver on each row. */
import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../../lib/net/api.ts';
import { type Delivery, type WebhookPlace, formatWhen, listDeliveries, redeliver } from './webhooks-api.ts';

/** How often an open log asks again. */
const POLL_MS = 3_000;

interface Props {
  place: WebhookPlace;
  webhookId: string;
  /** Bumped by the card after an action that queues a delivery (test event): the log reloads at once. */
  nudge: number;
  onChanged: () => void;
}

export function DeliveryLog({ place, webhookId, nudge, onChanged }: Props) {
  const [rows, setRows] = useState<Delivery[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState('');

  const load = () =>
    listDeliveries(place, webhookId).then(
      (d) => {
        setRows(d);
        setError(null);
      },
      (e: unknown) => setError(errorText(e)),
    );
  useEffect(() => {
    void load();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void load();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [place.base, webhookId, nudge]);

  const again = async (d: Delivery) => {
    try {
      await redeliver(place, webhookId, d.id);
      setNotice(`${d.event} queued again, with the same webhook-id.`);
      onChanged();
    } catch (e) {
      setNotice(errorText(e));
    }
    await load();
  };

  return (
    <div class="kt-hooks__log" data-testid="delivery-log">
      <div class="kt-hooks__row">
        <h4 class="kt-hooks__log-title">Deliveries</h4>
        <button
          type="button"
          class="kt-btn kt-btn--small kt-btn--ghost"
          onClick={() => void load()}
          data-testid="deliveries-refresh"
        >
          Refresh
        </button>
      </div>
      <p class="kt-muted" role="status" aria-live="polite" data-testid="delivery-notice">
        {notice}
      </p>
      {error ? (
        <p class="kt-alert" role="alert">
          {error}
        </p>
      ) : null}
      {rows === null ? <p class="kt-muted">Loading deliveries…</p> : null}
      {rows?.length === 0 ? <p class="kt-muted">No deliveries yet. Send a test event to try the endpoint.</p> : null}
      {rows && rows.length > 0 ? (
        <div class="kt-hooks__table-wrap">
          <table class="kt-hooks__table">
            <caption class="kt-sr-only">Deliveries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">HTTP</th>
                <th scope="col">Latency</th>
                <th scope="col">Attempts</th>
                <th scope="col">Time</th>
                <th scope="col">Response</th>
                <th scope="col">
                  <span class="kt-sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id} data-testid="delivery-row" data-event-id={d.eventId} data-status={d.status}>
                  <td data-label="Event">
                    <code>{d.event}</code>
                  </td>
                  <td data-label="Status" data-testid="delivery-status">
                    {d.status === 'delivered'
                      ? 'Delivered'
                      : d.nextAttemptAt
                        ? `Retrying at ${formatWhen(d.nextAttemptAt)}`
                        : 'Pending'}
                  </td>
                  <td data-label="HTTP" data-testid="delivery-http">
                    {d.lastStatus ?? (d.lastError ? '—' : '')}
                  </td>
                  <td data-label="Latency">{d.latencyMs === null ? '' : `${d.latencyMs} ms`}</td>
                  <td data-label="Attempts">{d.attempts}</td>
                  <td data-label="Time">
                    <time dateTime={new Date(d.deliveredAt ?? d.createdAt).toISOString()}>
                      {formatWhen(d.deliveredAt ?? d.createdAt)}
                    </time>
                  </td>
                  <td data-label="Response" class="kt-hooks__excerpt">
                    {d.lastError && d.status === 'pending' ? `${d.lastError} ` : ''}
                    {d.excerpt ?? ''}
                  </td>
                  <td>
                    <button
                      type="button"
                      class="kt-btn kt-btn--small"
                      onClick={() => void again(d)}
                      aria-label={`Redeliver ${d.event} from ${formatWhen(d.createdAt)}`}
                      data-testid="delivery-redeliver"
                    >
                      Redeliver
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
