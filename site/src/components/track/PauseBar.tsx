/** The current session's wall time as a bar: running stretches and paused ones, growing live. */
import type { SessionView } from '../../lib/sessions/messages.ts';
import { clockText, isActive, sameTimeline, timeline } from '../../lib/sessions/time.ts';
import { useFrameValue } from '../common/hooks.ts';

export function PauseBar({ view }: { view: SessionView | null }) {
  const parts = useFrameValue((now) => (view && isActive(view) ? timeline(view, now) : []), sameTimeline);
  if (!isActive(view))
    return <div class="trk-bar trk-bar--empty" data-testid="pause-bar" data-parts="0" aria-hidden="true" />;
  const pauses = parts.filter((p) => p.kind === 'pause').length;
  return (
    <div
      class="trk-bar"
      data-testid="pause-bar"
      data-parts={parts.length}
      data-pauses={pauses}
      role="img"
      aria-label={`This session: ${pauses} ${pauses === 1 ? 'pause' : 'pauses'}`}
    >
      {parts.map((p, i) => (
        <span
          key={i}
          class={`trk-bar__part trk-bar__part--${p.kind}`}
          style={{ left: `${p.start}%`, width: `${p.width}%` }}
          title={`${p.kind === 'run' ? 'Running' : 'Paused'} ${clockText(p.ms)}`}
          data-testid="pause-bar-part"
          data-kind={p.kind}
        />
      ))}
    </div>
  );
}
