// Clock offset error of the viewer's estimator against the server on loopback. The client clock is
// deliberately skewed by a known amount, so the true offset is known exactly; the error is the
// estimate minus that skew. Baseline in the same run: the naive single-sample estimate.
import { OffsetEstimator, sampleOffset } from '../core/clock-sync.ts';
import { fmt, makeOwnerAndRoom, median, openSocket, quantile } from './lib.mjs';

export async function clockOffset(base, { trials = 20, skewMs = 12_345 } = {}) {
  const { room, links } = await makeOwnerAndRoom(base);
  const wsBase = base.replace('http', 'ws');
  const errors = [];
  const naive = [];
  for (let trial = 0; trial < trials; trial++) {
    const clientNow = () => Date.now() + skewMs + (performance.now() % 1); // sub-ms resolution
    let pending = null;
    const ws = await openSocket(`${wsBase}/api/rooms/${room.id}/ws?token=${links.viewer}`, (m) => {
      if (m.type === 'pong' && pending) pending(m);
    });
    const est = new OffsetEstimator();
    let first = null;
    for (let i = 0; i < 8; i++) {
      const t0 = clientNow();
      const pong = await new Promise((resolve) => {
        pending = resolve;
        ws.send(JSON.stringify({ type: 'ping', t0 }));
      });
      const sample = { t0, serverTime: pong.serverTime, t1: clientNow() };
      first ??= sample;
      est.add(sample);
    }
    ws.close();
    errors.push(Math.abs(est.estimate().offsetMs - -skewMs));
    naive.push(Math.abs(sampleOffset(first) - -skewMs));
  }
  return {
    trials,
    p50: median(errors),
    p95: quantile(errors, 0.95),
    max: Math.max(...errors),
    naiveP50: median(naive),
  };
}

export function printClockOffset(r) {
  console.log(`\nViewer clock offset error (8-ping burst, lowest-RTT samples, ${r.trials} trials, loopback)`);
  console.log(`  |error| p50 ${fmt(r.p50, 2)} ms   p95 ${fmt(r.p95, 2)} ms   max ${fmt(r.max, 2)} ms`);
  console.log(`  baseline single-sample |error| p50 ${fmt(r.naiveP50, 2)} ms   ratio = ${fmt(r.p50 / r.naiveP50, 2)}`);
}
