/** Active time by label over the period, as proportional bars. */
import { humanDuration } from '../../lib/format/duration.ts';
import type { LabelTotal } from '../../lib/sessions/api.ts';

export function LabelBreakdown({ labels }: { labels: LabelTotal[] }) {
  const max = Math.max(1, ...labels.map((l) => l.activeMs));
  return (
    <div class="trk-labels" data-testid="label-breakdown">
      <h3 class="trk-h3">By label</h3>
      <ul>
        {labels.map((l) => (
          <li key={l.label ?? ''} class="trk-label-row" data-testid="label-row" data-label={l.label ?? ''}>
            <span class={l.label ? 'trk-label-row__name' : 'trk-label-row__name kt-muted'}>
              {l.label ?? 'No label'}
            </span>
            <span class="trk-label-row__value">
              {humanDuration(l.activeMs)} · {l.sessions}
            </span>
            <span class="trk-label-row__track" aria-hidden="true">
              <span style={{ width: `${Math.max(1, (l.activeMs / max) * 100)}%` }} />
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
