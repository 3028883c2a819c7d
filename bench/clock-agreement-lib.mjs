// Headless viewers for the clock-agreement bench, and its statistics.
//  - Ours: the site's own viewer modules run in Node (clock sync, room store, message parser, display frame),
//    wired the way site/src/lib/rooms/connection.ts wires them, on a plain WebSocket (connection.ts itself needs
//    `location`/`document`; the wiring below is its onOpen/onMessage, line for line).
//  - Baseline: a Socket.IO client that shows what the seeds' clients show: the last `room-state` /
//    `timer-update` remainingMs, held until the next tick (the seeds do not interpolate between ticks).
import { io } from 'socket.io-client';
import { formatDuration } from '../core/time.ts';
import { displayMs } from '../core/rooms/timer.ts';
import { ClockSync } from '../site/src/lib/clock/clock-sync.ts';
import { activeAndNext, displayFrame } from '../site/src/lib/rooms/display.ts';
import { parseServerMessage } from '../site/src/lib/rooms/messages.ts';
import { RoomStore } from '../site/src/lib/rooms/store.ts';
import { KEEPALIVE } from '../site/src/lib/net/socket.ts';
import { median, quantile } from './lib.mjs';

/** @typedef {{ ms: number, text: string }} Shown  what a viewer displays: the value and its digits */

/**
 * One of our viewers. `frame(clientNow)` is what the viewer's animation frame computes at that client
 * instant (DisplayClock reading → displayFrame); `rtts` collects every ping round trip it measured.
 * @param {string} wsUrl the room socket URL (through the proxy), with the viewer token
 */
export async function openOurViewer(wsUrl) {
  const ws = new WebSocket(wsUrl);
  const send = (/** @type {object} */ msg) => {
    if (ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(msg));
    return true;
  };
  const store = new RoomStore({ send });
  const clock = new ClockSync(send);
  /** @type {number[]} */
  const rtts = [];
  ws.addEventListener('message', (ev) => {
    if (typeof ev.data !== 'string' || ev.data === KEEPALIVE) return;
    const m = parseServerMessage(ev.data);
    if (!m) return;
    if (m.type === 'pong') {
      rtts.push(Date.now() - m.t0);
      clock.pong(m.t0, m.serverTime);
    }
    if (m.type === 'room-state') clock.seed(m.serverTime);
    store.apply(m);
  });
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve, { once: true });
    ws.addEventListener(
      'error',
      () => reject(new Error(`viewer socket failed: ${wsUrl.replace(/token=[^&]+/, 'token=…')}`)),
      { once: true },
    );
  });
  clock.connected();
  store.reconnected();
  return {
    rtts,
    /** @param {number} clientNow @returns {Shown | null} */
    frame(clientNow) {
      const serverNow = clock.clock.serverNow(clientNow);
      const { room, timers } = store.state;
      const { active } = activeAndNext(room, timers);
      if (!active || !room) return null;
      return { ms: displayMs(active, serverNow), text: displayFrame(active, room, serverNow).text };
    },
    synced: () => store.state.synced && clock.estimate() !== null,
    close() {
      clock.disconnected();
      ws.close();
    },
  };
}

/**
 * One baseline viewer: joins the room and keeps the last remaining time the server sent.
 * `forceNew`: every viewer is its own browser, with its own connection (Socket.IO would otherwise share one).
 * @param {string} url the baseline's URL (through the proxy)
 * @param {string} roomId
 */
export async function openBaselineViewer(url, roomId) {
  const socket = io(url, { forceNew: true, reconnection: false });
  /** @type {{ version: number, remainingMs: number } | null} */
  let last = null;
  /** @param {{ version: number, remainingMs: number }} u */
  const keep = (u) => {
    if (!last || u.version >= last.version) last = { version: u.version, remainingMs: u.remainingMs };
  };
  socket.on('room-state', (s) => keep({ version: s.version, remainingMs: s.timer.remainingMs }));
  socket.on('timer-update', (u) => keep(u));
  const t0 = performance.now();
  const joined = await new Promise((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.on('connect', () => socket.emit('join-room', { roomId }, resolve));
  });
  if (!joined?.ok) throw new Error(`baseline viewer could not join room ${roomId}`);
  const joinMs = performance.now() - t0;
  return {
    joinMs,
    /** @returns {Shown | null} */
    frame() {
      return last && { ms: last.remainingMs, text: formatDuration(last.remainingMs) };
    },
    upgraded: () => socket.io.engine?.transport?.name === 'websocket',
    close() {
      socket.close();
    },
  };
}

/**
 * Statistics over the sampled instants.
 * @param {{ trueMs: number, shown: (Shown | null)[] }[]} instants
 */
export function agreement(instants) {
  const spreads = [];
  const errors = [];
  const signed = [];
  let missing = 0;
  let textAllSame = 0;
  let textRight = 0;
  let textTotal = 0;
  for (const { trueMs, shown } of instants) {
    const ok = /** @type {Shown[]} */ (shown.filter(Boolean));
    missing += shown.length - ok.length;
    if (ok.length === 0) continue;
    const ms = ok.map((s) => s.ms);
    spreads.push(Math.max(...ms) - Math.min(...ms));
    for (const v of ms) {
      errors.push(Math.abs(v - trueMs));
      signed.push(v - trueMs);
    }
    const trueText = formatDuration(trueMs);
    if (ok.every((s) => s.text === ok[0]?.text)) textAllSame++;
    textRight += ok.filter((s) => s.text === trueText).length;
    textTotal += ok.length;
  }
  const stat = (/** @type {number[]} */ v) => ({
    p50: median(v),
    p95: quantile(v, 0.95),
    max: v.length ? Math.max(...v) : NaN,
  });
  return {
    instants: instants.length,
    samples: errors.length,
    missing,
    spread: stat(spreads),
    error: stat(errors),
    /** Mean of displayed − true: positive shows more time left than there is (the display runs late). */
    bias: signed.length ? signed.reduce((a, b) => a + b, 0) / signed.length : NaN,
    /** Share of instants where every viewer showed the same digits. */
    textAgree: spreads.length ? textAllSame / spreads.length : NaN,
    /** Share of viewer samples whose digits were the true digits. */
    textRight: textTotal ? textRight / textTotal : NaN,
  };
}
