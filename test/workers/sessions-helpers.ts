/**
 * Builders for the live-session tests: HTTP commands as a user, the user's
 * UserSession stub, and a session socket (same queue-and-timeout client as
 * helpers.ts, opened on /api/sessions/ws).
 */
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import type { UserSession } from '../../worker/index.ts';
import { type Answer, BASE, type Closed, type ServerMessage, type Session, call, sleep } from './helpers.ts';

export const sessionStub = (userId: string) => env.USER_SESSION.get(env.USER_SESSION.idFromName(userId));

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

/** Waits (real time) until `instant` has passed, then runs the object's alarm; the real alarm may have beaten us to it. */
export async function alarmAfter(userId: string, instant: number): Promise<void> {
  const wait = instant - Date.now() + 5;
  if (wait > 0) await sleep(wait);
  await runDurableObjectAlarm(sessionStub(userId));
}

// ── Sockets ──────────────────────────────────────────────────────────────
export interface SessionSocket {
  ws: WebSocket;
  log: ServerMessage[];
  strays: unknown[];
  send(msg: unknown): void;
  next(type: string | string[], timeoutMs?: number, where?: (m: ServerMessage) => boolean): Promise<ServerMessage>;
  /** True if no message of `type` arrives within `ms` (already queued ones count). */
  quiet(type: string, ms: number): Promise<boolean>;
  closed(timeoutMs?: number): Promise<Closed>;
  close(): void;
}

export interface SessionSocketOptions {
  /** Session token as a Bearer header (default) or as ?token=. */
  auth?: string;
  token?: string;
  ticks?: boolean;
  /** Extra query parameters (e.g. a userId the route must ignore). */
  query?: Record<string, string>;
}

export async function tryOpenSessionSocket(opts: SessionSocketOptions = {}): Promise<{ socket: SessionSocket } | { status: number; body: any }> {
  const q = new URLSearchParams(opts.query);
  if (opts.token) q.set('token', opts.token);
  if (opts.ticks) q.set('ticks', '1');
  const headers: Record<string, string> = { Upgrade: 'websocket' };
  if (opts.auth) headers.Authorization = `Bearer ${opts.auth}`;
  const qs = q.toString();
  const res = await exports.default.fetch(new Request(`${BASE}/api/sessions/ws${qs ? `?${qs}` : ''}`, { headers }));
  if (res.status !== 101 || !res.webSocket) {
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep text
    }
    return { status: res.status, body };
  }
  return { socket: wrap(res.webSocket) };
}

/** Opens the user's session socket and consumes the SESSION_STATE every connection starts with. */
export async function openSessionSocket(opts: SessionSocketOptions): Promise<SessionSocket> {
  const r = await tryOpenSessionSocket(opts);
  if (!('socket' in r)) throw new Error(`socket refused: ${r.status} ${JSON.stringify(r.body)}`);
  const first = await r.socket.next('SESSION_STATE');
  expect(r.socket.log[0]).toBe(first);
  return r.socket;
}

function wrap(ws: WebSocket): SessionSocket {
  const log: ServerMessage[] = [];
  const queue: ServerMessage[] = [];
  const strays: unknown[] = [];
  const waiters = new Set<() => void>();
  let closeFrame: Closed | null = null;
  const wake = () => waiters.forEach((w) => w());

  ws.addEventListener('message', (e) => {
    let m: unknown = null;
    try {
      m = typeof e.data === 'string' ? JSON.parse(e.data) : null;
    } catch {
      // counted as a stray below
    }
    if (m && typeof m === 'object' && typeof (m as ServerMessage).type === 'string') {
      log.push(m as ServerMessage);
      queue.push(m as ServerMessage);
    } else strays.push(e.data);
    wake();
  });
  ws.addEventListener('close', (e) => {
    closeFrame = { code: e.code, reason: e.reason };
    wake();
  });
  ws.accept();

  function waitFor<T>(find: () => T | null, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const found = find();
      if (found !== null) return resolve(found);
      const check = () => {
        const f = find();
        if (f === null) return;
        done();
        resolve(f);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${JSON.stringify(log.map((m) => m.type))}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
    });
  }

  return {
    ws,
    log,
    strays,
    send(msg) {
      if (typeof msg === 'string' || msg instanceof ArrayBuffer || ArrayBuffer.isView(msg)) ws.send(msg as string | ArrayBuffer);
      else ws.send(JSON.stringify(msg));
    },
    next(type, timeoutMs = 2000, where) {
      const types = typeof type === 'string' ? [type] : type;
      return waitFor(
        () => {
          const i = queue.findIndex((m) => types.includes(m.type) && (!where || where(m)));
          return i < 0 ? null : (queue.splice(i, 1)[0] as ServerMessage);
        },
        timeoutMs,
        JSON.stringify(type),
      );
    },
    async quiet(type, ms) {
      await sleep(ms);
      return !queue.some((m) => m.type === type);
    },
    closed(timeoutMs = 2000) {
      return waitFor(() => closeFrame, timeoutMs, 'close');
    },
    close() {
      try {
        ws.close(1000, 'done');
      } catch {
        // already closed
      }
    },
  };
}
