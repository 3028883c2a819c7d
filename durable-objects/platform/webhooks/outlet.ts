/**
 * The webhook side of an owning object (a room, a user's sessions, a floor): the endpoint API behind the routes,
 * queuing inside the object's transactions, and the delivery run its alarm makes. Delivery never touches Postgres,
 * so a database outage delays nothing here.
 */
import { type Answer, accept, refuse } from '../../../core/errors.ts';
import { type UrlPolicy, type WebhookScope, refuseWebhookUrl } from '../../../core/webhooks.ts';
import { type IdempotencyLog, commandHash } from '../idempotency.ts';
import { sendDelivery } from './send.ts';
import { type DeliveryView, type WebhookView, WebhookStore } from './store.ts';

export type WebhookOp =
  | { op: 'list' }
  | { op: 'create'; url: string; events: string[]; enabled?: boolean }
  | { op: 'update'; id: string; url?: string; events?: string[]; enabled?: boolean }
  | { op: 'delete'; id: string }
  | { op: 'rotate'; id: string }
  | { op: 'deliveries'; id: string }
  | { op: 'redeliver'; id: string; deliveryId: string }
  | { op: 'test'; id: string };

export type WebhookAnswer =
  | { webhooks: WebhookView[] }
  | { webhook: WebhookView; secret?: string }
  | { deliveries: DeliveryView[] }
  | { delivery: DeliveryView }
  | { secret: string }
  | null;

/** At most this many attempts per endpoint in one alarm run (the rest wait for the next run, due at once). */
const PER_RUN = 20;

const notFound = () => refuse('webhook_not_found', 'No such webhook here');

export class WebhookOutlet {
  store: WebhookStore;

  constructor(
    private readonly sql: SqlStorage,
    readonly scope: WebhookScope,
    private readonly policy: UrlPolicy,
  ) {
    this.store = new WebhookStore(sql);
  }

  /** After the object's storage was wiped. */
  reset(): void {
    this.store = new WebhookStore(this.sql);
  }

  /**
   * `handle`, with the route's Idempotency-Key: a retried change gets the first answer (one endpoint, one secret,
   * one test event); the same key with another request is refused. Reads need no key.
   */
  async request(
    o: WebhookOp,
    idempotencyKey: string | null,
    log: IdempotencyLog,
    now: number,
    write: (fn: () => void) => Promise<void>,
  ): Promise<Answer<WebhookAnswer>> {
    const key = idempotencyKey && o.op !== 'list' && o.op !== 'deliveries' ? `webhooks:${idempotencyKey}` : null;
    if (!key) return this.handle(o, now, write);
    const hash = await commandHash('webhooks', o);
    const earlier = log.recall<Answer<WebhookAnswer>>(key, hash);
    if (earlier.kind === 'reused')
      return refuse('idempotency_key_reused', 'This idempotency key was already used for a different request');
    if (earlier.kind === 'replay') return earlier.answer;
    const answer = await this.handle(o, now, write);
    await write(() => log.put(key, answer, now, hash));
    return answer;
  }

  /**
   * Runs one endpoint operation. `write` wraps a change in the object's transaction (and re-arms its alarm).
   * Returns what the route answers.
   */
  async handle(o: WebhookOp, now: number, write: (fn: () => void) => Promise<void>): Promise<Answer<WebhookAnswer>> {
    const s = this.store;
    switch (o.op) {
      case 'list':
        return accept({ webhooks: s.list() });
      case 'create': {
        const bad = refuseWebhookUrl(o.url, this.policy);
        if (bad) return refuse('validation_failed', bad, { field: 'url' });
        let made: ReturnType<WebhookStore['create']> = null;
        await write(() => {
          made = s.create(o, now);
        });
        if (!made) return refuse('quota_exceeded', 'This already has the most webhooks it takes; delete one first');
        return accept(made);
      }
      case 'update': {
        if (o.url !== undefined) {
          const bad = refuseWebhookUrl(o.url, this.policy);
          if (bad) return refuse('validation_failed', bad, { field: 'url' });
        }
        let webhook: WebhookView | null = null;
        await write(() => {
          webhook = s.update(o.id, o);
        });
        return webhook ? accept({ webhook }) : notFound();
      }
      case 'delete': {
        let gone = false;
        await write(() => {
          gone = s.remove(o.id);
        });
        return gone ? accept(null) : notFound();
      }
      case 'rotate': {
        let secret: string | null = null;
        await write(() => {
          secret = s.rotate(o.id, now);
        });
        return secret ? accept({ secret }) : notFound();
      }
      case 'deliveries':
        return s.get(o.id) ? accept({ deliveries: s.deliveries(o.id) }) : notFound();
      case 'redeliver':
      case 'test': {
        let delivery: DeliveryView | null = null;
        await write(() => {
          delivery = o.op === 'test' ? s.enqueueTest(o.id, now) : s.redeliver(o.id, o.deliveryId, now);
        });
        if (delivery) return accept({ delivery });
        return o.op === 'test' || !s.get(o.id)
          ? notFound()
          : refuse('delivery_not_found', 'No such delivery for this webhook');
      }
    }
  }

  /**
   * Attempts every due delivery, in order per endpoint (the next one only after the previous succeeded), up to
   * PER_RUN per endpoint. Endpoints are attempted side by side. Returns the endpoints it disabled.
   */
  async run(
    now: () => number,
    write: (fn: () => void) => Promise<void>,
    userAgent: string,
  ): Promise<Array<{ id: string; url: string; reason: string }>> {
    const disabled: Array<{ id: string; url: string; reason: string }> = [];
    for (let round = 0; round < PER_RUN; round++) {
      const due = this.store.due(now());
      if (due.length === 0) break;
      const outcomes = await Promise.all(due.map((d) => sendDelivery(d, now, userAgent)));
      let anyOk = false;
      await write(() => {
        due.forEach((d, i) => {
          const outcome = outcomes[i] as (typeof outcomes)[number];
          anyOk ||= outcome.ok;
          const r = this.store.record(d, outcome, now(), Math.random());
          if (r.disabled) disabled.push({ id: d.webhookId, url: d.url, reason: r.disabled });
        });
      });
      // Failed heads now wait for their backoff; only successes have a next delivery due.
      if (!anyOk) break;
    }
    return disabled;
  }
}
