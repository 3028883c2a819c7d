/**
 * The fuzzer's plumbing: one request through the Worker's own fetch, the
 * verdict on its answer (never 5xx; every refusal a 4xx with the documented
 * error shape), counters, a bounded-concurrency runner and hostile tokens.
 */
import { env, exports } from 'cloudflare:workers';
import { sign } from 'hono/jwt';
import { DEV_JWT_SECRET } from '../../../durable-objects/platform/env.ts';
import { BASE, type Session } from '../../support/workers.ts';

export interface Probe {
  /** What was sent, for failure reports. */
  label: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: BodyInit;
}

export interface Outcome {
  status: number;
  contentType: string;
  body: unknown;
}

/** Sends one probe; the body is read fully (a 101 keeps its socket, which is closed at once). */
export async function send(p: Probe): Promise<Outcome> {
  const headers = new Headers(p.headers ?? {});
  // Probes reach the routes: a body-less write declares itself an API call (the CSRF guard's header).
  if (p.method !== 'GET' && !headers.has('Content-Type') && !headers.has('X-Keeptime')) headers.set('X-Keeptime', '1');
  const init: RequestInit = { method: p.method, headers };
  if (p.body !== undefined) init.body = p.body;
  const res = await exports.default.fetch(new Request(`${BASE}${p.path}`, init));
  if (res.status === 101) {
    res.webSocket?.accept();
    res.webSocket?.close(1000, 'fuzz');
    return { status: 101, contentType: '', body: null };
  }
  // An event stream never ends: its status and type are the answer.
  if (res.headers.get('Content-Type')?.startsWith('text/event-stream')) {
    await res.body?.cancel();
    return { status: res.status, contentType: res.headers.get('Content-Type') ?? '', body: null };
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: judged below.
  }
  return { status: res.status, contentType: res.headers.get('Content-Type') ?? '', body };
}

/** Why an answer breaks the contract, or null when it keeps it. */
export function contractBreach(o: Outcome): string | null {
  if (o.status >= 500) return `status ${o.status}`;
  if (o.status < 400) return null;
  if (!o.contentType.includes('application/json')) return `${o.status} with Content-Type ${o.contentType || 'none'}`;
  const err = (o.body as { error?: Record<string, unknown> } | null)?.error;
  if (
    !err ||
    typeof err.code !== 'string' ||
    !/^[a-z][a-z0-9_]*$/.test(err.code) ||
    typeof err.message !== 'string' ||
    err.message.length === 0
  )
    return `${o.status} without {error:{code,message}}`;
  const extra = Object.keys(err).filter((k) => !['code', 'message', 'details'].includes(k));
  if (extra.length) return `${o.status} error with extra keys ${extra.join(',')}`;
  return null;
}

/** Counts inputs and answers, and keeps the first few failures of each kind. */
export class Tally {
  total = 0;
  readonly statuses = new Map<number, number>();
  readonly failures: string[] = [];
  private failureCount = 0;

  /** Records an answer; `mustRefuse` makes any status below 400 a failure. */
  judge(p: Probe, o: Outcome, mustRefuse: boolean): void {
    this.total++;
    this.statuses.set(o.status, (this.statuses.get(o.status) ?? 0) + 1);
    const breach = contractBreach(o) ?? (mustRefuse && o.status < 400 ? `accepted (${o.status})` : null);
    if (breach)
      this.fail(`${p.label}: ${p.method} ${p.path.slice(0, 160)} → ${breach} ${JSON.stringify(o.body)?.slice(0, 200)}`);
  }

  count(n = 1): void {
    this.total += n;
  }

  fail(message: string): void {
    this.failureCount++;
    if (this.failures.length < 25) this.failures.push(message);
  }

  get failed(): number {
    return this.failureCount;
  }

  summary(): string {
    const statuses = [...this.statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
    return `${this.total} inputs, ${this.failureCount} failures; statuses ${statuses}`;
  }
}

/** Runs `work` over `items` with at most `concurrency` in flight. */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T);
  });
  await Promise.all(lanes);
}

/** Sends every probe (bounded concurrency) and judges it. */
export async function fire(
  tally: Tally,
  probes: readonly Probe[],
  mustRefuse: boolean,
  concurrency = 24,
): Promise<void> {
  await pool(probes, concurrency, async (p) => tally.judge(p, await send(p), mustRefuse));
}

// ── Hostile credentials ───────────────────────────────────────────────────
const b64url = (s: string) => btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
export const jwtSecret = (): string => (env as { JWT_SECRET?: string }).JWT_SECRET ?? DEV_JWT_SECRET;

/**
 * Session tokens that must all be refused: garbage, forged (wrong secret),
 * expired or not yet valid (right secret), alg "none", a tampered payload that
 * claims admin, and claims the app does not issue.
 */
export async function hostileTokens(victim: Session): Promise<Record<string, string>> {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    sub: victim.user.id,
    email: victim.user.email,
    name: victim.user.name,
    role: victim.user.role,
    iat: now,
    exp: now + 3600,
  };
  const [head, , sig] = victim.token.split('.') as [string, string, string];
  const adminClaims = b64url(JSON.stringify({ ...claims, role: 'admin' }));
  return {
    garbage: 'not-a-token',
    empty: '',
    'three dots': 'eyJ.eyJ.x',
    forged: await sign({ ...claims, role: 'admin' }, 'an-attacker-secret-that-is-long-enough!', 'HS256'),
    expired: await sign({ ...claims, iat: now - 7200, exp: now - 3600 }, jwtSecret(), 'HS256'),
    'not yet valid': await sign({ ...claims, nbf: now + 3600 }, jwtSecret(), 'HS256'),
    'alg none': `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${adminClaims}.`,
    'alg none signed': `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${adminClaims}.${sig}`,
    tampered: `${head}.${adminClaims}.${sig}`,
    'unknown role': await sign({ ...claims, role: 'root' }, jwtSecret(), 'HS256'),
    'no subject': await sign(
      { email: claims.email, name: claims.name, role: 'admin', exp: claims.exp },
      jwtSecret(),
      'HS256',
    ),
    'huge token': `eyJ${'A'.repeat(6000)}.eyJ${'B'.repeat(6000)}.${'C'.repeat(100)}`,
  };
}

/** The ways a token can be presented: header, cookie, query (the path is the caller's). */
export function presentations(token: string): { headers: Record<string, string>; query: string }[] {
  return [
    { headers: { Authorization: `Bearer ${token}` }, query: '' },
    { headers: { Cookie: `kt_session=${token}` }, query: '' },
    { headers: {}, query: `token=${encodeURIComponent(token)}` },
    { headers: { Authorization: `Basic ${token}` }, query: '' },
  ];
}
