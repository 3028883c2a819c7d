/** Dependency health: Postgres (the history mirror) and Redis (the caches), with latency. */
import type { DeepHealth, Dependency } from '../../lib/ops/api.ts';

type State = 'ok' | 'down' | 'off' | 'unknown';
const words: Record<State, string> = { ok: 'OK', down: 'Degraded', off: 'Off', unknown: 'Unknown' };

function stateOf(dep: Dependency | null | undefined): State {
  if (dep === undefined) return 'unknown';
  if (dep === null) return 'off';
  return dep.ok ? 'ok' : 'down';
}

function Card({
  id,
  name,
  role,
  dep,
  offText,
}: {
  id: string;
  name: string;
  role: string;
  dep: Dependency | null | undefined;
  offText: string;
}) {
  const state = stateOf(dep);
  return (
    <div class={`ops-health ops-health--${state}`} data-testid={`health-${id}`} data-state={state}>
      <div class="ops-health__head">
        <span class="ops-health__name">{name}</span>
        <span class="ops-health__state" data-testid={`health-${id}-state`}>
          <span class="ops-dot" aria-hidden="true" />
          {words[state]}
        </span>
      </div>
      <div class="ops-health__role kt-muted">{role}</div>
      <div class="ops-health__latency" data-testid={`health-${id}-latency`}>
        {state === 'off' ? offText : dep && dep.latencyMs !== null ? `${Math.round(dep.latencyMs)} ms` : '—'}
      </div>
    </div>
  );
}

/** `health` undefined: not loaded (or unreachable). */
export function HealthCards({ health }: { health: DeepHealth | undefined }) {
  return (
    <div class="ops-health-grid">
      <Card
        id="postgres"
        name="Postgres"
        role="History mirror (Neon)"
        dep={health?.postgres}
        offText="not configured"
      />
      <Card
        id="redis"
        name="Redis"
        role="Caches (Upstash)"
        dep={health === undefined ? undefined : health.redis}
        offText="caching not configured"
      />
    </div>
  );
}
