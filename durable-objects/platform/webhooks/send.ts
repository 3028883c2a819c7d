/**
 * One delivery attempt, signed as the Standard Webhooks scheme defines: `webhook-id` (the event id, the same on
 * every retry), `webhook-timestamp` (Unix seconds of this attempt) and `webhook-signature`, a space-separated list of
 * `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per live secret (two while a rotation overlaps).
 */
import { EXCERPT_CHARS, SEND_TIMEOUT_MS } from '../../../core/webhooks.ts';
import type { DueDelivery, Outcome } from './store.ts';

const encoder = new TextEncoder();

/** The key bytes of a `whsec_<base64>` secret. */
function secretBytes(secret: string): Uint8Array {
  const b64 = secret.startsWith('whsec_') ? secret.slice(6) : secret;
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

export async function signature(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', secretBytes(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${id}.${timestamp}.${body}`));
  return `v1,${btoa(String.fromCharCode(...new Uint8Array(mac)))}`;
}

/** Sends `d`; never throws. 2xx is success; redirects are not followed (a receiver must answer where it said). */
export async function sendDelivery(d: DueDelivery, now: () => number, userAgent: string): Promise<Outcome> {
  const started = now();
  const timestamp = Math.floor(started / 1000);
  const signatures = await Promise.all(d.secrets.map((s) => signature(s, d.eventId, timestamp, d.body)));
  try {
    const res = await fetch(d.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': userAgent,
        'webhook-id': d.eventId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatures.join(' '),
      },
      body: d.body,
    });
    const text = await res.text().catch(() => '');
    return {
      ok: res.status >= 200 && res.status < 300,
      status: res.status,
      latencyMs: now() - started,
      excerpt: text.slice(0, EXCERPT_CHARS) || null,
      error: res.status >= 200 && res.status < 300 ? null : `HTTP ${res.status}`,
    };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return {
      ok: false,
      status: null,
      latencyMs: now() - started,
      excerpt: null,
      error: timedOut
        ? `no answer within ${SEND_TIMEOUT_MS / 1000} s`
        : `could not connect: ${String(err).slice(0, 200)}`,
    };
  }
}
