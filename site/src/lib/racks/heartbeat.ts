/**
 * The lease heartbeat: every 25 s while the page is visible, paused while it
 * is hidden, and one at once when it comes back (never two at once).
 */
import { ApiError } from '../net/api.ts';
import { heartbeat } from './api.ts';
import type { SyncLease } from './sync.ts';

const HEARTBEAT_MS = 25_000;

export type HeartbeatStatus = 'ok' | 'sending' | 'failed' | 'paused-hidden';

interface HeartbeatOptions {
  lease: SyncLease;
  onBeat: (status: HeartbeatStatus, expiresAt: number | null) => void;
  onLeaseLost: () => void;
}

/** Starts the heartbeat; returns the function that stops it. */
export function startHeartbeat(o: HeartbeatOptions): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let busy = false;
  let stopped = false;

  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = stopped || document.visibilityState === 'hidden' ? null : setTimeout(beat, HEARTBEAT_MS);
  };
  const beat = async () => {
    if (busy || stopped) return;
    busy = true;
    o.onBeat('sending', null);
    try {
      const a = await heartbeat(o.lease);
      if (!stopped) o.onBeat('ok', a.expires_at);
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'stale_fencing_token' || e.code === 'no_lease')) {
        stopped = true;
        o.onLeaseLost();
      } else if (!stopped) o.onBeat('failed', null);
    } finally {
      busy = false;
      schedule();
    }
  };
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') {
      if (timer) clearTimeout(timer);
      timer = null;
      o.onBeat('paused-hidden', null);
    } else void beat();
  };
  document.addEventListener('visibilitychange', onVisibility);
  schedule();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
  };
}
