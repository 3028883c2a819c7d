/**
 * Builders for the live-session tests: HTTP commands as a user, the user's
 * UserSession stub, and a session socket (same queue-and-timeout client as
 * helpers.ts, opened on /api/sessions/ws).
 */
import { runInDurableObject } from 'cloudflare:test';
import { expect } from 'vitest';
import type { UserSession } from '../../worker/index.ts';
import { type Answer, type Opened, type Session, type TestSocket, call, tryOpenWs } from './workers.ts';
import { sessionStub } from './stubs.ts';
import { alarmAt } from './clock.ts';

export { sessionStub } from './stubs.ts';

export type Verb = 'start' | 'pause' | 'resume' | 'stop';

/** POST /api/sessions/:verb as `who`. */
export function act(who: Session, verb: Verb, opts: { json?: unknown; key?: string } = {}): Promise<Answer> {
  return call(`/api/sessions/${verb}`, {
    method: 'POST',
    auth: who.token,
    ...(opts.json !== undefined ? { json: opts.json } : {}),
    ...(opts.key ? { headers: { 'Idempotency-Key': opts.key } } : {}),
  });
}

/** Runs a command and expects it to succeed; returns the event message. */
export async function does(who: Session, verb: Verb, json?: unknown): Promise<any> {
  const a = await act(who, verb, json === undefined ? {} : { json });
  expect(a.status, `${verb}: ${JSON.stringify(a.body)}`).toBe(verb === 'start' ? 201 : 200);
  return a.body;
}

/** GET /api/sessions/current as `who`. */
export async function current(who: Session): Promise<any> {
  const a = await call('/api/sessions/current', { auth: who.token });
  expect(a.status, JSON.stringify(a.body)).toBe(200);
  return a.body;
}

/** The parts of the state that only commands change (no clock readings). */
export async function durableState(who: Session): Promise<unknown> {
  const { serverTime: _s, elapsedTime: _e, pausedTime: _p, last, ...rest } = await current(who);
  return { ...rest, last: last ? { ...last, serverTime: undefined } : last };
}

/** Sets the auto-stop limit new sessions get on the live instance, as SESSION_MAX_MS would. */
export function setSessionLimit(userId: string, maxMs: number): Promise<void> {
  return runInDurableObject(sessionStub(userId), (instance: UserSession) => {
    (instance as unknown as { maxMs: number }).maxMs = maxMs;
  });
}

/** Moves the object's clock to `instant`, then runs its alarm; the real alarm may have beaten us to it. */
export async function alarmAfter(userId: string, instant: number): Promise<void> {
  await alarmAt(sessionStub(userId), instant);
}

// ── Sockets ──────────────────────────────────────────────────────────────
/** A session socket is the same queue-and-wait wrapper as a room socket. */
export type SessionSocket = TestSocket;

export interface SessionSocketOptions {
  /** Session token as a Bearer header (default) or as ?token=. */
  auth?: string;
  token?: string;
  ticks?: boolean;
  /** Extra query parameters (e.g. a userId the route must ignore). */
  query?: Record<string, string>;
}

export function tryOpenSessionSocket(opts: SessionSocketOptions = {}): Promise<Opened> {
  const q = new URLSearchParams(opts.query);
  if (opts.token) q.set('token', opts.token);
  if (opts.ticks) q.set('ticks', '1');
  const qs = q.toString();
  return tryOpenWs(`/api/sessions/ws${qs ? `?${qs}` : ''}`, opts.auth ? { auth: opts.auth } : {});
}

/** Opens the user's session socket and consumes the SESSION_STATE every connection starts with. */
export async function openSessionSocket(opts: SessionSocketOptions): Promise<SessionSocket> {
  const r = await tryOpenSessionSocket(opts);
  if (!('socket' in r)) throw new Error(`socket refused: ${r.status} ${JSON.stringify(r.body)}`);
  const first = await r.socket.next('SESSION_STATE');
  expect(r.socket.log[0]).toBe(first);
  return r.socket;
}
