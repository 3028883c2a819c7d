/** Live counts across every object: sockets, rooms, sessions, racks, outbox depth, dead letters. */
import type { OpsStats } from '../../lib/ops/api.ts';
import { age } from '../../lib/clock/when.ts';
import { StatTile as Tile } from '../common/StatTile.tsx';

export function StatsGrid({ stats }: { stats: OpsStats | undefined }) {
  const s = stats;
  const oldest = s?.outbox.oldestPendingAgeMs ?? null;
  return (
    <div class="kt-stats" data-testid="stats">
      <Tile id="sockets" label="Open sockets" value={s?.sockets} />
      <Tile
        id="rooms"
        label="Rooms running"
        value={s?.rooms.active}
        sub={s ? `${s.rooms.live} with screens open` : undefined}
      />
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
