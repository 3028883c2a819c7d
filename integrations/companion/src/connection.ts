/**
 * One room's live connection: a WebSocket that reconnects with full-jitter backoff, estimates the server clock
 * with ping/pong (core/clock-sync.ts, the viewer's estimator), applies messages in version order and asks for a
 * snapshot on a gap, and sends commands (over the socket when it is open, else over HTTP with the same id as the
 * Idempotency-Key). Idle, it sends only a keepalive every 30 s (answered by the runtime without waking the room)
 * and a clock ping every 5 minutes; it never polls.
 */
import { type ClientClocks, ServerClock } from '../../../core/clock-sync.ts';
import type { RoomClientCommand } from '../../../core/protocol.ts';
import type { RoomServerMessage } from '../../../core/rooms/wire.ts';
import type { Target } from './config.ts';
import { type RoomView, applyMessage, emptyView } from './state.ts';

export type ConnectionStatus = 'connecting' | 'ok' | 'disconnected' | 'bad_config';

export type CommandResult = { ok: true; version: number } | { ok: false; code: string; message: string };

export interface ConnectionOptions {
  /** Name shown in the room's devices list. */
  device: string;
  keepaliveMs: number;
  /** A socket that has heard nothing for this long after a keepalive is taken for dead. */
  deadAfterMs: number;
  /** Clock pings after the first burst. */
  pingEveryMs: number;
  burst: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  commandTimeoutMs: number;
  /** A socket that has not delivered the room's state this long after it was created is given up and retried. */
  openTimeoutMs: number;
}

const DEFAULTS: ConnectionOptions = {
  device: 'Companion',
  keepaliveMs: 30_000,
  deadAfterMs: 10_000,
  pingEveryMs: 5 * 60_000,
  burst: 4,
  backoffBaseMs: 500,
  backoffCapMs: 30_000,
  commandTimeoutMs: 5_000,
  openTimeoutMs: 15_000,
};

/** Close codes after which reconnecting cannot help (a rotated link, a deleted room, a refused token). */
const FINAL_CLOSE = new Set([4001, 4404, 4401, 4403]);

export interface ConnectionIO {
  fetch: typeof fetch;
  WebSocket: typeof WebSocket;
  clocks: ClientClocks;
  random: () => number;
}

export const nodeIO = (): ConnectionIO => ({
  fetch: (...a) => fetch(...a),
  WebSocket: globalThis.WebSocket,
  clocks: { mono: () => performance.timeOrigin + performance.now(), wall: () => Date.now() },
  random: Math.random,
});

export interface ConnectionEvents {
  view(view: RoomView): void;
  status(status: ConnectionStatus, message: string | null): void;
  log?(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
}

/** Traffic counters: what the idle-cost figure is made of. */
export interface Traffic {
  httpRequests: number;
  framesOut: number;
  framesIn: number;
  connects: number;
}

/** Full-jitter backoff: uniformly random in [0, min(cap, base·2^attempt)], at least 100 ms. */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 20));
  return Math.max(100, Math.round(random() * ceiling));
}

interface Pending {
  command: RoomClientCommand;
  resolve: (r: CommandResult) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class RoomConnection {
  readonly clock: ServerClock;
  readonly traffic: Traffic = { httpRequests: 0, framesOut: 0, framesIn: 0, connects: 0 };
  private view: RoomView = emptyView();
  private readonly opts: ConnectionOptions;
  private ws: WebSocket | null = null;
  private stopped = true;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private keepaliveTimer: ReturnType<typeof setInterval> | null = null;
  private deadTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setTimeout> | null = null;
  private syncAsked = false;
  private currentStatus: ConnectionStatus = 'disconnected';
  private readonly pending = new Map<string, Pending>();
  private readonly fetchCounted: typeof fetch;

  constructor(
    readonly target: Target,
    private readonly io: ConnectionIO,
    private readonly events: ConnectionEvents,
    opts: Partial<ConnectionOptions> = {},
  ) {
    this.opts = { ...DEFAULTS, ...opts };
    this.clock = new ServerClock(io.clocks);
    this.fetchCounted = (input, init) => {
      this.traffic.httpRequests++;
      return io.fetch(input, init);
    };
  }

  get state(): RoomView {
    return this.view;
  }

  get status(): ConnectionStatus {
    return this.currentStatus;
  }

  /** Estimated server time now. */
  serverNow(): number {
    return this.clock.now();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000, 'stopped');
    for (const id of [...this.pending.keys()])
      this.settle(id, { ok: false, code: 'stopped', message: 'Connection stopped' });
  }

  /** Drops the socket as a network failure would (it then reconnects): for tests and a manual "reconnect". */
  drop(): void {
    this.ws?.close(4000, 'dropped');
  }

  /** Runs a command: over the socket when it is open, else over HTTP. The id is the idempotency key either way. */
  command(command: RoomClientCommand): Promise<CommandResult> {
    const id = `kt-companion-${crypto.randomUUID()}`;
    if (this.currentStatus !== 'ok' || !this.ws) return this.commandOverHttp(id, command);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        // No answer in time: the HTTP retry with the same id is applied at most once.
        this.pending.delete(id);
        void this.commandOverHttp(id, command).then(resolve);
      }, this.opts.commandTimeoutMs);
      this.pending.set(id, { command, resolve, timer });
      this.send({ type: 'command', id, command });
    });
  }

  // ── Socket ───────────────────────────────────────────────────────────────
  private wsUrl(): string {
    const u = new URL(`/api/rooms/${this.target.roomId}/ws`, this.target.base);
    u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
    u.searchParams.set('token', this.target.auth.token);
    u.searchParams.set('device', this.opts.device);
    return u.toString();
  }

  private setStatus(s: ConnectionStatus, message: string | null = null): void {
    if (s === this.currentStatus && s !== 'bad_config') return;
    this.currentStatus = s;
    this.events.status(s, message);
  }

  /** True once this socket delivered its room-state. */
  private get synced(): boolean {
    return this.currentStatus === 'ok';
  }

  private open(): void {
    if (this.stopped) return;
    this.setStatus('connecting');
    let ws: WebSocket;
    try {
      ws = new this.io.WebSocket(this.wsUrl());
    } catch (e) {
      this.setStatus('bad_config', `Cannot open the socket: ${(e as Error).message}`);
      return;
    }
    this.ws = ws;
    this.traffic.connects++;
    let opened = false;
    // Node's WebSocket reports a refused connection with 'error' alone (no 'close'), and a half-started server can
    // leave the handshake hanging: whichever of close, error-before-open or the open timeout comes first ends it.
    const end = (code: number) => {
      if (this.ws !== ws) return;
      this.ws = null;
      clearTimeout(openTimer);
      this.clearTimers();
      if (ws.readyState === ws.CONNECTING || ws.readyState === ws.OPEN) ws.close();
      void this.closed(opened, code);
    };
    const openTimer = setTimeout(() => {
      if (!this.synced) end(0);
    }, this.opts.openTimeoutMs);
    ws.addEventListener('open', () => {
      if (this.ws !== ws) return;
      opened = true;
      this.syncAsked = false;
      this.startTimers();
    });
    ws.addEventListener('message', (ev) => {
      if (this.ws !== ws) return;
      this.traffic.framesIn++;
      this.heard();
      this.onFrame(typeof ev.data === 'string' ? ev.data : '');
      if (this.synced) clearTimeout(openTimer);
    });
    ws.addEventListener('close', (ev) => {
      if (this.ws === ws) this.events.log?.('debug', `Keeptime: socket closed (${ev.code})`);
      end(ev.code);
    });
    ws.addEventListener('error', () => {
      if (!opened) end(0);
    });
  }

  private async closed(opened: boolean, code: number): Promise<void> {
    // Commands sent but unanswered go over HTTP with the same id: the room applies each at most once.
    for (const [id, p] of [...this.pending]) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      void this.commandOverHttp(id, p.command).then(p.resolve);
    }
    if (this.stopped) return;
    if (FINAL_CLOSE.has(code) || !opened) {
      // Learn why over HTTP (a socket's refused upgrade has no readable status).
      const why = await this.probe();
      if (this.stopped) return;
      if (why) {
        this.setStatus('bad_config', why);
        this.events.log?.('warn', `Keeptime: ${why}; not reconnecting until the configuration changes`);
        return;
      }
    }
    this.setStatus('disconnected', code ? `closed (${code})` : null);
    const delay = backoffDelay(this.attempt++, this.opts.backoffBaseMs, this.opts.backoffCapMs, this.io.random);
    this.events.log?.('debug', `Keeptime: reconnecting in ${delay} ms`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.open();
    }, delay);
  }

  /** Why the room refuses us, if it does (401/403/404); null when the failure looks like the network's. */
  private async probe(): Promise<string | null> {
    try {
      const res = await this.http('GET', `/api/rooms/${this.target.roomId}`);
      if (res.status === 401 || res.status === 403) return 'The room refused the link or token (rotated or revoked?)';
      if (res.status === 404) return 'The room was not found (deleted?)';
      return null;
    } catch {
      return null;
    }
  }

  private send(msg: object | string): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== ws.OPEN) return false;
    ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
    this.traffic.framesOut++;
    return true;
  }

  private onFrame(raw: string): void {
    let m: RoomServerMessage;
    try {
      m = JSON.parse(raw) as RoomServerMessage;
    } catch {
      return;
    }
    if (!m || typeof m !== 'object' || typeof (m as { type?: unknown }).type !== 'string') return;
    if ((m as { type: string }).type === 'keepalive') return;
    switch (m.type) {
      case 'pong':
        this.clock.pong(m.t0, m.serverTime);
        break;
      case 'ack':
        this.settle(m.id, { ok: true, version: m.version });
        break;
      case 'error':
        if (m.id) this.settle(m.id, { ok: false, code: m.code, message: m.message });
        else this.events.log?.('warn', `Keeptime: ${m.code}: ${m.message}`);
        break;
      case 'room-state':
        if (!Array.isArray(m.timers) || !m.room) return;
        this.clock.seed(m.serverTime);
        break;
    }
    const r = applyMessage(this.view, m);
    if (m.type === 'room-state') {
      this.syncAsked = false;
      this.attempt = 0;
      this.setStatus('ok');
    }
    if (r.sync && !this.syncAsked) this.syncAsked = this.send({ type: 'request-sync' });
    if (r.changed) {
      this.view = r.view;
      this.events.view(this.view);
    }
  }

  private settle(id: string, r: CommandResult): void {
    const p = this.pending.get(id);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(id);
    p.resolve(r);
  }

  // ── Timers: clock pings and keepalive ────────────────────────────────────
  private startTimers(): void {
    let sent = 0;
    const ping = () => {
      const est = this.clock.wallEstimate();
      const extra = est
        ? { offset: Math.round(est.offsetMs), rtt: Math.round(est.rttMs), spread: Math.round(est.spreadMs) }
        : {};
      this.send({ type: 'ping', t0: this.clock.stamp(), ...extra });
      sent++;
      this.pingTimer = setTimeout(ping, sent < this.opts.burst ? 250 : this.opts.pingEveryMs);
    };
    ping();
    this.keepaliveTimer = setInterval(() => {
      if (!this.send('{"type":"keepalive"}')) return;
      if (!this.deadTimer)
        this.deadTimer = setTimeout(() => {
          this.events.log?.('warn', 'Keeptime: no answer to the keepalive; reconnecting');
          this.drop();
        }, this.opts.deadAfterMs);
    }, this.opts.keepaliveMs);
  }

  private heard(): void {
    if (this.deadTimer) clearTimeout(this.deadTimer);
    this.deadTimer = null;
  }

  private clearTimers(): void {
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    if (this.pingTimer) clearTimeout(this.pingTimer);
    this.heard();
    this.keepaliveTimer = null;
    this.pingTimer = null;
  }

  // ── HTTP ─────────────────────────────────────────────────────────────────
  private http(method: string, path: string, body?: unknown, key?: string): Promise<Response> {
    const headers: Record<string, string> = { 'X-Keeptime': '1', Accept: 'application/json' };
    if (this.target.auth.kind === 'token') headers.Authorization = `Bearer ${this.target.auth.token}`;
    else headers['X-Room-Token'] = this.target.auth.token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (key) headers['Idempotency-Key'] = key;
    return this.fetchCounted(new URL(path, this.target.base), {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
  }

  private async commandOverHttp(id: string, c: RoomClientCommand): Promise<CommandResult> {
    const route = httpRoute(this.target.roomId, c, this.view);
    if (!route) return { ok: false, code: 'no_timer', message: 'The room has no timer to act on' };
    try {
      const res = await this.http(route.method, route.path, route.body, id);
      const json = (await res.json().catch(() => ({}))) as {
        version?: number;
        error?: { code?: string; message?: string };
      };
      if (res.ok) return { ok: true, version: json.version ?? this.view.version };
      return {
        ok: false,
        code: json.error?.code ?? `http_${res.status}`,
        message: json.error?.message ?? res.statusText,
      };
    } catch (e) {
      return { ok: false, code: 'network', message: (e as Error).message };
    }
  }
}

/** The HTTP route for a socket command (docs/api.md, Room routes); timer commands default to the active timer. */
export function httpRoute(
  roomId: string,
  c: RoomClientCommand,
  view: RoomView,
): { method: string; path: string; body?: unknown } | null {
  const room = `/api/rooms/${roomId}`;
  const activeId = () => view.room?.activeTimerId ?? view.timers[0]?.id ?? null;
  const timerPath = (timerId: string | undefined, verb: string) => {
    const id = timerId ?? activeId();
    return id ? `${room}/timers/${encodeURIComponent(id)}/${verb}` : null;
  };
  switch (c.type) {
    case 'start':
    case 'pause':
    case 'resume':
    case 'reset': {
      const path = timerPath(c.timerId, c.type);
      return path ? { method: 'POST', path } : null;
    }
    case 'adjust': {
      const path = timerPath(c.timerId, 'adjust');
      return path ? { method: 'POST', path, body: { deltaMs: c.deltaMs } } : null;
    }
    case 'select':
      return { method: 'POST', path: `${room}/timers/${encodeURIComponent(c.timerId)}/select` };
    case 'next':
    case 'previous':
      return { method: 'POST', path: `${room}/${c.type}` };
    case 'set-message': {
      const { type: _t, ...body } = c;
      return { method: 'POST', path: `${room}/message`, body };
    }
    case 'clear-message':
      return { method: 'DELETE', path: `${room}/message` };
    default:
      return null;
  }
}
