/** One conflict: mine, theirs and the merge side by side, each with its button. */
import type { Conflict, ConflictChoice, ConflictSide } from '../../lib/racks/conflicts.ts';
import { sideText } from '../../lib/racks/conflicts.ts';

const LABEL: Record<ConflictChoice, { title: string; button: string }> = {
  mine: { title: 'Mine (refused)', button: 'Keep mine' },
  theirs: { title: 'Theirs (on server)', button: 'Keep theirs' },
  merged: { title: 'Both merged', button: 'Merge both' },
};

interface ConflictCardProps {
  conflict: Conflict;
  busy: boolean;
  showRack: boolean;
  onResolve: (c: Conflict, choice: ConflictChoice) => void;
}

export function ConflictCard({ conflict: c, busy, showRack, onResolve }: ConflictCardProps) {
  const sides: Array<[ConflictChoice, ConflictSide]> = [
    ['mine', c.mine],
    ['theirs', c.theirs],
    ['merged', c.merged],
  ];
  return (
    <article class="kt-conflict" data-testid={`conflict-${c.item_code}`} data-id={c.id}>
      <header class="kt-conflict__head">
        <strong>{c.item_code}</strong>
        {showRack ? <span class="kt-conflict__rack">rack {c.rack_id}</span> : null}
        <span class="kt-muted kt-conflict__when">{new Date(c.detected_at).toLocaleTimeString()}</span>
      </header>
      <div class="kt-conflict__sides">
        {sides.map(([choice, side]) => (
          <section
            key={choice}
            class={`kt-conflict__side kt-conflict__side--${choice}`}
            data-testid={`conflict-${choice}`}
          >
            <h3>{LABEL[choice].title}</h3>
            <p class="kt-conflict__qty">{sideText(side)}</p>
            <p class="kt-muted kt-conflict__status">{side.status}</p>
            <button
              type="button"
              class={`kt-btn kt-btn--big${choice === 'merged' ? ' kt-btn--primary' : ''}`}
              data-testid={`resolve-${choice}`}
              disabled={busy}
              onClick={() => onResolve(c, choice)}
            >
              {LABEL[choice].button}
            </button>
          </section>
        ))}
      </div>
    </article>
  );
}
