// `npm run bench [-- section …]`: every benchmark, with in-run baselines. Sections (default: all, in this order):
//   rooms     control→viewer latency, 50 viewers (vs a ping round trip)         ┐
//   clock     viewer clock-offset error (vs a single sample)                    │ one throwaway
//   sessions  session command→all devices latency; UserSession wake-ups         │ Worker
//   racks     claim / heartbeat latency, batch-sync throughput, offline drain   │
//   rundown   a 500-row CSV import: parse+validate, one HTTP apply vs 500 creates │
//   webhooks  command → webhook delivery at a local receiver (vs the command's round trip) │
//   feed      an idle room's wake-ups with one SSE client (vs one hibernated WebSocket)      ┘
//   mirrors   outbox drain, mirror lag, outage recovery, cache HIT/MISS (its own Worker + Postgres + Redis)
//   compare   ours vs the Express + Socket.IO + ioredis baseline at 100/1,000/4,500 viewers (writes bench/RESULTS.md)
//   agreement clock agreement of 50 viewers through a 50 ± 20 ms jittery proxy, ours vs the baseline
import { api, startWorker } from './lib.mjs';

const ALL = ['rooms', 'clock', 'sessions', 'racks', 'rundown', 'webhooks', 'feed', 'mirrors', 'agreement', 'compare'];
const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = asked.filter((s) => !ALL.includes(s));
if (unknown.length) {
  console.error(`unknown section(s): ${unknown.join(', ')}; choose from ${ALL.join(', ')}`);
  process.exit(2);
}
const want = (s) => asked.length === 0 || asked.includes(s);

console.log(`Keeptime benchmarks — ${new Date().toISOString()}`);
if (['rooms', 'clock', 'sessions', 'racks', 'rundown', 'webhooks', 'feed'].some(want)) {
  const worker = await startWorker({ vars: { COUNT_WAKEUPS: '1' } });
  try {
    console.log(`worker at ${worker.base}`);
    if (want('rooms')) {
      const m = await import('./room-latency.mjs');
      m.printRoomLatency(await m.roomLatency(worker.base));
    }
    if (want('clock')) {
      const m = await import('./clock-offset.mjs');
      m.printClockOffset(await m.clockOffset(worker.base));
    }
    if (want('sessions')) {
      const m = await import('./sessions.mjs');
      const admin = await api(worker.base, 'POST', '/api/auth/signup', {
        email: 'admin@keeptime.test',
        password: 'bench-password',
        name: 'Admin',
      });
      m.printSessions(await m.sessionLatency(worker.base), await m.sessionWakeups(worker.base, admin.json.token));
    }
    if (want('racks')) {
      const m = await import('./racks.mjs');
      m.print(await m.run(worker.base));
    }
    if (want('rundown')) {
      const m = await import('./rundown.mjs');
      m.print(await m.run(worker.base));
    }
    if (want('webhooks')) {
      const m = await import('./webhooks.mjs');
      m.print(await m.run(worker.base));
    }
    if (want('feed')) {
      const m = await import('./feed-idle.mjs');
      m.print(await m.run(worker.base));
    }
  } finally {
    await worker.stop();
  }
}
if (want('mirrors')) await (await import('./mirrors.mjs')).run(); // its own Worker, wired to Postgres and Redis
let agreement;
const agreementModule = await import('./clock-agreement.mjs');
if (want('agreement')) {
  agreement = await agreementModule.run();
  agreementModule.print(agreement);
}
if (want('compare')) {
  const m = await import('./compare.mjs');
  // 5,000 viewers exceed what wrangler dev can hold here: it proxies each socket through a second workerd, and the
  // two reach a 20,000 open-files hard limit at ~4,800 viewers. BENCH_SIZES=100,1000,5000 where the limit is higher.
  const sizes = (process.env.BENCH_SIZES ?? '100,1000,4500').split(',').map(Number);
  const result = await m.run({ sizes });
  m.print(result);
  // The side-by-side table, the chart and (when measured in this run) the clock agreement go to bench/RESULTS.md.
  const { writeResults } = await import('./results-md.mjs');
  console.log(`\n${await writeResults(result, { clock: agreement, clockMarkdown: agreementModule.markdown })}`);
}
process.exit(0);
