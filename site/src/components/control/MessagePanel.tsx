/** A message for every screen, optionally flashing, or over a blacked-out screen. */
import { useState } from 'preact/hooks';
import type { RoomMessage } from '../../../../core/rooms/transition.ts';
import type { RunCommand } from '../../lib/rooms/store.ts';

export function MessagePanel({ message, run }: { message: RoomMessage | null; run: RunCommand }) {
  const [text, setText] = useState('');
  const [flash, setFlash] = useState(false);
  const [blackout, setBlackout] = useState(false);
  return (
    <section class="kt-card ctl-message" aria-label="Message">
      <h2>Message to screens</h2>
      <form
        class="kt-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run({ type: 'set-message', text: text.trim(), flash, blackout });
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
      <p class="ctl-message__now kt-muted" data-testid="msg-current">
        {message
          ? `On screens: ${message.text ? `“${message.text}”` : '(no text)'}${message.blackout ? ' · blackout' : ''}${message.flash ? ' · flashing' : ''}`
          : 'No message on screens.'}
      </p>
    </section>
  );
}
