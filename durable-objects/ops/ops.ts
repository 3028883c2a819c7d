/**
 * Ops: one global object that indexes what admins need across every other
 * object — dead letters, outboxes with pending rows, live counts — and pushes a
 * realtime notifications feed to the Operations page.
 */
import { z } from 'zod';
import { drainOutbox } from '../platform/drain.ts';
import { mirrorSinks } from '../platform/mirrors/clients.ts';
import { KeeptimeObject } from '../platform/object.ts';
import type { DeadLetter } from '../platform/outbox.ts';
import type { SocketSpec } from '../platform/sockets.ts';

/** Which object a report is about: its class binding and its name. */
export interface ObjectRef {
  kind: 'room' | 'session' | 'rack' | 'floor' | 'account' | 'warehouse';
  name: string;
}

export interface Notification {
  kind: string;
  at: number;
  text: string;
  data?: Record<string, unknown>;
}

export interface LiveReport {
  ref: ObjectRef;
  sockets: number;
  active: boolean;
  pending: number;
  oldestPendingAgeMs: number | null;
  dead: number;
}

const FEED_SIZE = 50;

export class Ops extends KeeptimeObject<Record<never, never>, FeedPing> {
  constructor(ctx: DurableObjectState, env: import('../platform/env.ts').Env) {
    super(ctx, env, feedSockets);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS dead_letter_index (
      event_id TEXT PRIMARY KEY, object_kind TEXT NOT NULL, object_name TEXT NOT NULL, kind TEXT NOT NULL, error TEXT, dead_at INTEGER NOT NULL)`);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS live (
      object_kind TEXT NOT NULL, object_name TEXT NOT NULL, sockets INTEGER NOT NULL, active INTEGER NOT NULL,
      pending INTEGER NOT NULL, oldest_pending_at INTEGER, dead INTEGER NOT NULL, reported_at INTEGER NOT NULL,
      PRIMARY KEY (object_kind, object_name))`);
    // Dead letters handed over by objects that were deleted: the letters themselves sit in this object's own
    // dead_letters table (so they replay through its outbox); this says whose they were.
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS adopted_letters (
      event_id TEXT PRIMARY KEY, object_kind TEXT NOT NULL, object_name TEXT NOT NULL)`);
  }

  // ── Reports from other objects ─────────────────────────────────────────
  async report(r: LiveReport): Promise<void> {
    const now = this.clock.now();
    if (r.sockets === 0 && !r.active && r.pending === 0 && r.dead === 0) {
      this.ctx.storage.sql.exec(`DELETE FROM live WHERE object_kind = ? AND object_name = ?`, r.ref.kind, r.ref.name);
      return;
    }
    this.ctx.storage.sql.exec(
      `INSERT OR REPLACE INTO live VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      r.ref.kind,
      r.ref.name,
      r.sockets,
      r.active ? 1 : 0,
      r.pending,
      r.oldestPendingAgeMs === null ? null : now - r.oldestPendingAgeMs,
      r.dead,
      now,
    );
  }

  async deadLetter(
    ref: ObjectRef,
    letter: { eventId: string; kind: string; error: string | null; deadAt: number },
  ): Promise<void> {
    this.ctx.storage.sql.exec(
      `INSERT OR REPLACE INTO dead_letter_index VALUES (?, ?, ?, ?, ?, ?)`,
      letter.eventId,
      ref.kind,
      ref.name,
      letter.kind,
      letter.error,
      letter.deadAt,
    );
    await this.notify({
      kind: 'dead-letter',
      at: letter.deadAt,
      text: `Dead letter: ${letter.kind} from ${ref.kind} ${ref.name}`,
      data: { eventId: letter.eventId, error: letter.error },
    });
  }

  /**
   * Takes the dead letters of an object that is being deleted, so they stay listed and replayable once it is gone.
   * Idempotent (a retried handover stores each letter once). Returns how many it holds from that object.
   */
  async adoptDeadLetters(ref: ObjectRef, letters: DeadLetter[]): Promise<number> {
    const now = this.clock.now();
    await this.commit(() => {
      for (const letter of letters) {
        this.outbox.adopt(letter);
        this.ctx.storage.sql.exec(
          `INSERT OR REPLACE INTO adopted_letters VALUES (?, ?, ?)`,
          letter.eventId,
          ref.kind,
          ref.name,
        );
        this.ctx.storage.sql.exec(
          `INSERT OR REPLACE INTO dead_letter_index VALUES (?, ?, ?, ?, ?, ?)`,
          letter.eventId,
          ref.kind,
          ref.name,
          letter.kind,
          letter.lastError,
          letter.deadAt,
        );
      }
    });
    if (letters.length > 0)
      await this.notify({
        kind: 'dead-letters-adopted',
        at: now,
        text: `${letters.length} dead letter${letters.length === 1 ? '' : 's'} of deleted ${ref.kind} ${ref.name} kept by Ops (replayable)`,
        data: { object: ref, eventIds: letters.slice(0, 20).map((l) => l.eventId) },
      });
    return letters.length;
  }

  /** Replays a dead letter Ops adopted from a deleted object through Ops's own outbox; false if it holds none. */
  async replayAdopted(eventId: string): Promise<boolean> {
    const now = this.clock.now();
    if (!this.outbox.replay(eventId, now)) return false;
    await this.commit(() => this.schedule.set('outbox', 'drain', now));
    return true;
  }

  /** Ops's outbox holds only replayed adopted letters: a row that lands is forgotten; one that dies is listed again. */
  protected override async drain(): Promise<void> {
    const result = await drainOutbox(this.outbox, mirrorSinks(this.env), () => this.clock.now(), {
      tagsFor: () => [],
      onDead: (letter) => {
        const ref = this.adoptedRef(letter.eventId);
        return this.deadLetter(ref, {
          eventId: letter.eventId,
          kind: letter.kind,
          error: letter.lastError,
          deadAt: letter.deadAt,
        });
      },
      onWritten: (rows) => {
        for (const row of rows)
          this.ctx.storage.sql.exec(`DELETE FROM adopted_letters WHERE event_id = ?`, row.eventId);
      },
    });
    if (result.nextAt !== null) this.schedule.set('outbox', 'drain', result.nextAt);
  }

  private adoptedRef(eventId: string): ObjectRef {
    const row = this.ctx.storage.sql
      .exec<{ object_kind: ObjectRef['kind']; object_name: string }>(
        `SELECT object_kind, object_name FROM adopted_letters WHERE event_id = ?`,
        eventId,
      )
      .toArray()[0];
    return row ? { kind: row.object_kind, name: row.object_name } : { kind: 'room', name: 'unknown' };
  }

  async forgetDeadLetter(eventId: string): Promise<ObjectRef | null> {
    const row = this.ctx.storage.sql
      .exec<{ object_kind: ObjectRef['kind']; object_name: string }>(
        `SELECT object_kind, object_name FROM dead_letter_index WHERE event_id = ?`,
        eventId,
      )
      .toArray()[0];
    if (!row) return null;
    this.ctx.storage.sql.exec(`DELETE FROM dead_letter_index WHERE event_id = ?`, eventId);
    return { kind: row.object_kind, name: row.object_name };
  }

  async deadLetters(): Promise<
    Array<{ eventId: string; object: ObjectRef; kind: string; error: string | null; deadAt: number }>
  > {
    return this.ctx.storage.sql
      .exec<{
        event_id: string;
        object_kind: ObjectRef['kind'];
        object_name: string;
        kind: string;
        error: string | null;
        dead_at: number;
      }>(`SELECT * FROM dead_letter_index ORDER BY dead_at DESC LIMIT 500`)
      .toArray()
      .map((r) => ({
        eventId: r.event_id,
        object: { kind: r.object_kind, name: r.object_name },
        kind: r.kind,
        error: r.error,
        deadAt: r.dead_at,
      }));
  }

  /** Objects whose outbox has had rows pending for longer than `olderThanMs` (the cron re-kicks them). */
  async stalled(olderThanMs: number): Promise<ObjectRef[]> {
    const cutoff = this.clock.now() - olderThanMs;
    return this.ctx.storage.sql
      .exec<{ object_kind: ObjectRef['kind']; object_name: string }>(
        `SELECT object_kind, object_name FROM live WHERE pending > 0 AND oldest_pending_at IS NOT NULL AND oldest_pending_at < ?`,
        cutoff,
      )
      .toArray()
      .map((r) => ({ kind: r.object_kind, name: r.object_name }));
  }

  /** Users whose session object last reported a session in progress (newest reports first). */
  async activeSessions(limit = 500): Promise<string[]> {
    return this.ctx.storage.sql
      .exec<{ object_name: string }>(
        `SELECT object_name FROM live WHERE object_kind = 'session' AND active = 1 ORDER BY reported_at DESC LIMIT ?`,
        limit,
      )
      .toArray()
      .map((r) => r.object_name);
  }

  async stats(): Promise<{
    sockets: number;
    rooms: { active: number; live: number };
    sessions: { active: number };
    racks: { active: number };
    outbox: { pending: number; oldestPendingAgeMs: number | null };
    deadLetters: number;
    opsSockets: number;
  }> {
    const now = this.clock.now();
    const rows = this.ctx.storage.sql
      .exec<{ object_kind: string; sockets: number; active: number; pending: number; oldest: number | null }>(
        `SELECT object_kind, SUM(sockets) AS sockets, SUM(active) AS active, SUM(pending) AS pending, MIN(oldest_pending_at) AS oldest, COUNT(*) AS n FROM live GROUP BY object_kind`,
      )
      .toArray();
    const by = (k: string) => rows.find((r) => r.object_kind === k);
    const oldest = rows.reduce<number | null>(
      (m, r) => (r.oldest !== null && (m === null || r.oldest < m) ? r.oldest : m),
      null,
    );
    const liveRooms = this.ctx.storage.sql
      .exec<{ n: number }>(`SELECT COUNT(*) AS n FROM live WHERE object_kind = 'room' AND sockets > 0`)
      .one().n;
    return {
      sockets: rows.reduce((s, r) => s + r.sockets, 0),
      rooms: { active: by('room')?.active ?? 0, live: liveRooms },
      sessions: { active: by('session')?.active ?? 0 },
      racks: { active: by('rack')?.active ?? 0 },
      outbox: {
        pending: rows.reduce((s, r) => s + r.pending, 0),
        oldestPendingAgeMs: oldest === null ? null : now - oldest,
      },
      deadLetters: this.ctx.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM dead_letter_index`).one().n,
      opsSockets: this.hub.sockets().length,
    };
  }

  // ── Notifications feed ─────────────────────────────────────────────────
  async notify(n: Notification): Promise<void> {
    const feed = [n, ...(this.kv.get<Notification[]>('feed') ?? [])].slice(0, FEED_SIZE);
    this.kv.put('feed', feed);
    this.hub.broadcast({ type: 'notification', notification: n, serverTime: this.clock.now() });
  }

  async feed(): Promise<Notification[]> {
    return this.kv.get<Notification[]>('feed') ?? [];
  }

  protected override onConnect(ws: WebSocket): Response | null {
    this.acceptSocket(ws, { userId: null }, {});
    this.hub.send(ws, {
      type: 'feed',
      notifications: this.kv.get<Notification[]>('feed') ?? [],
      serverTime: this.clock.now(),
    });
    return null;
  }
}

/** The feed's only client message: a ping, with or without the client's send time (as every other socket takes it). */
const feedPing = z.strictObject({ type: z.literal('ping'), t0: z.number().finite().optional() });
type FeedPing = z.infer<typeof feedPing>;
const feedSockets: SocketSpec<Record<never, never>, FeedPing> = {
  key: 'ops',
  meta: z.object({}),
  messages: feedPing,
  invalid: 'The feed is read-only',
};
