// Event feed idle cost: the wake-ups of an idle room (a timer running for an hour, nothing else happening) with one
// SSE client open, against the same room with one silent hibernated WebSocket, counted by the room object itself
// (COUNT_WAKEUPS=1: fetch, webSocketMessage and alarm invocations) over `windowMs`.
import { api, fmt, makeOwnerAndRoom, openSocket } from './lib.mjs';

async function adminToken(base) {
  const creds = { email: 'admin@keeptime.test', password: 'bench-password' };
  const signup = await api(base, 'POST', '/api/auth/signup', { ...creds, name: 'Admin' });
  return signup.status === 201 ? signup.json.token : (await api(base, 'POST', '/api/auth/login', creds)).json.token;
}

async function idleRoom(base, admin, open, windowMs) {
  const { token, room, links, timers } = await makeOwnerAndRoom(base);
  await api(base, 'POST', `/api/rooms/${room.id}/timers/${timers[0].id}/start`, {}, token);
  const close = await open(base, room, links);
  // Let the start's own work (mirror drain, ops report) settle, then count an idle window.
  await new Promise((r) => setTimeout(r, 4000));
  const read = async () =>
    (await api(base, 'GET', `/api/ops/objects/room/${room.id}/wakeups`, undefined, admin)).json.wakeups;
  const before = await read();
  await new Promise((r) => setTimeout(r, windowMs));
  const after = await read();
  await close();
  const total = (w) => w.alarm + w.message + w.fetch;
  const counted = total(after) - total(before);
  return { counted, perMin: (counted * 60_000) / windowMs };
}

async function sse(base, _room, links) {
  const ctrl = new AbortController();
  const res = await fetch(`${base}/api/rooms/${links.viewer}/events`, { signal: ctrl.signal });
  if (res.status !== 200) throw new Error(`events: ${res.status}`);
  const reader = res.body.getReader();
  (async () => {
    try {
      for (;;) if ((await reader.read()).done) return;
    } catch {
      // Aborted at the end.
    }
  })();
  return async () => ctrl.abort();
}

async function socket(base, room, links) {
  const ws = await openSocket(`${base.replace('http', 'ws')}/api/rooms/${room.id}/ws?token=${links.viewer}`);
  return async () => ws.close();
}

export async function run(base, { windowMs = 30_000 } = {}) {
  const admin = await adminToken(base);
  return {
    windowS: windowMs / 1000,
    sse: await idleRoom(base, admin, sse, windowMs),
    socket: await idleRoom(base, admin, socket, windowMs),
  };
}

export function print(r) {
  console.log(`\nEvent feed idle cost (a running room, nothing happening, ${r.windowS} s window, room wake-ups)`);
  console.log(`  one SSE client           ${fmt(r.sse.perMin, 2)} wake-ups/min (${r.sse.counted} counted)`);
  console.log(
    `  baseline: one hibernated WebSocket  ${fmt(r.socket.perMin, 2)} wake-ups/min (${r.socket.counted} counted)`,
  );
}
