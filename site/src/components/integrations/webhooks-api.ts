/** Webhook endpoints for the integrations page: one client for the three places they live, every answer guarded. */
import { type DeliveryView, WEBHOOK_EVENTS, type WebhookScope, type WebhookView } from '../../../../core/webhooks.ts';
import { api } from '../../lib/net/api.ts';
import { arrayOf, isNum, isNumOrNull, isRec, isStr } from '../../lib/net/guards.ts';

export { WEBHOOK_EVENTS, type WebhookScope };

/** An endpoint and a delivery as the API shows them (the shapes the owning object answers with). */
export type Webhook = WebhookView;
export type Delivery = DeliveryView;

const isStrOrNull = (v: unknown): v is string | null => v === null || isStr(v);
const isWebhook = (v: unknown): v is Webhook =>
  isRec(v) &&
  isStr(v.id) &&
  isStr(v.url) &&
  arrayOf(isStr)(v.events) &&
  typeof v.enabled === 'boolean' &&
  isNum(v.createdAt) &&
  isNum(v.failures) &&
  isStrOrNull(v.disabledReason) &&
  isNum(v.pending);
const isDelivery = (v: unknown): v is Delivery =>
  isRec(v) &&
  isStr(v.id) &&
  isStr(v.eventId) &&
  isStr(v.event) &&
  (v.status === 'pending' || v.status === 'delivered') &&
  isNum(v.attempts) &&
  isNum(v.createdAt) &&
  isNumOrNull(v.nextAttemptAt) &&
  isNumOrNull(v.lastStatus) &&
  isNumOrNull(v.latencyMs) &&
  isStrOrNull(v.excerpt);
const isList = (v: unknown): v is { webhooks: Webhook[] } => isRec(v) && arrayOf(isWebhook)(v.webhooks);
const isCreated = (v: unknown): v is { webhook: Webhook; secret: string } =>
  isRec(v) && isWebhook(v.webhook) && isStr(v.secret);
const isOne = (v: unknown): v is { webhook: Webhook } => isRec(v) && isWebhook(v.webhook);
const isSecret = (v: unknown): v is { secret: string } => isRec(v) && isStr(v.secret);
const isDeliveries = (v: unknown): v is { deliveries: Delivery[] } => isRec(v) && arrayOf(isDelivery)(v.deliveries);
const isQueued = (v: unknown): v is { delivery: Delivery } => isRec(v) && isDelivery(v.delivery);
const isNothing = (v: unknown): v is undefined => v === undefined;

/** Where one set of endpoints lives: a room's, the caller's sessions', or a floor's. */
export interface WebhookPlace {
  scope: WebhookScope;
  /** `/api/rooms/<id>`, `/api/sessions` or `/api/floors/<floor>`. */
  base: string;
}

const enc = encodeURIComponent;
export const roomPlace = (roomId: string): WebhookPlace => ({ scope: 'rooms', base: `/api/rooms/${enc(roomId)}` });
export const sessionPlace: WebhookPlace = { scope: 'sessions', base: '/api/sessions' };
export const floorPlace = (floor: string): WebhookPlace => ({ scope: 'floors', base: `/api/floors/${enc(floor)}` });

export const listWebhooks = (p: WebhookPlace) => api(`${p.base}/webhooks`, isList).then((a) => a.webhooks);
export const createWebhook = (p: WebhookPlace, url: string, events: string[]) =>
  api(`${p.base}/webhooks`, isCreated, { method: 'POST', body: { url, events } });
export const setEnabled = (p: WebhookPlace, id: string, enabled: boolean) =>
  api(`${p.base}/webhooks/${enc(id)}`, isOne, { method: 'PUT', body: { enabled } });
export const deleteWebhook = (p: WebhookPlace, id: string) =>
  api(`${p.base}/webhooks/${enc(id)}`, isNothing, { method: 'DELETE' });
export const rotateSecret = (p: WebhookPlace, id: string) =>
  api(`${p.base}/webhooks/${enc(id)}/rotate`, isSecret, { method: 'POST' }).then((a) => a.secret);
export const listDeliveries = (p: WebhookPlace, id: string) =>
  api(`${p.base}/webhooks/${enc(id)}/deliveries`, isDeliveries).then((a) => a.deliveries);
export const redeliver = (p: WebhookPlace, id: string, deliveryId: string) =>
  api(`${p.base}/webhooks/${enc(id)}/deliveries/${enc(deliveryId)}/redeliver`, isQueued, { method: 'POST' });
export const sendTest = (p: WebhookPlace, id: string) =>
  api(`${p.base}/webhooks/${enc(id)}/test`, isQueued, { method: 'POST' });

/** An instant in the reader's locale and zone, with seconds (deliveries come seconds apart). */
export function formatWhen(ms: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(ms);
}
