/** Commands made but not yet confirmed by the server: queued while offline, or on their way. */
import type { PendingCommand } from '../../lib/sessions/store.ts';

const words = { start: 'Start', pause: 'Pause', resume: 'Resume', stop: 'Stop', update: 'Change' } as const;

export function PendingList({ pending }: { pending: PendingCommand[] }) {
  if (pending.length === 0) return null;
  const waiting = pending.some((c) => !c.sent);
  return (
    <div class="trk-pending" data-testid="pending" role="status">
      <span class="trk-pending__title">
        {waiting ? 'Saved on this device, sent when you’re back online:' : 'Sending…'}
      </span>
      {pending.map((c) => (
        <span
          key={c.id}
          class="trk-pending__item"
          data-testid="pending-command"
          data-type={c.type}
          data-sent={c.sent ? 'true' : 'false'}
        >
          {words[c.type]}
          {c.label ? ` “${c.label}”` : ''}
          <span class="kt-muted"> · {c.sent ? 'sending' : 'waiting'}</span>
        </span>
      ))}
    </div>
  );
}
