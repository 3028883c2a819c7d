/**
 * The big live clock: elapsed running time, rendered every animation frame
 * from the session's instants and the server clock (nothing ticks over the
 * wire), with its label, state and paused time.
 */
import type { SessionView } from '../../lib/sessions/messages.ts';
import { clockText, elapsedAt, isActive, pausedAt } from '../../lib/sessions/time.ts';
import { when } from '../../lib/clock/when.ts';
import { useFrameValue } from '../common/hooks.ts';

const same = (a: string, b: string) => a === b;
const stateWords = { running: 'Running', paused: 'Paused', idle: 'Ready', stopped: 'Stopped' } as const;

export function LiveTimer({ view, last }: { view: SessionView | null; last: SessionView | null }) {
  const digits = useFrameValue((now) => (view && isActive(view) ? clockText(elapsedAt(view, now)) : '0:00'), same);
  const paused = useFrameValue((now) => (view && isActive(view) ? clockText(pausedAt(view, now)) : ''), same);
  const active = view && isActive(view) ? view : null;
  const pauses = active?.pauseSegments.length ?? 0;
  return (
    <div class="trk-clock" data-testid="live-timer">
      <div class="trk-clock__label" data-testid="session-label">
        {active ? active.label || 'Untitled session' : 'No session running'}
      </div>
      <div class="trk-clock__digits" data-testid="session-digits" aria-live="off">
        {digits}
      </div>
      <div class="trk-clock__state" data-testid="session-state">
        <span class="trk-dot" aria-hidden="true" />
        {view ? stateWords[view.status] : 'Connecting…'}
      </div>
      <div class="trk-clock__meta kt-muted" data-testid="session-meta">
        {active && active.startTime !== null ? (
          <>
            Started {when(active.startTime)} · paused <span data-testid="session-paused">{paused}</span>
            {pauses > 0 ? ` (${pauses} ${pauses === 1 ? 'pause' : 'pauses'})` : ''}
          </>
        ) : last ? (
          <span data-testid="last-session">
            Last session{last.label ? ` “${last.label}”` : ''}: {clockText(last.elapsedTime)} active,{' '}
            {clockText(last.pausedTime)} paused
            {last.autoStopped ? ' (stopped at the time limit)' : ''}
          </span>
        ) : (
          'Press Start, or Space, to begin.'
        )}
      </div>
    </div>
  );
}
