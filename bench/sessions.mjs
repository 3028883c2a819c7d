// Live sessions: command-to-all-devices latency (3 sockets of one user; baseline: a ping round trip on
// the same object), and DO wake-ups of an idle running session with ticks off and on, counted by the
// objects themselves (the Worker runs with COUNT_WAKEUPS=1) over a window and scaled to 10 minutes.
import { api, fmt, median, openSocket, quantile } from './lib.mjs';

async function user(base) {
  const email = `bench-s-${Date.now()}-${Math.random().toString(36).slice(2)}@keeptime.test`;
  const r = await api(base, 'POST', '/api/auth/signup', { email, password: 'bench-password', name: 'Bench' });
  return { token: r.json.token, id: r.json.user.id };
}

export async function sessionLatency(base, { devices = 3, commands = 100 } = {}) {
  const { token } = await user(base);
  const wsUrl = `${base.replace('http', 'ws')}/api/sessions/ws?token=${token}`;
  const waiters = new Map();
  const onMessage = (m) => {
    if (!/^SESSION_(STARTED|PAUSED|RESUMED|STOPPED)$/.test(m.type)) return;
    const w = waiters.get(m.version);
    if (w && --w.remaining === 0) w.resolve(performance.now());
  };
  const sockets = [];
  for (let i = 0; i < devices; i++) sockets.push(await openSocket(wsUrl, onMessage));
  const pings = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    await new Promise((resolve) => {
      const h = (ev) => {
        const m = JSON.parse(ev.data);
        if (m.type === 'pong' && m.t0 === t0) sockets[0].removeEventListener('message', h), resolve();
      };
      sockets[0].addEventListener('message', h);
      sockets[0].send(JSON.stringify({ type: 'ping', t0 }));
    });
    pings.push(performance.now() - t0);
  }
  const latencies = [];
  let version = (await api(base, 'GET', '/api/sessions/current', undefined, token)).json.version ?? 0;
  const sequence = ['start', 'pause', 'resume', 'stop'];
  for (let i = 0; i < commands; i++) {
    const action = sequence[i % sequence.length];
    const done = new Promise((resolve) => waiters.set(version + 1, { remaining: devices, resolve }));
    const t0 = performance.now();
    const res = await api(
      base,
      'POST',
      `/api/sessions/${action}`,
      action === 'start' ? { label: 'bench' } : undefined,
      token,
    );
    if (res.status >= 300) throw new Error(`session ${action}: ${res.status} ${JSON.stringify(res.json)}`);
    const t1 = await Promise.race([done, new Promise((r) => setTimeout(() => r(NaN), 5000))]);
    latencies.push(t1 - t0);
    waiters.delete(version + 1);
    version += 1;
  }
  for (const s of sockets) s.close();
  const ok = latencies.filter(Number.isFinite);
  return { devices, commands, delivered: ok.length, p50: median(ok), p99: quantile(ok, 0.99), pingP50: median(pings) };
}

export async function sessionWakeups(base, adminToken, { windowMs = 30_000 } = {}) {
  const out = {};
  for (const ticks of [false, true]) {
    const { token, id } = await user(base);
    const ws = await openSocket(
      `${base.replace('http', 'ws')}/api/sessions/ws?token=${token}${ticks ? '&ticks=1' : ''}`,
    );
    await api(base, 'POST', '/api/sessions/start', { label: 'idle' }, token);
    // Let the start's own work (mirror drain, ops report) settle, then count an idle window.
    await new Promise((r) => setTimeout(r, 4000));
    const read = async () =>
      (await api(base, 'GET', `/api/ops/objects/session/${id}/wakeups`, undefined, adminToken)).json.wakeups;
    const before = await read();
    await new Promise((r) => setTimeout(r, windowMs));
    const after = await read();
    ws.close();
    const total = (w) => w.alarm + w.message + w.fetch;
    const counted = total(after) - total(before);
    out[ticks ? 'ticksOn' : 'ticksOff'] = {
      windowS: windowMs / 1000,
      counted,
      per10Min: Math.round((counted * 600_000) / windowMs),
      alarms: after.alarm - before.alarm,
    };
  }
  return out;
}

export function printSessions(lat, wake) {
  console.log(
    `\nSession command → all devices (${lat.devices} sockets of one user, ${lat.commands} commands, loopback)`,
  );
  console.log(`  delivered ${lat.delivered}/${lat.commands}   p50 ${fmt(lat.p50)} ms   p99 ${fmt(lat.p99)} ms`);
  console.log(`  baseline ping RTT p50 ${fmt(lat.pingP50)} ms   ratio p50 ÷ ping = ${fmt(lat.p50 / lat.pingP50, 2)}`);
  if (wake) {
    console.log('\nUserSession wake-ups while a session runs idle (counted by the object; scaled to 10 minutes)');
    for (const [k, v] of Object.entries(wake))
      console.log(`  ${k.padEnd(9)} ${v.counted} in ${v.windowS} s → ~${v.per10Min} per 10 min (alarms ${v.alarms})`);
    console.log(
      `  ratio ticks on ÷ ticks off: ${wake.ticksOff.counted ? fmt(wake.ticksOn.counted / wake.ticksOff.counted, 1) : '∞ (ticks off: zero wake-ups)'}`,
    );
  }
}
