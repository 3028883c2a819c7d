/**
 * One rack session held on this device (the scan step of /racks): the lease
 * and its heartbeat, the sync manager over the offline scan queue, the rack
 * socket (counts, lease-lost), and the lease commands. A stale fencing token
 * anywhere means the lease is lost: scanning is blocked until a new claim.
 * The page renders `state` and calls the methods.
 */
import { ApiError } from '../net/api.ts';
import { type Claim, type RackCounts, completeSession, leaseCommand } from './api.ts';
import { type HeartbeatStatus, startHeartbeat } from './heartbeat.ts';
import { ScanQueue, type ScanRecord, deviceQueue } from './scan-queue.ts';
import { connectRack } from './socket.ts';
import { SyncManager, type SyncState } from './sync.ts';

/** A lease the page holds: the claim, whether it is paused, and the server clock's offset. */
export interface HeldLease extends Claim {
  paused: boolean;
  /** serverTime − Date.now() when the lease was read. */
  offsetMs: number;
}

export const heldLease = (c: Claim, paused = false, offsetMs = 0): HeldLease => ({ ...c, paused, offsetMs });

interface RackSessionState {
  lease: HeldLease;
  sync: SyncState;
  beat: HeartbeatStatus;
  /** The lease ended under this device (another claim, an expiry, a stale token). */
  lost: boolean;
  /** The server's reason when it said (expired, force-released, broken, handed-off). */
  lostReason: string | null;
  /** The rack's counts from its socket, once one came. */
  counts: RackCounts | null;
  /** The latest scans made here, newest first. */
  recent: ScanRecord[];
  /** Unsent scans from an earlier claim of this rack (its lease was lost before they went out). */
  leftover: ScanRecord[];
  /** A lease command is under way. */
  busy: boolean;
}

interface ScanInput {
  item_code: string;
  verified_qty: number;
  damage_qty: number;
}

interface RackSessionOptions {
  lease: HeldLease;
  /** The lease changed (renewed, paused, resumed). */
  onLease: (l: HeldLease) => void;
  /** The session ended: released (null) or completed (its summary). */
  onDone: (summary: Record<string, unknown> | null) => void;
  /** Claims the rack again after the lease was lost. */
  onReclaim: () => Promise<void>;
  queue?: ScanQueue;
}

const EMPTY_SYNC: SyncState = {
  total: 0,
  held: 0,
  synced: 0,
  pending: 0,
  rejected: 0,
  online: true,
  retryAt: null,
  lastError: null,
};
const RECENT = 5;
const isStale = (e: unknown) => e instanceof ApiError && e.code === 'stale_fencing_token';

export class RackSession {
  private s: RackSessionState;
  private listeners = new Set<(s: RackSessionState) => void>();
  private readonly queue: ScanQueue;
  private manager: SyncManager | null = null;
  private teardown: (() => void) | null = null;

  constructor(private readonly o: RackSessionOptions) {
    this.queue = o.queue ?? deviceQueue;
    this.s = {
      lease: o.lease,
      sync: EMPTY_SYNC,
      beat: 'ok',
      lost: false,
      lostReason: null,
      counts: null,
      recent: [],
      leftover: [],
      busy: false,
    };
  }

  get state(): RackSessionState {
    return this.s;
  }

  /** Scanning is refused: the lease is lost or paused. */
  get blocked(): boolean {
    return this.s.lost || this.s.lease.paused;
  }

  subscribe(fn: (s: RackSessionState) => void): () => void {
    this.listeners.add(fn);
    fn(this.s);
    return () => this.listeners.delete(fn);
  }

  /** Starts sending the queue, the heartbeat (unless paused) and the rack socket. */
  start(): void {
    if (this.teardown) return;
    const lease = this.s.lease;
    // A lost lease stops this device: no more heartbeats or syncs under the dead token (scans stay queued).
    let stopBeat: () => void = () => undefined;
    const lost = () => {
      this.set({ lost: true });
      this.manager?.stop();
      stopBeat();
    };
    const manager = new SyncManager({
      queue: this.queue,
      lease,
      onChange: (sync) => this.set({ sync }),
      onLeaseLost: lost,
    });
    this.manager = manager;
    void manager.start();
    this.queue.leftover(lease.rack_id, lease.session_id).then(
      (leftover) => this.set({ leftover }),
      () => this.set({ leftover: [] }),
    );
    stopBeat = lease.paused
      ? () => undefined
      : startHeartbeat({
          lease,
          onLeaseLost: lost,
          onBeat: (beat, expiresAt) => {
            this.set({ beat });
            if (expiresAt !== null) this.setLease({ ...this.s.lease, expires_at: expiresAt });
          },
        });
    const socket = connectRack(lease.rack_id, (msg) => {
      if (msg.type === 'lease-lost' && msg.session_id === lease.session_id) {
        this.set({ lostReason: msg.reason });
        lost();
      }
      if (msg.type === 'rack-status') this.set({ counts: msg.counts });
    });
    this.teardown = () => {
      manager.stop();
      stopBeat();
      socket.stop();
    };
  }

  stop(): void {
    this.teardown?.();
    this.teardown = null;
    this.manager = null;
  }

  /**
   * Records a scan: kept on this device at once, sent when it can be. Null
   * when refused (blocked, not started, or no item code); else the promise
   * that the scan is stored.
   */
  scan(input: ScanInput): Promise<void> | null {
    const manager = this.manager;
    if (!input.item_code || this.blocked || !manager) return null;
    const at = Date.now();
    const rec: ScanRecord = {
      client_record_id: crypto.randomUUID(),
      session_id: this.s.lease.session_id,
      item_code: input.item_code,
      verified_qty: input.verified_qty,
      damage_qty: input.damage_qty,
      serial_numbers: [],
      status: input.damage_qty > 0 ? 'damaged' : 'verified',
      created_at: at,
      updated_at: at,
      synced: 0,
    };
    this.set({ recent: [rec, ...this.s.recent].slice(0, RECENT) });
    return manager.add(rec);
  }

  /** Pauses, resumes or releases the lease. A stale token marks it lost; other failures reject. */
  command(type: 'pause' | 'resume' | 'release'): Promise<void> {
    return this.whileBusy(async () => {
      const lease = this.s.lease;
      const a = await leaseCommand(type, lease);
      if (type === 'release') this.o.onDone(null);
      else this.setLease({ ...lease, paused: a.status === 'paused', expires_at: a.expires_at ?? lease.expires_at });
    });
  }

  /**
   * Completes the audit. Refused here while scans of this session are unsent;
   * the server checks the declared count against what it received
   * (409 `unsynced_records` when it holds fewer).
   */
  complete(): Promise<void> {
    const { pending, held } = this.s.sync;
    if (pending > 0)
      return Promise.reject(new Error(`${pending} ${pending === 1 ? 'scan is' : 'scans are'} not synced yet`));
    return this.whileBusy(async () => this.o.onDone(await completeSession(this.s.lease, held)));
  }

  /** Claims the rack again after a lost lease; failures reject. */
  async reclaim(): Promise<void> {
    this.set({ busy: true });
    try {
      await this.o.onReclaim();
    } finally {
      this.set({ busy: false });
    }
  }

  /**
   * Sends the earlier claim's scans under this one: the server answers them by
   * the normal rules (accepted, duplicate or conflict). Resolves with how many.
   */
  async sendLeftover(): Promise<number> {
    const manager = this.manager;
    if (!manager) return 0;
    const moving = this.s.leftover;
    this.set({ leftover: [] });
    for (const r of moving) await manager.add({ ...r, session_id: this.s.lease.session_id });
    return moving.length;
  }

  dismissLeftover(): void {
    this.set({ leftover: [] });
  }

  // ── Internals ──────────────────────────────────────────────────────────
  private async whileBusy(fn: () => Promise<void>): Promise<void> {
    this.set({ busy: true });
    try {
      await fn();
    } catch (e) {
      if (isStale(e)) this.set({ lost: true });
      else throw e;
    } finally {
      this.set({ busy: false });
    }
  }

  /** A pause or resume restarts the parts: no heartbeat runs while paused. */
  private setLease(lease: HeldLease): void {
    const restart = this.teardown !== null && lease.paused !== this.s.lease.paused;
    this.set({ lease });
    this.o.onLease(lease);
    if (restart) {
      this.stop();
      this.start();
    }
  }

  private set(patch: Partial<RackSessionState>): void {
    this.s = { ...this.s, ...patch };
    for (const fn of this.listeners) fn(this.s);
  }
}
