/** Outbox rows that ran out of retries, with a Replay button each (the row leaves at once; it comes back if the replay fails). */
import type { DeadLetter } from '../../lib/ops/api.ts';
import { when } from '../../lib/clock/when.ts';

export function DeadLetters({
  letters,
  onReplay,
}: {
  letters: DeadLetter[] | undefined;
  onReplay: (l: DeadLetter) => void;
}) {
  if (letters === undefined) return <p class="kt-muted">Loading…</p>;
  if (letters.length === 0) {
    return (
      <p class="kt-muted" data-testid="dlq-empty">
        No dead letters. Every mirror write has gone through.
      </p>
    );
  }
  return (
    <ul class="ops-dlq" data-testid="dlq">
      {letters.map((l) => (
        <li key={l.eventId} class="ops-dlq__item" data-testid="dlq-row" data-event-id={l.eventId}>
          <div class="ops-dlq__main">
            <div class="ops-dlq__title">
              <span class="ops-dlq__kind" data-testid="dlq-kind">
                {l.kind}
              </span>
              <span class="kt-muted">
                {' '}
                from {l.object.kind} <code class="ops-code">{l.object.name}</code>
              </span>
            </div>
            {l.error ? (
              <div class="ops-dlq__error" data-testid="dlq-error">
                {l.error}
              </div>
            ) : null}
            <div class="ops-dlq__meta kt-muted">
              Dead since {when(l.deadAt)} · <code class="ops-code">{l.eventId}</code>
            </div>
          </div>
          <button type="button" class="kt-btn kt-btn--small" onClick={() => onReplay(l)} data-testid="dlq-replay">
            Replay
          </button>
        </li>
      ))}
    </ul>
  );
}
