/**
 * Webhooks, the pure part: the event catalogue, the endpoint URL policy (SSRF), the retry schedule and the
 * request body. Signing (WebCrypto) and sending live with the owning object (durable-objects/platform/webhooks).
 */
import { z } from 'zod';

/** Every event an endpoint can subscribe to, by the capability whose object sends it. */
export const WEBHOOK_EVENTS = {
  rooms: [
    'timer.started',
    'timer.paused',
    'timer.warning',
    'timer.danger',
    'timer.finished',
    'message.shown',
    'message.cleared',
  ],
  sessions: ['session.started', 'session.paused', 'session.resumed', 'session.stopped'],
  floors: ['rack.claimed', 'rack.lease_lost', 'audit.completed', 'conflict.opened', 'conflict.resolved'],
} as const;
export type WebhookScope = keyof typeof WEBHOOK_EVENTS;
export type WebhookEventName = (typeof WEBHOOK_EVENTS)[WebhookScope][number];
/** Sent on demand (POST …/test), to one endpoint, whatever it subscribed to. */
export const TEST_EVENT = 'webhook.test';

/** At most this many endpoints per room, per user's sessions, per floor. */
export const MAX_WEBHOOKS = 20;
/** Undelivered events queued per endpoint; past it new events are dropped (and counted) until it catches up. */
export const MAX_PENDING = 1_000;
/** Delivery log rows kept per endpoint (the newest). */
export const LOG_KEPT = 200;
/** Consecutive failed attempts after which an endpoint is disabled (its queue is kept for when it is re-enabled). */
export const DISABLE_AFTER = 10;
/** Response text kept in the log. */
export const EXCERPT_CHARS = 300;
/** One attempt waits this long for the receiver. */
export const SEND_TIMEOUT_MS = 10_000;

export function webhookBody(scope: WebhookScope) {
  const known = `events must be a list of: ${WEBHOOK_EVENTS[scope].join(', ')}`;
  const events = z
    .array(z.enum(WEBHOOK_EVENTS[scope] as unknown as [string, ...string[]], { message: known }), { message: known })
    .min(1, 'choose at least one event')
    .max(WEBHOOK_EVENTS[scope].length)
    .transform((list) => [...new Set(list)]);
  const url = z.string().trim().min(1).max(2_000);
  return {
    create: z.strictObject({ url, events, enabled: z.boolean().optional() }),
    update: z
      .strictObject({ url: url.optional(), events: events.optional(), enabled: z.boolean().optional() })
      .refine((o) => Object.keys(o).length > 0, { message: 'nothing to update' }),
  };
}

/** An endpoint as the API shows it (never its secret). */
export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  createdAt: number;
  /** Consecutive failed attempts (reset by a success). */
  failures: number;
  /** Why the endpoint was disabled automatically, or null. */
  disabledReason: string | null;
  /** Deliveries waiting (including one being retried). */
  pending: number;
  /** Events not queued because the queue was full. */
  dropped: number;
}

export interface DeliveryView {
  id: string;
  /** The event id: the `webhook-id` header, the same on every retry and redelivery. */
  eventId: string;
  event: string;
  status: 'pending' | 'delivered';
  attempts: number;
  createdAt: number;
  nextAttemptAt: number | null;
  deliveredAt: number | null;
  /** The last attempt's HTTP status, or null if it got no answer. */
  lastStatus: number | null;
  lastError: string | null;
  latencyMs: number | null;
  /** The start of the last response body. */
  excerpt: string | null;
}

// ── URL policy ─────────────────────────────────────────────────────────────
export interface UrlPolicy {
  /** Local development and tests: http:// and loopback receivers are allowed. Production: never. */
  allowLoopback: boolean;
}

/**
 * Why `raw` may not be a webhook endpoint, or null when it may. Production takes only https URLs whose host is a
 * public name or a public IP literal: no loopback, private, link-local, CGNAT, multicast or reserved ranges, no
 * single-label or `.local`/`.internal`/`.localhost` names, and no credentials in the URL.
 */
export function refuseWebhookUrl(raw: string, policy: UrlPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url must be an absolute URL, such as https://example.com/hooks/keeptime';
  }
  if (url.username || url.password) return 'url must not carry a user name or password; put secrets in the path';
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const loopback = isLoopback(host);
  if (url.protocol !== 'https:' && !(policy.allowLoopback && url.protocol === 'http:' && loopback))
    return policy.allowLoopback
      ? 'url must use https (http is allowed only for a loopback receiver in development)'
      : 'url must use https';
  if (loopback) return policy.allowLoopback ? null : 'url must not point at this machine (loopback)';
  const v4 = parseIpv4(host);
  if (v4) return privateIpv4(v4) ? 'url must not point at a private, link-local or reserved address' : null;
  if (host.includes(':')) return privateIpv6(host) ? 'url must not point at a private or link-local address' : null;
  if (!host.includes('.'))
    return 'url must name a public host (a single-label name only resolves on a private network)';
  if (/\.(local|internal|localhost|lan|home|corp|intranet)$/.test(host))
    return 'url must name a public host, not a private-network name';
  return null;
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true;
  const v4 = parseIpv4(host);
  return v4 !== null && v4[0] === 127;
}

/** Dotted-quad IPv4 (the only form URL keeps after normalising decimal/hex/octal forms). */
function parseIpv4(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

function privateIpv4([a, b]: number[]): boolean {
  const x = a as number;
  const y = b as number;
  return (
    x === 0 ||
    x === 10 ||
    x === 127 ||
    (x === 100 && y >= 64 && y <= 127) ||
    (x === 169 && y === 254) ||
    (x === 172 && y >= 16 && y <= 31) ||
    (x === 192 && y === 168) ||
    (x === 192 && y === 0) ||
    (x === 198 && (y === 18 || y === 19)) ||
    x >= 224
  );
}

function privateIpv6(host: string): boolean {
  const h = host.toLowerCase();
  if (h === '::' || h === '::1') return true;
  // IPv4-mapped and -translated addresses: judge the IPv4 part.
  const mapped = /^::ffff:(?:0:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(h);
  if (mapped) {
    const hi = Number.parseInt(mapped[1] as string, 16);
    const lo = Number.parseInt(mapped[2] as string, 16);
    return privateIpv4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
  }
  if (/^::ffff:/.test(h)) return true;
  const first = Number.parseInt(h.split(':')[0] || '0', 16);
  if ((first & 0xfe00) === 0xfc00) return true; // unique local, fc00::/7
  if ((first & 0xffc0) === 0xfe80) return true; // link-local, fe80::/10
  if ((first & 0xff00) === 0xff00) return true; // multicast
  // Documentation, Teredo and NAT64 prefixes: never a webhook receiver's own address.
  return h.startsWith('2001:db8:') || h.startsWith('2001:0:') || h.startsWith('64:ff9b:');
}

// ── Retries ────────────────────────────────────────────────────────────────
/** Waits after the 1st, 2nd, … failed attempt: from seconds to hours (about 15 h in all before the tenth). */
const BACKOFF_MS = [10_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000];

/** The wait before the next attempt after `failures` consecutive failures, with ±20 % jitter from `random`. */
export function retryDelay(failures: number, random: number): number {
  const base = BACKOFF_MS[Math.min(BACKOFF_MS.length, Math.max(1, failures)) - 1] as number;
  return Math.round(base * (0.8 + 0.4 * Math.min(1, Math.max(0, random))));
}

/** A delivery's body: the Standard Webhooks shape `{type, timestamp, data}`. */
export interface WebhookPayload {
  type: string;
  /** ISO-8601: when the event happened. */
  timestamp: string;
  data: Record<string, unknown>;
}
