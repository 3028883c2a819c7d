/** A dot and a word for the live connection's state. */
import type { ConnectionStatus } from '../../lib/net/socket.ts';

const words: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline — retrying',
  closed: 'Disconnected',
};

export function ConnectionBadge({ status, quiet = false }: { status: ConnectionStatus; quiet?: boolean }) {
  // On the viewer a healthy connection is only a dot; trouble is spelled out.
  const showText = !quiet || status !== 'live';
  return (
    <span
      class={`kt-conn kt-conn--${status}`}
      data-testid="connection"
      data-status={status}
      role="status"
      aria-live="polite"
      title={words[status]}
    >
      <span class="kt-conn__dot" aria-hidden="true" />
      {showText ? <span class="kt-conn__text">{words[status]}</span> : <span class="kt-sr">{words[status]}</span>}
    </span>
  );
}
