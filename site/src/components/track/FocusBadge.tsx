/**
 * The focus cycle's phase and the time left in it, rendered locally from
 * `focus.phaseEndsAt` and the server clock (the server sends nothing while a
 * phase runs). Plays a short chime when a phase ends, if the user turned it on.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { SessionView } from '../../lib/sessions/messages.ts';
import { clockText } from '../../lib/sessions/time.ts';
import { useFrameValue } from '../common/hooks.ts';
import { chime } from './chime.ts';

type Focus = NonNullable<SessionView['focus']>;
const PHASE_WORDS: Record<Focus['phase'], string> = { focus: 'Focus', break: 'Break', 'long-break': 'Long break' };

export function FocusBadge({ focus, chimeOn }: { focus: Focus; chimeOn: boolean }) {
  const left = useFrameValue(
    (now) =>
      focus.phaseEndsAt !== null
        ? clockText(Math.max(0, focus.phaseEndsAt - now + 999))
        : clockText(focus.remainingMs ?? 0),
    (a, b) => a === b,
  );
  // A phase change arrives as a new phase (or a new end): chime once for it.
  const seen = useRef(`${focus.phase}:${focus.phaseEndsAt}`);
  useEffect(() => {
    const key = `${focus.phase}:${focus.phaseEndsAt}`;
    if (key !== seen.current && focus.phaseEndsAt !== null && chimeOn)
      chime(focus.phase === 'focus' ? 'focus' : 'break');
    seen.current = key;
  }, [focus.phase, focus.phaseEndsAt, chimeOn]);
  const suspended = focus.phaseEndsAt === null;
  return (
    <div
      class={`trk-focus trk-focus--${focus.phase}`}
      data-testid="focus-badge"
      data-phase={focus.phase}
      data-ends-at={focus.phaseEndsAt ?? ''}
      role="status"
    >
      <span class="trk-focus__phase" data-testid="focus-phase">
        {PHASE_WORDS[focus.phase]}
      </span>
      <span class="trk-focus__left" data-testid="focus-left" aria-live="off">
        {left}
      </span>
      <span class="kt-muted trk-focus__meta">
        {suspended ? 'on hold while paused' : 'left'} · {focus.cycle} of {focus.config.every} before a long break
      </span>
    </div>
  );
}
