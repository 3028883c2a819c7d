/** Big start / pause / reset, nudges, previous / next for the active timer. */
import { MINUTE, SECOND } from '../../../../core/time.ts';
import { type Timer, isClockRunning } from '../../../../core/rooms/timer.ts';
import type { ClientCommand, RunCommand } from '../../lib/rooms/store.ts';
import { useEffect, useRef } from 'preact/hooks';
import { Icon } from '../common/Icon.tsx';

/** What "start or pause" means for a timer in its state (null: nothing sensible, e.g. finished and stopped). */
export function toggleCommand(t: Timer): ClientCommand | null {
  if (isClockRunning(t)) return { type: 'pause', timerId: t.id };
  if (t.state === 'paused') return { type: 'resume', timerId: t.id };
  if (t.state === 'idle') return { type: 'start', timerId: t.id };
  return null;
}

const nudges = [
  { ms: -MINUTE, text: '−1 min', id: 'minus-60' },
  { ms: -10 * SECOND, text: '−10 s', id: 'minus-10' },
  { ms: 10 * SECOND, text: '+10 s', id: 'plus-10' },
  { ms: MINUTE, text: '+1 min', id: 'plus-60' },
];

export function Transport({ active, run }: { active: Timer | null; run: RunCommand }) {
  const id = active?.id;
  const running = active ? isClockRunning(active) : false;
  const canStart = active !== null && (active.state === 'idle' || active.state === 'paused');
  const canReset = active !== null && (active.state !== 'idle' || active.adjustMs !== 0);
  // Start disables itself once the timer runs (and Pause once it stops): the keyboard focus would fall to the
  // page, so it moves to the button that undoes what was just pressed.
  const startRef = useRef<HTMLButtonElement>(null);
  const pauseRef = useRef<HTMLButtonElement>(null);
  const handoff = useRef<'start' | 'pause' | null>(null);
  useEffect(() => {
    const to = handoff.current === 'pause' ? pauseRef.current : handoff.current === 'start' ? startRef.current : null;
    if (!to || to.disabled) return;
    handoff.current = null;
    // Browsers differ: the focus falls to the page, or stays on the now disabled button.
    const at = document.activeElement;
    const lost = at === null || at === document.body || (at instanceof HTMLButtonElement && at.disabled);
    if (lost) to.focus();
  }, [canStart, running]);
  const pressed = (next: 'start' | 'pause') => (e: MouseEvent) => {
    // Only a keyboard press (detail 0) hands focus on; a mouse user's focus is left where it was.
    handoff.current = e.detail === 0 ? next : null;
  };
  return (
    <div class="ctl-transport" data-testid="transport">
      <div class="ctl-transport__main">
        <button
          type="button"
          class="kt-btn ctl-big ctl-big--start"
          ref={startRef}
          disabled={!canStart}
          onClick={(e) => {
            pressed('pause')(e);
            if (id) run({ type: active?.state === 'paused' ? 'resume' : 'start', timerId: id });
          }}
          data-testid="ctl-start"
        >
          <Icon name="play" /> {active?.state === 'paused' ? 'Resume' : 'Start'}
        </button>
        <button
          type="button"
          class="kt-btn ctl-big ctl-big--pause"
          ref={pauseRef}
          disabled={!running}
          onClick={(e) => {
            pressed('start')(e);
            if (id) run({ type: 'pause', timerId: id });
          }}
          data-testid="ctl-pause"
        >
          <Icon name="pause" /> Pause
        </button>
        <button
          type="button"
          class="kt-btn ctl-big ctl-big--reset"
          disabled={!canReset}
          onClick={() => id && run({ type: 'reset', timerId: id })}
          data-testid="ctl-reset"
        >
          <Icon name="reset" /> Reset
        </button>
      </div>
      <div class="ctl-nudges" role="group" aria-label="Adjust time">
        {nudges.map((n) => (
          <button
            key={n.id}
            type="button"
            class="kt-btn"
            disabled={!active}
            onClick={() => id && run({ type: 'adjust', timerId: id, deltaMs: n.ms })}
            data-testid={`ctl-nudge-${n.id}`}
          >
            {n.text}
          </button>
        ))}
      </div>
      <div class="ctl-steps">
        <button type="button" class="kt-btn" onClick={() => run({ type: 'previous' })} data-testid="ctl-prev">
          <Icon name="prev" /> Previous
        </button>
        <button type="button" class="kt-btn" onClick={() => run({ type: 'next' })} data-testid="ctl-next">
          Next <Icon name="next" />
        </button>
      </div>
    </div>
  );
}
