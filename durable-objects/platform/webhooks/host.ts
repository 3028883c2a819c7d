/**
 * An object's webhook plumbing, kept out of the base class: the outlet made on first use (only for objects with a
 * webhook scope), queuing inside the object's transactions, the `webhooks` schedule row that wakes delivery, and the
 * delivery run itself. The object keeps the hooks (scope, access gate, what to do when an endpoint is disabled).
 */
import type { Answer } from '../../../core/errors.ts';
import type { WebhookPayload, WebhookScope } from '../../../core/webhooks.ts';
import type { Env } from '../env.ts';
import type { IdempotencyLog } from '../idempotency.ts';
import type { Schedule } from '../schedule.ts';
import { type WebhookAnswer, type WebhookOp, WebhookOutlet } from './outlet.ts';

const USER_AGENT = 'Keeptime-Webhooks/1 (+https://github.com/keeptime)';

export type DisabledEndpoint = { id: string; url: string; reason: string };

export interface WebhookHostDeps {
  storage: DurableObjectStorage;
  env: Env;
  scope: () => WebhookScope | null;
  /** The object's schedule (a getter: a storage wipe replaces it). */
  schedule: () => Schedule;
  now: () => number;
}

export class WebhookHost {
  private outletOf: WebhookOutlet | null | undefined;

  constructor(private readonly deps: WebhookHostDeps) {}

  /** The outlet, or null when the object has no webhook scope. */
  outlet(): WebhookOutlet | null {
    if (this.outletOf !== undefined) return this.outletOf;
    const scope = this.deps.scope();
    const env = this.deps.env as Env & { ENVIRONMENT?: string; WEBHOOK_ALLOW_LOOPBACK?: string };
    // Loopback receivers only where development says so explicitly: never in production.
    const allowLoopback = env.ENVIRONMENT === 'development' && env.WEBHOOK_ALLOW_LOOPBACK === '1';
    this.outletOf = scope ? new WebhookOutlet(this.deps.storage.sql, scope, { allowLoopback }) : null;
    return this.outletOf;
  }

  /** After the object's storage was wiped. */
  reset(): void {
    this.outletOf?.reset();
  }

  /** One webhook route's operation; `commit` is the object's transaction-then-alarm. */
  request(
    outlet: WebhookOutlet,
    op: WebhookOp,
    idempotencyKey: string | null,
    idempotency: IdempotencyLog,
    commit: (write: () => void) => Promise<void>,
  ): Promise<Answer<WebhookAnswer>> {
    return outlet.request(op, idempotencyKey, idempotency, this.deps.now(), (fn) =>
      commit(() => {
        fn();
        this.plan(outlet);
      }),
    );
  }

  /** Queues an event for every subscribed endpoint; call inside the transaction that makes the change. */
  queue(type: string, data: Record<string, unknown>, now: number, eventId?: string): void {
    const outlet = this.outlet();
    if (!outlet) return;
    const payload: WebhookPayload = { type, timestamp: new Date(now).toISOString(), data };
    if (outlet.store.enqueue(eventId ?? `evt_${crypto.randomUUID().replace(/-/g, '')}`, payload, now) > 0)
      this.plan(outlet);
  }

  /** The delivery run the `webhooks` schedule row wakes; the endpoints it disabled. */
  async deliver(): Promise<DisabledEndpoint[]> {
    const outlet = this.outlet();
    if (!outlet) return [];
    const { storage } = this.deps;
    const disabled = await outlet.run(
      this.deps.now,
      (fn) => {
        storage.transactionSync(fn);
        return Promise.resolve();
      },
      USER_AGENT,
    );
    storage.transactionSync(() => this.plan(outlet));
    return disabled;
  }

  private plan(outlet: WebhookOutlet): void {
    const next = outlet.store.nextDueAt(this.deps.now());
    const schedule = this.deps.schedule();
    if (next === null) schedule.clear('webhooks', 'deliver');
    else schedule.set('webhooks', 'deliver', next);
  }
}
