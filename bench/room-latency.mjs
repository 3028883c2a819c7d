// Control-to-viewer latency in one room: 50 viewers, 100 commands over HTTP, measured from the
// controller's POST to the last viewer receiving the change. Baseline in the same run: a single
// ping/pong round trip to the same room object (the floor any broadcast design pays).
import { api, fmt, makeOwnerAndRoom, median, openSocket, quantile } from './lib.mjs';

export async function roomLatency(base, { viewers = 50, commands = 100 } = {}) {
  const { token, room, links, timers } = await makeOwnerAndRoom(base);
  const wsBase = base.replace('http', 'ws');
  const waiters = new Map(); // version → { remaining, resolve }
  const onMessage = (msg) => {
    if (msg.type !== 'timer-update') return;
    const w = waiters.get(msg.version);
    if (w && --w.remaining === 0) w.resolve(performance.now());
  };
  const sockets = [];
  for (let i = 0; i < viewers; i++)
    sockets.push(await openSocket(`${wsBase}/api/rooms/${room.id}/ws?token=${links.viewer}`, onMessage));

  // Baseline: ping round trips on one viewer socket.
  const pingRtts = [];
  const probe = sockets[0];
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    await new Promise((resolve) => {
      const h = (ev) => {
        const m = JSON.parse(ev.data);
        if (m.type === 'pong' && m.t0 === t0) {
          probe.removeEventListener('message', h);
          resolve();
        }
      };
      probe.addEventListener('message', h);
      probe.send(JSON.stringify({ type: 'ping', t0 }));
    });
    pingRtts.push(performance.now() - t0);
    // Paced under the per-socket frame budget (20 frames/s): a faster burst is answered with rate_limited, not pong.
    await new Promise((r) => setTimeout(r, 60));
  }

  const latencies = [];
  let version = (await api(base, 'GET', `/api/rooms/${room.id}`, undefined, token)).json.version;
  const timerId = timers[0].id;
  for (let i = 0; i < commands; i++) {
    const action = i === 0 ? 'start' : i % 2 ? 'pause' : 'resume';
    const expected = version + 1;
    const done = new Promise((resolve) => waiters.set(expected, { remaining: viewers, resolve }));
    const t0 = performance.now();
    const res = await api(base, 'POST', `/api/rooms/${room.id}/timers/${timerId}/${action}`, undefined, token);
    if (res.status !== 200) throw new Error(`command failed: ${res.status} ${JSON.stringify(res.json)}`);
    version = res.json.version;
    if (version !== expected) waiters.set(version, waiters.get(expected));
    const tEnd = await Promise.race([done, new Promise((r) => setTimeout(() => r(NaN), 5000))]);
    latencies.push(tEnd - t0);
    waiters.delete(expected);
  }
  for (const s of sockets) s.close();
  const ok = latencies.filter(Number.isFinite);
  return {
    viewers,
    commands,
    delivered: ok.length,
    p50: median(ok),
    p99: quantile(ok, 0.99),
    max: Math.max(...ok),
    pingP50: median(pingRtts),
  };
}

export function printRoomLatency(r) {
  console.log(`\nControl → viewer latency (${r.viewers} viewers, ${r.commands} commands, loopback)`);
  console.log(`  delivered to all viewers: ${r.delivered}/${r.commands}`);
  console.log(`  p50 ${fmt(r.p50)} ms   p99 ${fmt(r.p99)} ms   max ${fmt(r.max)} ms`);
  console.log(`  baseline ping RTT p50 ${fmt(r.pingP50)} ms   ratio p50 ÷ ping = ${fmt(r.p50 / r.pingP50, 2)}`);
}
