/**
 * Builders for the workerd tests: HTTP calls through the Worker's own fetch,
 * unique users and rooms, and a WebSocket client with a message queue whose
 * every wait has a timeout.
 */
import { exports } from 'cloudflare:workers';
import { expect } from 'vitest';

export const BASE = 'http://kt.test';
export const PASSWORD = 'correct-horse-1';

let seq = 0;
/** A name no other test (or earlier run sharing storage) uses. */
export const unique = (prefix = 'u'): string =>
  `${prefix}-${Date.now().toString(36)}-${(seq++).toString(36)}-${crypto.randomUUID().slice(0, 6)}`;

/** A fresh client address, so rate-limit buckets never leak between tests. */
export const freshIp = (): string => {
  const b = crypto.getRandomValues(new Uint8Array(3));
  return `10.${b[0]}.${b[1]}.${b[2]}`;
};

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ── HTTP ─────────────────────────────────────────────────────────────────
export interface CallOptions {
  method?: string;
  /** Serialised as JSON with Content-Type: application/json. */
  json?: unknown;
  /** Sent as is (no Content-Type unless `headers` has one). */
  raw?: string | Uint8Array;
  /** Session token, sent as a Bearer header. */
  auth?: string | null;
  headers?: Record<string, string>;
  /**
   * A body-less POST/PUT/DELETE gets `X-Keeptime: 1` (the CSRF guard's API-call header) unless this is true,
   * for tests of the guard itself.
   */
  bare?: boolean;
}

export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function call<T = any>(path: string, opts: CallOptions = {}): Promise<Answer<T>> {
  const headers = new Headers(opts.headers);
  if (opts.auth) headers.set('Authorization', `Bearer ${opts.auth}`);
  let body: BodyInit | undefined;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    if (!headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  } else if (opts.raw !== undefined) body = opts.raw;
  const method = opts.method ?? (body === undefined ? 'GET' : 'POST');
  if (!opts.bare && method !== 'GET' && !headers.has('Content-Type')) headers.set('X-Keeptime', '1');
  const res = await exports.default.fetch(new Request(`${BASE}${path}`, { method, headers, body }));
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Non-JSON bodies (e.g. 204) stay text.
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** Asserts an error answer has the documented shape, status and code. */
export function expectError(a: Answer, status: number, code?: string): void {
  expect({ status: a.status, body: a.body }, JSON.stringify(a.body)).toMatchObject({
    status,
    body: { error: { ...(code ? { code } : {}), message: expect.any(String) } },
  });
}

// ── Users and rooms ──────────────────────────────────────────────────────
export interface Session {
  user: { id: string; email: string; name: string; role: 'admin' | 'member' };
  token: string;
  email: string;
  password: string;
}

export async function signup(opts: { email?: string; name?: string; password?: string } = {}): Promise<Session> {
  const email = opts.email ?? `${unique('user')}@keeptime.test`;
  const password = opts.password ?? PASSWORD;
  const a = await call('/api/auth/signup', {
    json: { email, password, name: opts.name ?? 'Test User' },
    headers: { 'CF-Connecting-IP': freshIp() },
  });
  expect(a.status, JSON.stringify(a.body)).toBe(201);
  return { ...a.body, email, password };
}

export async function login(email: string, password: string): Promise<Answer> {
  return call('/api/auth/login', { json: { email, password }, headers: { 'CF-Connecting-IP': freshIp() } });
}

/** The seeded admin: signs it up, or logs in when an earlier test file already did. */
export async function adminSession(): Promise<Session> {
  const email = 'admin@keeptime.test';
  const password = 'keeptime-demo';
  const a = await call('/api/auth/signup', {
    json: { email, password, name: 'Admin' },
    headers: { 'CF-Connecting-IP': freshIp() },
  });
  const b = a.status === 201 ? a : await login(email, password);
  expect(b.status, JSON.stringify(b.body)).toBeLessThan(300);
  expect(b.body.user.role).toBe('admin');
  return { ...b.body, email, password };
}

export interface RoomHandle {
  id: string;
  room: { id: string; name: string; ownerId: string };
  links: { viewer: string; controller: string };
  owner: Session;
}

export async function createRoom(owner: Session, name = unique('room')): Promise<RoomHandle> {
  const a = await call('/api/rooms', { json: { name }, auth: owner.token });
  expect(a.status, JSON.stringify(a.body)).toBe(201);
  return { id: a.body.room.id, room: a.body.room, links: a.body.links, owner };
}

export interface TimerFields {
  label?: string;
  durationMs?: number;
  mode?: 'countdown' | 'countup' | 'time-of-day';
  trigger?: 'manual' | 'linked' | 'scheduled';
  [k: string]: unknown;
}

export async function createTimer(room: RoomHandle, fields: TimerFields = {}): Promise<any> {
  const a = await call(`/api/rooms/${room.id}/timers`, {
    json: { label: 'Timer', durationMs: 60_000, ...fields },
    auth: room.owner.token,
  });
  expect(a.status, JSON.stringify(a.body)).toBe(201);
  return a.body.timer;
}

/** Runs a control action as the owner and expects it to succeed. */
export async function ownerDoes(room: RoomHandle, path: string, json?: unknown, method = 'POST'): Promise<Answer> {
  const a = await call(`/api/rooms/${room.id}${path}`, {
    method,
    auth: room.owner.token,
    ...(json !== undefined ? { json } : {}),
  });
  expect(a.status, `${method} ${path}: ${JSON.stringify(a.body)}`).toBeLessThan(300);
  return a;
}

/** The owner's view of the room. */
export async function snapshot(room: RoomHandle): Promise<any> {
  const a = await call(`/api/rooms/${room.id}`, { auth: room.owner.token });
  expect(a.status, JSON.stringify(a.body)).toBe(200);
  return a.body;
}

/** The parts of a snapshot that only commands may change (no clock readings). */
export async function durableView(
  room: RoomHandle,
): Promise<{ version: number; room: unknown; timers: unknown; message: unknown }> {
  const s = await snapshot(room);
  return { version: s.version, room: s.room, timers: s.timers, message: s.message };
}

export { roomStub } from './stubs.ts';

// ── WebSockets ───────────────────────────────────────────────────────────
export interface ServerMessage {
  type: string;
  version: number;
  serverTime: number;
  [k: string]: any;
}

export interface Closed {
  code: number;
  reason: string;
}

export interface TestSocket {
  ws: WebSocket;
  /** Every message received so far, in order (consumed or not). */
  log: ServerMessage[];
  /** Raw frames that were not JSON objects (should never happen). */
  strays: unknown[];
  send(msg: unknown): void;
  /** The next unconsumed message of `type` (or one of several types, and matching `where`), waiting at most `timeoutMs`. */
  next(type: string | string[], timeoutMs?: number, where?: (m: ServerMessage) => boolean): Promise<ServerMessage>;
  /** Resolves true if no message of `type` arrives within `ms` (already queued ones count). */
  quiet(type: string, ms: number): Promise<boolean>;
  /** Resolves with the close frame, or rejects after `timeoutMs`. */
  closed(timeoutMs?: number): Promise<Closed>;
  close(): void;
}

export interface SocketOptions {
  token?: string;
  /** A session token sent as a Bearer header. */
  auth?: string;
  ticks?: boolean;
}

export function wsPath(roomIdOrToken: string, opts: SocketOptions = {}): string {
  const q = new URLSearchParams();
  if (opts.token) q.set('token', opts.token);
  if (opts.ticks) q.set('ticks', '1');
  const qs = q.toString();
  return `/api/rooms/${roomIdOrToken}/ws${qs ? `?${qs}` : ''}`;
}

/** An opened socket, or the refusal's status and (JSON, else text) body. */
export type Opened = { socket: TestSocket } | { status: number; body: any };

/** Opens a WebSocket on `path` through the Worker (a session token as a Bearer header): the one socket opener. */
export async function tryOpenWs(
  path: string,
  opts: { auth?: string; headers?: Record<string, string> } = {},
): Promise<Opened> {
  const headers: Record<string, string> = { ...opts.headers, Upgrade: 'websocket' };
  if (opts.auth) headers.Authorization = `Bearer ${opts.auth}`;
  const res = await exports.default.fetch(new Request(`${BASE}${path}`, { headers }));
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
  return { socket: wrapSocket(res.webSocket) };
}

/** Tries to open a room socket: the socket on 101, or the refusal. */
export function tryOpenSocket(roomId: string, opts: SocketOptions = {}): Promise<Opened> {
  return tryOpenWs(wsPath(roomId, opts), opts.auth ? { auth: opts.auth } : {});
}

export async function openSocket(roomId: string, opts: SocketOptions = {}): Promise<TestSocket> {
  const r = await tryOpenSocket(roomId, opts);
  if (!('socket' in r)) throw new Error(`socket refused: ${r.status} ${JSON.stringify(r.body)}`);
  // Every connection starts with the room's state, then the new head count.
  await r.socket.next('room-state');
  await r.socket.next('user-count');
  return r.socket;
}

/** Wraps an accepted-on-our-side WebSocket with a message queue and waiters (shared by every socket helper). */
export function wrapSocket(ws: WebSocket): TestSocket {
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
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${what}; got ${JSON.stringify(log.map((m) => m.type))}`,
          ),
        );
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
      if (typeof msg === 'string' || msg instanceof ArrayBuffer) ws.send(msg);
      else if (ArrayBuffer.isView(msg)) ws.send(msg);
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
