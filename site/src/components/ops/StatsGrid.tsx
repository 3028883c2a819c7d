/** Live counts across every object: sockets, rooms, sessions, racks, outbox depth, dead letters. */
import type { ComponentChildren } from 'preact';
import type { OpsStats } from '../../lib/ops.ts';
import { age } from '../../lib/when.ts';

function Tile({ id, label, value, sub, tone }: { id: string; label: string; value: number | undefined; sub?: ComponentChildren; tone?: 'bad' }) {
  return (
    <div class={`ops-stat${tone ? ` ops-stat--${tone}` : ''}`} data-testid={`stat-${id}`}>
      <span class="ops-stat__label">{label}</span>
      <span class="ops-stat__value" data-testid={`stat-${id}-value`}>
        {value ?? '—'}
      </span>
      {sub ? <span class="ops-stat__sub kt-muted">{sub}</span> : null}
    </div>
  );
}

export function StatsGrid({ stats }: { stats: OpsStats | undefined }) {
  const s = stats;
  const oldest = s?.outbox.oldestPendingAgeMs ?? null;
  return (
    <div class="ops-stats" data-testid="stats">
      <Tile id="sockets" label="Open sockets" value={s?.sockets} />
      <Tile id="rooms" label="Rooms running" value={s?.rooms.active} sub={s ? `${s.rooms.live} with screens open` : undefined} />
      <Tile id="sessions" label="Active sessions" value={s?.sessions.active} />
      <Tile id="racks" label="Claimed racks" value={s?.racks.active} />
      <Tile
        id="outbox"
        label="Outbox pending"
        value={s?.outbox.pending}
        sub={s ? (oldest === null ? 'nothing waiting' : `oldest ${age(oldest)}`) : undefined}
        tone={oldest !== null && oldest > 60_000 ? 'bad' : undefined}
      />
      <Tile id="dead" label="Dead letters" value={s?.deadLetters} tone={s && s.deadLetters > 0 ? 'bad' : undefined} />
      <Tile id="ops-sockets" label="Ops viewers" value={s?.opsSockets} />
    </div>
  );
}
