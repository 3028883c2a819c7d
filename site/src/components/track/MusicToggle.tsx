/** The background-music switch, with what the music is doing. */
import type { Ambient } from './use-ambient.ts';

const hints = {
  stopped: 'plays during a session',
  playing: 'playing',
  paused: 'paused with the session',
  blocked: 'tap anywhere to start it',
  unsupported: 'not supported in this browser',
} as const;

export function MusicToggle({ music }: { music: Ambient }) {
  return (
    <button
      type="button"
      class={`kt-btn kt-btn--small trk-music${music.on ? ' is-on' : ''}`}
      aria-pressed={music.on ? 'true' : 'false'}
      onClick={music.toggle}
      data-testid="music-toggle"
      data-music={music.on ? 'on' : 'off'}
      data-playing={music.state}
      title="Gentle background music while a session runs, made in your browser"
    >
      <svg
        width="1em"
        height="1em"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        stroke-width="2.2"
        stroke-linecap="round"
        stroke-linejoin="round"
        aria-hidden="true"
      >
        <path d="M9 18V5l11-2v13" />
        <circle cx="6" cy="18" r="3" />
        <circle cx="17" cy="16" r="3" />
      </svg>
      Music {music.on ? 'on' : 'off'}
      {music.on ? <span class="trk-music__hint">· {hints[music.state]}</span> : null}
    </button>
  );
}
