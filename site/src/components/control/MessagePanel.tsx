/**
 * A message for every screen, or for the presenter view only ("wrap up" for the speaker, not the audience),
 * optionally flashing, or over a blacked-out screen. The panel says where the current message shows.
 */
import { useState } from 'preact/hooks';
import type { MessageTarget, RoomMessage } from '../../../../core/rooms/transition.ts';
import type { RunCommand } from '../../lib/rooms/store.ts';

const targets: Array<{ value: MessageTarget; label: string }> = [
  { value: 'all', label: 'All screens' },
  { value: 'presenter', label: 'Presenter only' },
];

export function MessagePanel({ message, run }: { message: RoomMessage | null; run: RunCommand }) {
  const [text, setText] = useState('');
  const [flash, setFlash] = useState(false);
  const [blackout, setBlackout] = useState(false);
  const [target, setTarget] = useState<MessageTarget>('all');
  return (
    <section class="kt-card ctl-message" aria-label="Message">
      <h2>Message to screens</h2>
      <form
        class="kt-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run({ type: 'set-message', text: text.trim(), flash, blackout, target });
        }}
      >
        <textarea
          class="kt-input"
          rows={2}
          maxLength={500}
          value={text}
          placeholder="e.g. Please wrap up"
          aria-label="Message text"
          onInput={(e) => setText(e.currentTarget.value)}
          data-testid="msg-text"
        />
        <div class="ctl-message__row" role="radiogroup" aria-label="Show the message on">
          {targets.map((t) => (
            <label class="kt-check" key={t.value}>
              <input
                type="radio"
                name="msg-target"
                value={t.value}
                checked={target === t.value}
                onChange={() => setTarget(t.value)}
                data-testid={`msg-target-${t.value}`}
              />{' '}
              {t.label}
            </label>
          ))}
        </div>
        <div class="ctl-message__row">
          <label class="kt-check">
            <input
              type="checkbox"
              checked={flash}
              onChange={(e) => setFlash(e.currentTarget.checked)}
              data-testid="msg-flash"
            />{' '}
            Flash
          </label>
          <label class="kt-check">
            <input
              type="checkbox"
              checked={blackout}
              onChange={(e) => setBlackout(e.currentTarget.checked)}
              data-testid="msg-blackout"
            />{' '}
            Blackout
          </label>
          <span class="ctl-message__actions">
            <button
              type="button"
              class="kt-btn"
              disabled={!message}
              onClick={() => run({ type: 'clear-message' })}
              data-testid="msg-clear"
            >
              Clear
            </button>
            <button
              type="submit"
              class="kt-btn kt-btn--primary"
              disabled={!text.trim() && !blackout}
              data-testid="msg-send"
            >
              Show
            </button>
          </span>
        </div>
      </form>
      <p class="ctl-message__now kt-muted" data-testid="msg-current" data-target={message?.target ?? 'none'}>
        {message
          ? `${message.target === 'presenter' ? 'On the presenter view only' : 'On all screens'}: ${message.text ? `“${message.text}”` : '(no text)'}${message.blackout ? ' · blackout' : ''}${message.flash ? ' · flashing' : ''}`
          : 'No message on screens.'}
      </p>
    </section>
  );
}
