// Webhooks: the delay from a room command (timer start or pause over HTTP) to its webhook's arrival at a local
// receiver, p50 and p99 over `commands` commands, against the baseline of the command's own HTTP round trip.
// The receiver is a plain HTTP server in this process, so both clocks are the same.
import http from 'node:http';
import { api, fmt, makeOwnerAndRoom, quantile } from './lib.mjs';

function receiver() {
  const waiting = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const at = performance.now();
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      waiting.shift()?.(at);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}/hook`,
        next: () => new Promise((r) => waiting.push(r)),
        close: () => new Promise((r) => server.close(r)),
      }),
    ),
  );
}

export async function run(base, { commands = 200 } = {}) {
  const hook = await receiver();
  try {
    const { token, room, timers } = await makeOwnerAndRoom(base);
    const made = await api(
      base,
      'POST',
      `/api/rooms/${room.id}/webhooks`,
      { url: hook.url, events: ['timer.started', 'timer.paused'] },
      token,
    );
    if (made.status !== 201) throw new Error(`register: ${made.status} ${JSON.stringify(made.json)}`);
    const timer = timers[0].id;
    const delivery = [];
    const roundTrip = [];
    for (let i = 0; i < commands; i++) {
      const arrived = hook.next();
      const t0 = performance.now();
      const res = await api(
        base,
        'POST',
        `/api/rooms/${room.id}/timers/${timer}/${i % 2 ? 'pause' : 'start'}`,
        {},
        token,
      );
      roundTrip.push(performance.now() - t0);
      if (res.status >= 300) throw new Error(`command ${i}: ${res.status} ${JSON.stringify(res.json)}`);
      delivery.push((await arrived) - t0);
    }
    return { commands, delivery, roundTrip };
  } finally {
    await hook.close();
  }
}

export function print({ commands, delivery, roundTrip }) {
  const p = (v, q) => quantile(v, q);
  console.log(`\nWebhooks: command → delivery at a local receiver (${commands} commands, one endpoint)`);
  console.log(`  delivery      p50 ${fmt(p(delivery, 0.5))} ms   p99 ${fmt(p(delivery, 0.99))} ms`);
  console.log(
    `  baseline: the command's HTTP round trip   p50 ${fmt(p(roundTrip, 0.5))} ms   p99 ${fmt(p(roundTrip, 0.99))} ms`,
  );
  console.log(
    `  ratio (delivery / round trip)   p50 ${fmt(p(delivery, 0.5) / p(roundTrip, 0.5), 2)}×   p99 ${fmt(p(delivery, 0.99) / p(roundTrip, 0.99), 2)}×`,
  );
}
