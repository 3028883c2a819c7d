/** Pieces the presenter, agenda and clock views share: the room message and a time-of-day reading. */
import type { RoomMessage } from '../../../../../core/rooms/transition.ts';
import { dayTimeFormat } from '../../../lib/rooms/display.ts';
import { useFrameValue } from '../../common/hooks.ts';

const same = (a: string, b: string) => a === b;

/** The room's time of day, re-rendered only when its text changes (each second, or minute). */
export function useTimeOfDay(timeZone: string, style: 'seconds' | 'minutes' | 'date'): string {
  return useFrameValue((now) => dayTimeFormat(timeZone, style).format(now), same);
}

/**
 * The room message as a banner, or over a blacked-out screen. `presenter` marks messages meant for the speaker
 * only; a presenter never gets a blackout (the speaker keeps the timer), only the words and a "screens dark" tag.
 */
export function ScreenMessage({ message, presenter = false }: { message: RoomMessage | null; presenter?: boolean }) {
  if (!message) return null;
  const key = `${message.text}|${message.flash}|${message.target}`;
  if (message.blackout && !presenter) {
    return (
      <div key={key} class={`kt-view-blackout${message.flash ? ' is-flashing' : ''}`} data-testid="display-blackout">
        {message.text}
      </div>
    );
  }
  if (!message.text && !message.blackout) return null;
  return (
    <div
      key={key}
      class={`kt-view-message${message.flash ? ' is-flashing' : ''}`}
      data-testid="display-message"
      data-target={message.target}
      role="status"
    >
      {presenter ? (
        <span class="kt-view-message__tag">
          {message.target === 'presenter' ? 'For you only' : 'On all screens'}
          {message.blackout ? ' · screens dark' : ''}
        </span>
      ) : null}
      <span class="kt-view-message__text">{message.text}</span>
    </div>
  );
}
