/**
 * The viewer's sound button (issue 12 audio cues): "Tap to enable sound" until a gesture has started the audio,
 * then a "Sound on" toggle (aria-pressed) that mutes and unmutes. The choice is kept per device; after a reload
 * the browser still needs a gesture, so the button asks again, and any tap or key on the page will do.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Timer } from '../../../../core/rooms/timer.ts';
import type { RoomInfoView } from '../../../../core/rooms/wire.ts';
import type { OffsetEstimate } from '../../../../core/clock-sync.ts';
import { ChimePlayer } from '../../lib/rooms/chimes.ts';
import { activeAndNext } from '../../lib/rooms/display.ts';
import { useObservable } from '../common/hooks.ts';

interface SoundToggleProps {
  /** The connection's clock: server time now, and news of each new estimate. */
  clock: { now(): number; subscribe(fn: (e: OffsetEstimate | null) => void): () => void };
  room: RoomInfoView | null;
  timers: Timer[];
}

export function SoundToggle({ clock, room, timers }: SoundToggleProps) {
  const [player] = useState(() => new ChimePlayer(clock));
  const status = useObservable(player, player.status);
  useEffect(() => () => player.close(), [player]);
  // A new clock estimate moves the audio time of every queued chime.
  useEffect(() => clock.subscribe(() => player.sync()), [clock, player]);
  useEffect(() => player.update(activeAndNext(room, timers).active, room), [player, room, timers]);

  const asking = status.pref !== 'off' && !status.running;
  // Sound was on before this reload: the first gesture anywhere on the page turns it back on.
  useEffect(() => {
    if (!(asking && status.pref === 'on')) return;
    const on = (e: Event) => {
      if (e instanceof KeyboardEvent && e.key === 'Escape') return;
      player.enable();
    };
    window.addEventListener('click', on, true);
    window.addEventListener('keydown', on, true);
    return () => {
      window.removeEventListener('click', on, true);
      window.removeEventListener('keydown', on, true);
    };
  }, [asking, status.pref, player]);

  const on = status.pref === 'on' && status.running;
  const label = asking ? 'Tap to enable sound' : on ? 'Sound on' : 'Sound off';
  return (
    <button
      type="button"
      class={`kt-sound${asking ? ' kt-sound--ask' : ''}`}
      data-testid="sound-toggle"
      aria-pressed={on}
      title={asking ? 'Chimes at the moments the organiser chose' : on ? 'Mute the chimes' : 'Turn the chimes on'}
      onClick={(e) => {
        // Double-click on the viewer toggles full screen; a press here should not.
        e.stopPropagation();
        if (on) player.mute();
        else player.enable();
      }}
      onDblClick={(e) => e.stopPropagation()}
    >
      <svg aria-hidden="true" class="kt-sound__icon" viewBox="0 0 24 24" width="1.1em" height="1.1em">
        <path d="M4 9h4l5-4v14l-5-4H4z" fill="currentColor" />
        <path
          d={on ? 'M16 8.5a5 5 0 0 1 0 7M18.5 6a8.5 8.5 0 0 1 0 12' : 'M16.5 9.5l5 5M21.5 9.5l-5 5'}
          fill="none"
          stroke="currentColor"
          stroke-width="2"
          stroke-linecap="round"
        />
      </svg>
      {label}
    </button>
  );
}
