/**
 * Sends the scan queue to POST /api/sync/batch: batches of at most 100, at
 * most 2 in flight, exponential backoff with jitter (2 s → 5 min) after a
 * failure, nothing while the browser is offline, and an immediate try when it
 * comes back. A stale fencing token stops the manager: the lease is lost.
 */
import { LIMITS } from '../../../../core/errors.ts';
import { ApiError, NETWORK } from '../net/api.ts';
import { syncBatch } from './api.ts';
import type { ScanQueue, ScanRecord } from './scan-queue.ts';

export const BATCH_SIZE = LIMITS.batchRecords;
export const MAX_IN_FLIGHT = 2;
const RETRY_BASE_MS = 2_000;
export const RETRY_CAP_MS = 5 * 60_000;

/** Half-to-full jitter over min(cap, base·2^attempt), so a retry never comes sooner than half the step. */
export const retryDelay = (attempt: number, random = Math.random): number => {
  const step = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** attempt);
  return step / 2 + random() * (step / 2);
};

export interface SyncState {
  total: number;
  /** Answered records the server holds (accepted, duplicate or conflict): the count completion declares. */
  held: number;
  synced: number;
  pending: number;
  rejected: number;
  online: boolean;
  /** When the next try is due after a failure (ms epoch), or null. */
  retryAt: number | null;
  lastError: string | null;
}

export interface SyncLease {
  session_id: string;
  fencing_token: number;
}

interface SyncManagerOptions {
  queue: ScanQueue;
  lease: SyncLease;
  onChange: (s: SyncState) => void;
  onLeaseLost: () => void;
}

export class SyncManager {
  private records = new Map<string, ScanRecord>();
  private inFlight = new Set<string>();
  private running = 0;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private retryAt: number | null = null;
  private rejected = 0;
  private lastError: string | null = null;
  private stopped = false;

  constructor(private readonly o: SyncManagerOptions) {
    addEventListener('online', this.onOnline);
    addEventListener('offline', this.emit);
  }

  /** Loads the session's stored records and starts sending. */
  async start(): Promise<void> {
    for (const r of await this.o.queue.all(this.o.lease.session_id)) this.records.set(r.client_record_id, r);
    this.emit();
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    removeEventListener('online', this.onOnline);
    removeEventListener('offline', this.emit);
  }

  async add(rec: ScanRecord): Promise<void> {
    await this.o.queue.add(rec);
    this.records.set(rec.client_record_id, rec);
    this.emit();
    this.kick();
  }

  get state(): SyncState {
    let synced = 0;
    let held = 0;
    for (const r of this.records.values()) {
      if (r.synced) synced++;
      if (r.synced && r.answer !== 'rejected') held++;
    }
    return {
      total: this.records.size,
      held,
      synced,
      pending: this.records.size - synced,
      rejected: this.rejected,
      online: navigator.onLine,
      retryAt: this.retryAt,
      lastError: this.lastError,
    };
  }

  /** Sends what can be sent now (no-op while offline, waiting for a retry, or at the in-flight limit). */
  kick = (): void => {
    if (this.stopped || !navigator.onLine || this.timer) return;
    while (this.running < MAX_IN_FLIGHT) {
      const batch: ScanRecord[] = [];
      for (const r of this.records.values()) {
        if (batch.length >= BATCH_SIZE) break;
        if (!r.synced && !this.inFlight.has(r.client_record_id)) batch.push(r);
      }
      if (batch.length === 0) return;
      void this.send(batch);
    }
  };

  private async send(batch: ScanRecord[]): Promise<void> {
    this.running++;
    for (const r of batch) this.inFlight.add(r.client_record_id);
    try {
      const records = batch.map(({ session_id: _s, synced: _y, ...r }) => r);
      const a = await syncBatch({
        session_id: this.o.lease.session_id,
        fencing_token: this.o.lease.fencing_token,
        records,
      });
      // A conflict or rejection is an answer too: resending it would not change it.
      const answered = [
        ...a.accepted,
        ...a.duplicates,
        ...a.conflicts.map((c) => c.client_record_id),
        ...a.rejected.map((r) => r.client_record_id),
      ];
      this.rejected += a.conflicts.length + a.rejected.length;
      const refused = new Set(a.rejected.map((r) => r.client_record_id));
      await this.o.queue.markSynced(answered, refused);
      for (const id of answered) {
        const r = this.records.get(id);
        if (r) this.records.set(id, { ...r, synced: 1, answer: refused.has(id) ? 'rejected' : 'held' });
      }
      this.attempt = 0;
      this.lastError = null;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'stale_fencing_token') {
        this.stopped = true;
        this.o.onLeaseLost();
      } else {
        this.lastError =
          e instanceof ApiError && e.code === NETWORK ? 'offline' : e instanceof Error ? e.message : 'sync failed';
        this.schedule();
      }
    } finally {
      for (const r of batch) this.inFlight.delete(r.client_record_id);
      this.running--;
      this.emit();
      this.kick();
    }
  }

  private schedule(): void {
    if (this.timer || this.stopped) return;
    const delay = retryDelay(this.attempt++);
    this.retryAt = Date.now() + delay;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.retryAt = null;
      this.emit();
      this.kick();
    }, delay);
  }

  private onOnline = (): void => {
    // Back online: try at once rather than wait out a backoff meant for a dead network.
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.retryAt = null;
    this.attempt = 0;
    this.emit();
    this.kick();
  };

  private emit = (): void => {
    this.o.onChange(this.state);
  };
}
