/**
 * A headless room viewer for the reconnect storm: one `ws` socket that
 * reconnects with the site's full-jitter backoff, shows the room as the
 * viewer page does (a snapshot, then in-order changes; a gap asks for a
 * snapshot) and records every time the server offered it a state older than
 * one it had already seen.
 */
import WebSocket from 'ws';
import { backoffDelay } from '../../../site/src/lib/net/socket.ts';
import { ROOM_CHANGE_MESSAGES } from '../../../core/rooms/wire.ts';

/** Messages that carry room state a viewer renders (presence and pongs do not). */
const STATE_EVENTS = new Set<string>(ROOM_CHANGE_MESSAGES);

export interface Regression {
  type: string;
  version: number;
  newestSeen: number;
  at: number;
}

export interface ViewerOptions {
  url: string;
  baseMs: number;
  capMs: number;
  /**
   * Abandon a connection attempt that has not opened after this long. Keep it long, as a browser's is:
   * a restarting `wrangler dev` holds every pending connection until it is ready, and each abandoned
   * one stays open on its side, so short timeouts under a storm exhaust its file descriptors (EMFILE).
   */
  handshakeMs?: number;
}

export class StormViewer {
  /** Newest version this client has ever received. */
  newestSeen = 0;
  /** Version of the state on screen (0 before the first snapshot). */
  shown = 0;
  /** Server offered a state older than `newestSeen`: must stay empty. */
  readonly regressions: Regression[] = [];
  /** Snapshots received (the first connection's and every resync's). */
  snapshots = 0;
  opens = 0;
  failedAttempts = 0;
  /** When the socket last closed unexpectedly, and when the next snapshot came after that. */
  droppedAt: number | null = null;
  resyncedAt: number | null = null;
  /** Version of the snapshot that resynced it. */
  resyncVersion = 0;
  private ws: WebSocket | null = null;
  private attempts = 0;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private waiters: Array<{ pred: () => boolean; resolve: () => void }> = [];

  constructor(private readonly o: ViewerOptions) {}

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const ws = this.ws;
    this.ws = null;
    ws?.removeAllListeners();
    ws?.on('error', () => {});
    ws?.terminate();
  }

  /** Resolves once `pred` holds (checked after every message), or rejects after `timeoutMs`. */
  until(pred: () => boolean, timeoutMs: number): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w = { pred, resolve: () => (clearTimeout(t), resolve()) };
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new Error(`viewer not there after ${timeoutMs} ms (shown ${this.shown})`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  private connect(): void {
    this.retryTimer = null;
    if (this.stopped) return;
    const ws = new WebSocket(this.o.url, { handshakeTimeout: this.o.handshakeMs ?? 90_000, perMessageDeflate: false });
    this.ws = ws;
    let opened = false;
    ws.on('open', () => {
      opened = true;
      this.opens++;
    });
    ws.on('message', (data) => this.onMessage(String(data)));
    ws.on('error', () => {
      /* 'close' follows */
    });
    ws.on('close', () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.stopped) return;
      if (opened && this.droppedAt === null) {
        this.droppedAt = Date.now();
        this.resyncedAt = null;
      }
      if (!opened) this.failedAttempts++;
      this.attempts++;
      this.retryTimer = setTimeout(() => this.connect(), backoffDelay(this.attempts - 1, this.o.baseMs, this.o.capMs));
    });
  }

  private onMessage(text: string): void {
    let msg: { type?: unknown; version?: unknown };
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    const type = String(msg.type);
    const version = typeof msg.version === 'number' ? msg.version : null;
    if (version === null) return;
    const isState = type === 'room-state' || STATE_EVENTS.has(type);
    if (isState && version < this.newestSeen)
      this.regressions.push({ type, version, newestSeen: this.newestSeen, at: Date.now() });
    this.newestSeen = Math.max(this.newestSeen, version);
    if (type === 'room-state') {
      // A snapshot replaces the view; a healthy exchange resets the backoff (the site's markHealthy).
      if (version >= this.shown) this.shown = version;
      this.snapshots++;
      this.attempts = 0;
      if (this.droppedAt !== null) {
        this.resyncedAt = Date.now();
        this.resyncVersion = version;
        this.droppedAt = null;
      }
    } else if (STATE_EVENTS.has(type)) {
      if (version === this.shown + 1) this.shown = version;
      else if (version > this.shown + 1) this.ws?.send(JSON.stringify({ type: 'request-sync' }));
      // version <= shown: already on screen.
    }
    if (this.waiters.length) {
      const ready = this.waiters.filter((w) => w.pred());
      this.waiters = this.waiters.filter((w) => !ready.includes(w));
      for (const w of ready) w.resolve();
    }
  }
}
