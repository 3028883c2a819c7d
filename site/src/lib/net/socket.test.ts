/**
 * ReconnectingSocket's liveness runs on the page's monotonic clock: setting the device clock forward (a user, NTP, a
 * test rig) must not make a healthy socket look silent and drop it, while a socket that really hears nothing for two
 * keepalives is still given up on.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KEEPALIVE, ReconnectingSocket } from './socket.ts';

class FakeWebSocket {
  static readonly OPEN = 1;
  static made: FakeWebSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: string }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  constructor(readonly url: string) {
    FakeWebSocket.made.push(this);
  }
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
}

const KEEPALIVE_MS = 25_000;

function live(): { socket: ReconnectingSocket; ws: FakeWebSocket } {
  const socket = new ReconnectingSocket({ url: () => 'ws://test/ws', onMessage: () => {}, keepaliveMs: KEEPALIVE_MS });
  socket.start();
  const ws = FakeWebSocket.made.at(-1) as FakeWebSocket;
  ws.open();
  expect(socket.current.status).toBe('live');
  return { socket, ws };
}

describe('ReconnectingSocket liveness', () => {
  beforeEach(() => {
    FakeWebSocket.made = [];
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
    vi.stubGlobal('WebSocket', FakeWebSocket);
    vi.stubGlobal('navigator', { onLine: true });
    vi.stubGlobal('document', { visibilityState: 'visible', addEventListener() {}, removeEventListener() {} });
    vi.stubGlobal('addEventListener', () => {});
    vi.stubGlobal('removeEventListener', () => {});
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('keeps a healthy socket when the device clock is set two minutes forward', () => {
    const { socket, ws } = live();
    vi.setSystemTime(Date.now() + 120_000);
    vi.advanceTimersByTime(KEEPALIVE_MS);
    expect(socket.current.status).toBe('live');
    expect(FakeWebSocket.made).toHaveLength(1);
    expect(ws.sent).toContain(KEEPALIVE);
    socket.stop();
  });

  it('gives up on a socket that hears nothing for two keepalives, and reconnects', () => {
    const { socket, ws } = live();
    vi.advanceTimersByTime(KEEPALIVE_MS * 3);
    expect(ws.readyState).toBe(3);
    expect(socket.current.status).not.toBe('live');
    vi.advanceTimersByTime(1_000);
    expect(FakeWebSocket.made.length).toBeGreaterThan(1);
    socket.stop();
  });
});
