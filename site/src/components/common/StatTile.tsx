/** A figure tile: a label, a big value and an optional note (styles/tiles.css). */
import type { ComponentChildren } from 'preact';

interface StatTileProps {
  id: string;
  label: string;
  value: ComponentChildren;
  sub?: ComponentChildren;
  tone?: 'bad';
}

export function StatTile({ id, label, value, sub, tone }: StatTileProps) {
  return (
    <div class={`kt-stat${tone ? ` kt-stat--${tone}` : ''}`} data-testid={`stat-${id}`}>
      <span class="kt-stat__label">{label}</span>
      <span class="kt-stat__value" data-testid={`stat-${id}-value`}>
        {value ?? '—'}
      </span>
      {sub ? <span class="kt-stat__sub kt-muted">{sub}</span> : null}
    </div>
  );
}
