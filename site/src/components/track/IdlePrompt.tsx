/**
 * "Still working?": shown on every device while the server says the session
 * has been idle past the user's limit. One answer (keep the idle time, discard
 * it, or stop now) goes to the server; its broadcast closes the prompt on all
 * devices.
 */
import { useState } from 'preact/hooks';
import { humanDuration } from '../../lib/format/duration.ts';
import { useFrameValue } from '../common/hooks.ts';
import { Dialog } from './Dialog.tsx';

export type IdleChoice = 'keep' | 'discard' | 'stop';

interface Props {
  idleSince: number;
  /** When the session stops itself (at idleSince) if nobody answers. */
  autoStopAt: number | null;
  onAnswer: (choice: IdleChoice) => void;
}

const timeOf = (ms: number) => new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(ms);

export function IdlePrompt({ idleSince, autoStopAt, onAnswer }: Props) {
  const [sent, setSent] = useState<IdleChoice | null>(null);
  const idleFor = useFrameValue(
    (now) => humanDuration(Math.max(0, Math.floor((now - idleSince) / 60_000) * 60_000) || 0),
    (a, b) => a === b,
  );
  const answer = (c: IdleChoice) => {
    setSent(c);
    onAnswer(c);
  };
  return (
    <Dialog title="Still working?" onClose={() => undefined} testId="idle-prompt" alert>
      <p data-testid="idle-since">
        No activity on any of your devices since <strong>{timeOf(idleSince)}</strong>
        {idleFor !== '0 s' ? ` (${idleFor} ago)` : ''}. The timer is still running.
      </p>
      {autoStopAt !== null ? (
        <p class="kt-muted">
          Without an answer the session stops by itself at {timeOf(autoStopAt)}, counting only up to {timeOf(idleSince)}
          .
        </p>
      ) : null}
      <div class="trk-dialog__actions">
        <button
          type="button"
          class="kt-btn kt-btn--primary"
          disabled={sent !== null}
          onClick={() => answer('keep')}
          data-testid="idle-keep"
          autofocus
        >
          Yes, keep the time
        </button>
        <button
          type="button"
          class="kt-btn"
          disabled={sent !== null}
          onClick={() => answer('discard')}
          data-testid="idle-discard"
        >
          Discard the idle time
        </button>
        <button
          type="button"
          class="kt-btn kt-btn--danger"
          disabled={sent !== null}
          onClick={() => answer('stop')}
          data-testid="idle-stop"
        >
          Stop now
        </button>
      </div>
      <p class="kt-muted trk-dialog__note">
        Discard turns the time since {timeOf(idleSince)} into a pause and keeps the timer going.
      </p>
    </Dialog>
  );
}
