/**
 * A WebSocket that reconnects: exponential backoff with full jitter, a
 * keepalive the server answers without waking, and an observable status.
 * Some close codes are final (the link was rotated, the room was deleted).
 */
import { CLOSE } from '../../../../core/errors.ts';
import { monoNow } from '../clock/mono.ts';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'closed';

export interface SocketState {
  status: ConnectionStatus;
  /** Why the socket closed for good (status 'closed'). */
  closeCode: number | null;
  /** Failed attempts since the last healthy connection. */
  attempts: number;
}

export interface SocketOptions {
  url: () => string;
  onMessage: (data: string) => void;
  onOpen?: () => void;
  /**
   * Asked when a connection fails before opening (an HTTP refusal looks like
   * 1006 to a browser): return a close code to stop for good, or null to retry.
   */
  probe?: () => Promise<number | null>;
  /** Close codes that end reconnection. */
  finalCodes?: number[];
  baseMs?: number;
  capMs?: number;
  keepaliveMs?: number;
  /** Failed attempts after which the status reads 'offline' rather than 'reconnecting'. */
  offlineAfter?: number;
}

export const KEEPALIVE = '{"type":"keepalive"}';

/** Full jitter: a uniform delay in [0, min(cap, base·2^attempt)). */
export const backoffDelay = (attempt: number, baseMs: number, capMs: number, random = Math.random): number =>
  random() * Math.min(capMs, baseMs * 2 ** attempt);

export class ReconnectingSocket {
  private ws: WebSocket | null = null;
  private state: SocketState = { status: 'connecting', closeCode: null, attempts: 0 };
  private listeners = new Set<(s: SocketState) => void>();
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private keepaliveTimer: ReturnType<typeof setInterval> | null = null;
  /** When the socket last heard anything, on the monotonic clock: a device clock set forward must not kill it. */
  private lastRx = 0;
  private stopped = true;
  private readonly o: Required<Omit<SocketOptions, 'probe' | 'onOpen'>> & Pick<SocketOptions, 'probe' | 'onOpen'>;

  constructor(opts: SocketOptions) {
    this.o = {
      finalCodes: [CLOSE.rotated, CLOSE.deleted],
      baseMs: 500,
      capMs: 15_000,
      keepaliveMs: 25_000,
      offlineAfter: 5,
      ...opts,
    };
  }

  get current(): SocketState {
    return this.state;
  }

  subscribe(fn: (s: SocketState) => void): () => void {
    this.listeners.add(fn);
    fn(this.state);
    return () => this.listeners.delete(fn);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    addEventListener('online', this.wake);
    addEventListener('offline', this.onOffline);
    document.addEventListener('visibilitychange', this.wake);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    removeEventListener('online', this.wake);
    removeEventListener('offline', this.onOffline);
    document.removeEventListener('visibilitychange', this.wake);
    this.clearTimers();
    this.drop(1000);
  }

  /** Sends if open; returns false otherwise (callers queue and resend on open). */
  send(msg: object | string): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
    return true;
  }

  /** The application saw a healthy exchange: later failures back off from scratch. */
  markHealthy(): void {
    if (this.state.attempts !== 0) this.set({ attempts: 0 });
  }

  // ── Internals ──────────────────────────────────────────────────────────
  private set(patch: Partial<SocketState>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn(this.state);
  }

  private connect(): void {
    this.retryTimer = null;
    if (this.stopped) return;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.o.url());
    } catch {
      this.retry();
      return;
    }
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.lastRx = monoNow();
      this.set({ status: 'live' });
      this.keepaliveTimer = setInterval(this.keepalive, this.o.keepaliveMs);
      this.o.onOpen?.();
    };
    ws.onmessage = (ev) => {
      this.lastRx = monoNow();
      if (typeof ev.data === 'string' && ev.data !== KEEPALIVE) this.o.onMessage(ev.data);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.clearTimers();
      void this.closed(ev.code, opened);
    };
  }

  private async closed(code: number, opened: boolean): Promise<void> {
    if (this.stopped) return;
    if (this.o.finalCodes.includes(code)) return this.finish(code);
    if (!opened && this.o.probe) {
      const final = await this.o.probe().catch(() => null);
      if (this.stopped) return;
      if (final !== null) return this.finish(final);
    }
    this.retry();
  }

  private finish(code: number): void {
    this.stopped = true;
    this.set({ status: 'closed', closeCode: code });
  }

  private retry(): void {
    const attempts = this.state.attempts + 1;
    const offline = !navigator.onLine || attempts >= this.o.offlineAfter;
    this.set({ status: offline ? 'offline' : 'reconnecting', attempts });
    // With no network, the 'online' event reconnects at once; the slow retry is for a browser that never sends it.
    const delay = navigator.onLine ? backoffDelay(attempts - 1, this.o.baseMs, this.o.capMs) : this.o.capMs;
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private keepalive = (): void => {
    // No answer to two keepalives: the connection is dead even if the browser has not noticed.
    if (monoNow() - this.lastRx > this.o.keepaliveMs * 2 + 5_000) return this.dead();
    this.send(KEEPALIVE);
  };

  /** Gives up on the current connection and reconnects. */
  private dead(): void {
    const ws = this.ws;
    this.drop(4000);
    this.clearTimers();
    if (ws) void this.closed(1006, true);
  }

  /**
   * Reconnect at once when the network returns or the page becomes visible again.
   * A phone back from sleep may hold a socket that died silently: ask for an echo.
   */
  private wake = (): void => {
    if (this.stopped || document.visibilityState === 'hidden') return;
    if (this.retryTimer !== null) {
      clearTimeout(this.retryTimer);
      this.connect();
      return;
    }
    const ws = this.ws;
    if (ws?.readyState !== WebSocket.OPEN || monoNow() - this.lastRx < 5_000) return;
    const askedAt = monoNow();
    this.send(KEEPALIVE);
    setTimeout(() => {
      if (this.ws === ws && this.lastRx < askedAt) this.dead();
    }, 4_000);
  };

  /**
   * The browser says the network is gone. An open socket can linger half-dead
   * for minutes (Chrome does not close it), and what is sent on it is lost:
   * drop it now and reconnect when the 'online' event comes.
   */
  private onOffline = (): void => {
    if (this.stopped) return;
    this.drop(4000);
    this.clearTimers();
    this.set({ status: 'offline' });
    this.retryTimer = setTimeout(() => this.connect(), this.o.capMs);
  };

  private drop(code: number): void {
    const ws = this.ws;
    this.ws = null;
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = null;
    try {
      ws.close(code);
    } catch {
      // Already closed.
    }
  }

  private clearTimers(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    if (this.keepaliveTimer !== null) clearInterval(this.keepaliveTimer);
    this.retryTimer = null;
    this.keepaliveTimer = null;
  }
}
