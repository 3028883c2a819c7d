/**
 * The Operations dashboard: dependency health and live counts (polled every
 * 5 s), dead letters with replay, and the realtime notifications feed.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, errorText } from '../../lib/net/api.ts';
import { OpsFeed } from '../../lib/ops/feed.ts';
import {
  type DeadLetter,
  type DeepHealth,
  type OpsStats,
  fetchDeadLetters,
  fetchDeepHealth,
  fetchOpsStats,
  kickOutbox,
  replayDeadLetter,
} from '../../lib/ops/api.ts';
import { when } from '../../lib/clock/when.ts';
import { Toast } from '../common/Toast.tsx';
import { usePoll } from '../common/use-poll.ts';
import { useToast } from '../common/useToast.ts';
import { DeadLetters } from './DeadLetters.tsx';
import { FeedPanel } from './FeedPanel.tsx';
import { HealthCards } from './HealthCards.tsx';
import { StatsGrid } from './StatsGrid.tsx';

const OPS_POLL_MS = 5_000;
/** A replayed letter stays hidden this long, so a list fetched before the replay does not bring it back. */
const REPLAY_GRACE_MS = 10_000;

const isForbidden = (r: PromiseSettledResult<unknown>) =>
  r.status === 'rejected' && r.reason instanceof ApiError && (r.reason.status === 403 || r.reason.status === 401);

export function OpsDashboard({ onForbidden }: { onForbidden: () => void }) {
  const [health, setHealth] = useState<DeepHealth | undefined>(undefined);
  const [stats, setStats] = useState<OpsStats | undefined>(undefined);
  const [letters, setLetters] = useState<DeadLetter[] | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);
  const [loadedAt, setLoadedAt] = useState<number | null>(null);
  const [toast, notify] = useToast();
  /** Letters replayed (or being replayed), until when to keep them hidden. */
  const hidden = useRef(new Map<string, number>());

  const visible = (ls: DeadLetter[]) => {
    const now = Date.now();
    for (const [id, until] of hidden.current) if (until < now) hidden.current.delete(id);
    return ls.filter((l) => !hidden.current.has(l.eventId));
  };

  const refresh = usePoll(async () => {
    const [h, s, d] = await Promise.allSettled([fetchDeepHealth(), fetchOpsStats(), fetchDeadLetters()]);
    if (isForbidden(s) || isForbidden(d)) return onForbidden();
    setHealth(h.status === 'fulfilled' ? h.value : undefined);
    if (s.status === 'fulfilled') setStats(s.value);
    if (d.status === 'fulfilled') setLetters(visible(d.value));
    const failed = [h, s, d].find((r): r is PromiseRejectedResult => r.status === 'rejected');
    setProblem(failed ? errorText(failed.reason) : null);
    setLoadedAt(Date.now());
  }, OPS_POLL_MS);

  // A new dead letter shows up in the list at once, not at the next poll.
  const feed = useMemo(() => new OpsFeed((n) => n.kind === 'dead-letter' && refresh()), []);
  useEffect(() => {
    feed.start();
    return () => feed.stop();
  }, [feed]);

  const replay = async (l: DeadLetter) => {
    hidden.current.set(l.eventId, Number.POSITIVE_INFINITY);
    setLetters((ls) => ls?.filter((x) => x.eventId !== l.eventId));
    try {
      await replayDeadLetter(l.eventId);
      notify(`Replayed ${l.kind} from ${l.object.kind} ${l.object.name}`, 'info');
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        notify('That dead letter was already replayed or removed', 'info');
      } else {
        hidden.current.delete(l.eventId);
        setLetters((ls) =>
          ls && !ls.some((x) => x.eventId === l.eventId) ? [...ls, l].sort((a, b) => b.deadAt - a.deadAt) : ls,
        );
        notify(`Replay failed: ${errorText(e)}`);
        return;
      }
    }
    hidden.current.set(l.eventId, Date.now() + REPLAY_GRACE_MS);
    refresh();
  };

  const kick = async () => {
    try {
      const n = await kickOutbox();
      notify(
        n === 0
          ? 'No outbox is waiting: nothing to drain'
          : `Asked ${n} ${n === 1 ? 'object' : 'objects'} to drain now`,
        'info',
      );
      refresh();
    } catch (e) {
      notify(`Could not drain: ${errorText(e)}`);
    }
  };

  const overall = health === undefined ? 'unknown' : health.status;
  return (
    <div class="ops" data-testid="ops">
      <div class="ops-bar">
        <h1 class="ops-bar__title">Operations</h1>
        <span class={`ops-overall ops-overall--${overall}`} data-testid="health-overall" data-status={overall}>
          <span class="ops-dot" aria-hidden="true" />
          {overall === 'ok' ? 'All systems OK' : overall === 'degraded' ? 'Degraded' : 'Health unknown'}
        </span>
        <span class="ctl-bar__spacer" />
        <span class="kt-muted ops-bar__note" data-testid="ops-updated">
          {loadedAt === null ? 'Loading…' : `Updated ${when(loadedAt)} · every 5 s`}
        </span>
      </div>
      {problem ? (
        <p class="kt-alert" role="alert" data-testid="ops-error">
          Some figures could not be loaded: {problem}
        </p>
      ) : null}

      <div class="ops-grid">
        <section class="ops-section ops-section--health" aria-label="Dependencies">
          <h2 class="ops-h2">Dependencies</h2>
          <HealthCards health={health} />
        </section>
        <section class="ops-section ops-section--stats" aria-label="Live counts">
          <div class="ops-h2-row">
            <h2 class="ops-h2">Live</h2>
            <button
              type="button"
              class="kt-btn kt-btn--small"
              onClick={() => void kick()}
              data-testid="outbox-kick"
              title="Drain every pending outbox now instead of waiting for its retry"
            >
              Drain outbox now
            </button>
          </div>
          <StatsGrid stats={stats} />
        </section>
        <section class="kt-card ops-section--dlq" aria-label="Dead letters">
          <h2>
            Dead letters{' '}
            <span class="kt-count" data-testid="dlq-count">
              {letters?.length ?? 0}
            </span>
          </h2>
          <DeadLetters letters={letters} onReplay={(l) => void replay(l)} />
        </section>
        <FeedPanel feed={feed} />
      </div>
      <Toast toast={toast} />
    </div>
  );
}
