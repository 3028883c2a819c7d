/**
 * The owning object's webhook endpoints and their delivery queue, in its own SQLite. Enqueuing happens inside the
 * transaction that makes the change (like the mirror outbox), so an event is queued exactly when it happened.
 * Deliveries to one endpoint go out in order: only the oldest undelivered one is ever attempted.
 */
import {
  DISABLE_AFTER,
  LOG_KEPT,
  MAX_PENDING,
  MAX_WEBHOOKS,
  TEST_EVENT,
  type DeliveryView,
  type WebhookPayload,
  type WebhookView,
  retryDelay,
} from '../../../core/webhooks.ts';
import { LazyTables } from '../lazy-tables.ts';

export type { DeliveryView, WebhookView };

/** One delivery to attempt now. */
export interface DueDelivery {
  id: string;
  webhookId: string;
  url: string;
  secrets: string[];
  eventId: string;
  body: string;
}

export interface Outcome {
  ok: boolean;
  status: number | null;
  latencyMs: number;
  excerpt: string | null;
  error: string | null;
}

type HookRow = {
  id: string;
  url: string;
  events: string;
  secret: string;
  prev_secret: string | null;
  prev_until: number | null;
  enabled: number;
  failures: number;
  disabled_reason: string | null;
  dropped: number;
  created_at: number;
};
type DeliveryRow = {
  id: string;
  webhook_id: string;
  event_id: string;
  event: string;
  body: string;
  status: 'pending' | 'delivered';
  attempts: number;
  created_at: number;
  next_at: number | null;
  delivered_at: number | null;
  last_status: number | null;
  last_error: string | null;
  latency_ms: number | null;
  excerpt: string | null;
};

const EVENT_INDEX = `CREATE INDEX IF NOT EXISTS webhook_deliveries_by_event ON webhook_deliveries (webhook_id, event_id)`;

/** A rotated-out secret keeps signing (beside the new one) this long, so receivers can switch over. */
const ROTATION_OVERLAP_MS = 24 * 3_600_000;

export class WebhookStore {
  private readonly table: LazyTables;
  /** Whether the event-id index is known to exist (tables made before it was added get it on first enqueue). */
  private eventIndexed = false;

  constructor(private readonly sql: SqlStorage) {
    this.table = new LazyTables(sql, 'webhooks', [
      `CREATE TABLE IF NOT EXISTS webhooks (id TEXT PRIMARY KEY, url TEXT NOT NULL, events TEXT NOT NULL,
        secret TEXT NOT NULL, prev_secret TEXT, prev_until INTEGER, enabled INTEGER NOT NULL,
        failures INTEGER NOT NULL DEFAULT 0, disabled_reason TEXT, dropped INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS webhook_deliveries (n INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
        webhook_id TEXT NOT NULL, event_id TEXT NOT NULL, event TEXT NOT NULL, body TEXT NOT NULL,
        status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, next_at INTEGER,
        delivered_at INTEGER, last_status INTEGER, last_error TEXT, latency_ms INTEGER, excerpt TEXT)`,
      `CREATE INDEX IF NOT EXISTS webhook_deliveries_by_hook ON webhook_deliveries (webhook_id, status, n)`,
      EVENT_INDEX,
    ]);
  }

  // ── Endpoints ──────────────────────────────────────────────────────────
  list(): WebhookView[] {
    if (!this.table.exists()) return [];
    return this.sql
      .exec<HookRow>(`SELECT * FROM webhooks ORDER BY created_at, id`)
      .toArray()
      .map((r) => this.view(r));
  }

  get(id: string): WebhookView | null {
    const r = this.row(id);
    return r ? this.view(r) : null;
  }

  count(): number {
    if (!this.table.exists()) return 0;
    return (this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM webhooks`).one() as { n: number }).n;
  }

  /** Adds an endpoint; null when the object already has MAX_WEBHOOKS. */
  create(
    input: { url: string; events: string[]; enabled?: boolean },
    now: number,
  ): { webhook: WebhookView; secret: string } | null {
    if (this.count() >= MAX_WEBHOOKS) return null;
    this.table.ensure();
    const id = `wh_${randomId(12)}`;
    const secret = newSecret();
    this.sql.exec(
      `INSERT INTO webhooks (id, url, events, secret, enabled, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
      id,
      input.url,
      JSON.stringify(input.events),
      secret,
      input.enabled === false ? 0 : 1,
      now,
    );
    return { webhook: this.get(id) as WebhookView, secret };
  }

  /** Changes an endpoint. Enabling it clears its failure run, and its queue resumes in order. */
  update(id: string, patch: { url?: string; events?: string[]; enabled?: boolean }): WebhookView | null {
    const r = this.row(id);
    if (!r) return null;
    this.sql.exec(
      `UPDATE webhooks SET url = ?, events = ?, enabled = ?, failures = ?, disabled_reason = ? WHERE id = ?`,
      patch.url ?? r.url,
      patch.events ? JSON.stringify(patch.events) : r.events,
      patch.enabled === undefined ? r.enabled : patch.enabled ? 1 : 0,
      patch.enabled === true ? 0 : r.failures,
      patch.enabled === true ? null : r.disabled_reason,
      id,
    );
    if (patch.enabled === true)
      this.sql.exec(`UPDATE webhook_deliveries SET next_at = NULL WHERE webhook_id = ? AND status = 'pending'`, id);
    return this.get(id);
  }

  remove(id: string): boolean {
    if (!this.row(id)) return false;
    this.sql.exec(`DELETE FROM webhook_deliveries WHERE webhook_id = ?`, id);
    this.sql.exec(`DELETE FROM webhooks WHERE id = ?`, id);
    return true;
  }

  /** A new secret; the old one keeps signing beside it for a day. */
  rotate(id: string, now: number): string | null {
    const r = this.row(id);
    if (!r) return null;
    const secret = newSecret();
    this.sql.exec(
      `UPDATE webhooks SET secret = ?, prev_secret = ?, prev_until = ? WHERE id = ?`,
      secret,
      r.secret,
      now + ROTATION_OVERLAP_MS,
      id,
    );
    return secret;
  }

  // ── Queue ──────────────────────────────────────────────────────────────
  /**
   * Queues `payload` for every enabled endpoint that subscribed to its type (or only `only`, for a test event).
   * Call inside the transaction that makes the change. Returns how many deliveries were queued.
   */
  enqueue(eventId: string, payload: WebhookPayload, now: number, only?: string): number {
    if (!this.table.exists()) return 0;
    const body = JSON.stringify(payload);
    let queued = 0;
    for (const r of this.sql.exec<HookRow>(`SELECT * FROM webhooks WHERE enabled = 1`).toArray()) {
      if (only ? r.id !== only : !(JSON.parse(r.events) as string[]).includes(payload.type)) continue;
      // At most once per endpoint and event id: a sender that retries (a rack flushing its notes) adds nothing.
      if (this.hasEvent(r.id, eventId)) continue;
      if (this.pendingOf(r.id) >= MAX_PENDING) {
        this.sql.exec(`UPDATE webhooks SET dropped = dropped + 1 WHERE id = ?`, r.id);
        continue;
      }
      this.insertDelivery(r.id, eventId, payload.type, body, now);
      queued++;
    }
    return queued;
  }

  /** A test event for one endpoint, whatever it subscribed to. */
  enqueueTest(id: string, now: number): DeliveryView | null {
    const r = this.row(id);
    if (!r) return null;
    const eventId = `evt_${randomId(16)}`;
    const payload: WebhookPayload = {
      type: TEST_EVENT,
      timestamp: new Date(now).toISOString(),
      data: { webhookId: id, message: 'A test event from Keeptime' },
    };
    const deliveryId = this.insertDelivery(id, eventId, TEST_EVENT, JSON.stringify(payload), now);
    return this.delivery(id, deliveryId);
  }

  /** Queues a delivery again, with the same event id and body (receivers deduplicate on the id). */
  redeliver(id: string, deliveryId: string, now: number): DeliveryView | null {
    const d = this.deliveryRow(id, deliveryId);
    if (!d) return null;
    const copy = this.insertDelivery(id, d.event_id, d.event, d.body, now);
    return this.delivery(id, copy);
  }

  deliveries(id: string, limit = LOG_KEPT): DeliveryView[] {
    if (!this.table.exists()) return [];
    return this.sql
      .exec<DeliveryRow>(`SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY n DESC LIMIT ?`, id, limit)
      .toArray()
      .map(deliveryView);
  }

  delivery(id: string, deliveryId: string): DeliveryView | null {
    const d = this.deliveryRow(id, deliveryId);
    return d ? deliveryView(d) : null;
  }

  /** For each enabled endpoint, its oldest undelivered delivery, when that one is due by `now`. */
  due(now: number): DueDelivery[] {
    if (!this.table.exists()) return [];
    const out: DueDelivery[] = [];
    for (const r of this.sql.exec<HookRow>(`SELECT * FROM webhooks WHERE enabled = 1`).toArray()) {
      const head = this.sql
        .exec<DeliveryRow>(
          `SELECT * FROM webhook_deliveries WHERE webhook_id = ? AND status = 'pending' ORDER BY n LIMIT 1`,
          r.id,
        )
        .toArray()[0];
      if (!head || (head.next_at !== null && head.next_at > now)) continue;
      const secrets = [r.secret, ...(r.prev_secret && (r.prev_until ?? 0) > now ? [r.prev_secret] : [])];
      out.push({ id: head.id, webhookId: r.id, url: r.url, secrets, eventId: head.event_id, body: head.body });
    }
    return out;
  }

  /** When the next delivery is due (null: nothing waits on an enabled endpoint). */
  nextDueAt(now: number): number | null {
    if (!this.table.exists()) return null;
    let next: number | null = null;
    for (const r of this.sql.exec<{ id: string }>(`SELECT id FROM webhooks WHERE enabled = 1`).toArray()) {
      const head = this.sql
        .exec<{ next_at: number | null }>(
          `SELECT next_at FROM webhook_deliveries WHERE webhook_id = ? AND status = 'pending' ORDER BY n LIMIT 1`,
          r.id,
        )
        .toArray()[0];
      if (!head) continue;
      const at = head.next_at ?? now;
      next = next === null ? at : Math.min(next, at);
    }
    return next;
  }

  /**
   * Records an attempt. A success clears the endpoint's failure run; a failure schedules a retry with backoff, and
   * the DISABLE_AFTER-th failure in a row disables the endpoint (returned, so the owner can be told).
   */
  record(d: DueDelivery, outcome: Outcome, now: number, random: number): { disabled: string | null } {
    const r = this.row(d.webhookId);
    const row = this.deliveryRow(d.webhookId, d.id);
    if (!r || !row || row.status !== 'pending') return { disabled: null };
    const attempts = row.attempts + 1;
    if (outcome.ok) {
      this.sql.exec(
        `UPDATE webhook_deliveries SET status = 'delivered', attempts = ?, delivered_at = ?, next_at = NULL,
          last_status = ?, last_error = NULL, latency_ms = ?, excerpt = ? WHERE id = ?`,
        attempts,
        now,
        outcome.status,
        outcome.latencyMs,
        outcome.excerpt,
        d.id,
      );
      this.sql.exec(`UPDATE webhooks SET failures = 0 WHERE id = ?`, d.webhookId);
      this.prune(d.webhookId);
      return { disabled: null };
    }
    const failures = r.failures + 1;
    this.sql.exec(
      `UPDATE webhook_deliveries SET attempts = ?, next_at = ?, last_status = ?, last_error = ?, latency_ms = ?,
        excerpt = ? WHERE id = ?`,
      attempts,
      now + retryDelay(attempts, random),
      outcome.status,
      outcome.error,
      outcome.latencyMs,
      outcome.excerpt,
      d.id,
    );
    const disabled =
      failures >= DISABLE_AFTER
        ? `Disabled after ${failures} failed attempts in a row (last: ${outcome.error ?? `HTTP ${outcome.status}`})`
        : null;
    this.sql.exec(
      `UPDATE webhooks SET failures = ?, enabled = ?, disabled_reason = COALESCE(?, disabled_reason) WHERE id = ?`,
      failures,
      disabled ? 0 : 1,
      disabled,
      d.webhookId,
    );
    return { disabled };
  }

  // ── Helpers ────────────────────────────────────────────────────────────
  private insertDelivery(webhookId: string, eventId: string, event: string, body: string, now: number): string {
    this.table.ensure();
    const id = `dlv_${randomId(16)}`;
    this.sql.exec(
      `INSERT INTO webhook_deliveries (id, webhook_id, event_id, event, body, status, created_at)
        VALUES (?, ?, ?, ?, ?, 'pending', ?)`,
      id,
      webhookId,
      eventId,
      event,
      body,
      now,
    );
    return id;
  }

  /** Keeps the newest LOG_KEPT delivered rows of an endpoint (pending ones are never pruned). */
  private prune(webhookId: string): void {
    this.sql.exec(
      `DELETE FROM webhook_deliveries WHERE webhook_id = ? AND status = 'delivered' AND n NOT IN
        (SELECT n FROM webhook_deliveries WHERE webhook_id = ? AND status = 'delivered' ORDER BY n DESC LIMIT ?)`,
      webhookId,
      webhookId,
      LOG_KEPT,
    );
  }

  private hasEvent(webhookId: string, eventId: string): boolean {
    if (!this.eventIndexed) {
      this.sql.exec(EVENT_INDEX);
      this.eventIndexed = true;
    }
    return (
      this.sql
        .exec(`SELECT 1 FROM webhook_deliveries WHERE webhook_id = ? AND event_id = ? LIMIT 1`, webhookId, eventId)
        .toArray().length > 0
    );
  }

  private pendingOf(id: string): number {
    return (
      this.sql
        .exec<{ n: number }>(
          `SELECT COUNT(*) AS n FROM webhook_deliveries WHERE webhook_id = ? AND status = 'pending'`,
          id,
        )
        .one() as { n: number }
    ).n;
  }

  private row(id: string): HookRow | null {
    if (!this.table.exists()) return null;
    return this.sql.exec<HookRow>(`SELECT * FROM webhooks WHERE id = ?`, id).toArray()[0] ?? null;
  }

  private deliveryRow(webhookId: string, deliveryId: string): DeliveryRow | null {
    if (!this.table.exists()) return null;
    return (
      this.sql
        .exec<DeliveryRow>(`SELECT * FROM webhook_deliveries WHERE webhook_id = ? AND id = ?`, webhookId, deliveryId)
        .toArray()[0] ?? null
    );
  }

  private view(r: HookRow): WebhookView {
    return {
      id: r.id,
      url: r.url,
      events: JSON.parse(r.events) as string[],
      enabled: r.enabled === 1,
      createdAt: r.created_at,
      failures: r.failures,
      disabledReason: r.disabled_reason,
      pending: this.pendingOf(r.id),
      dropped: r.dropped,
    };
  }
}

function deliveryView(d: DeliveryRow): DeliveryView {
  return {
    id: d.id,
    eventId: d.event_id,
    event: d.event,
    status: d.status,
    attempts: d.attempts,
    createdAt: d.created_at,
    nextAttemptAt: d.status === 'pending' ? d.next_at : null,
    deliveredAt: d.delivered_at,
    lastStatus: d.last_status,
    lastError: d.last_error,
    latencyMs: d.latency_ms,
    excerpt: d.excerpt,
  };
}

function randomId(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
function newSecret(): string {
  return `whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))}`;
}
