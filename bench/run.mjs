// `npm run bench [-- section …]`: every benchmark, with in-run baselines. Sections (default: all, in this order):
//   rooms     control→viewer latency, 50 viewers (vs a ping round trip)         ┐
//   clock     viewer clock-offset error (vs a single sample)                    │ one throwaway
//   sessions  session command→all devices latency; UserSession wake-ups         │ Worker
//   racks     claim / heartbeat latency, batch-sync throughput, offline drain   │
//   rundown   a 500-row CSV import: parse+validate, one HTTP apply vs 500 creates │
//   webhooks  command → webhook delivery at a local receiver (vs the command's round trip) │
//   feed      an idle room's wake-ups with one SSE client (vs one hibernated WebSocket)      │
//   report    a year of daily sessions: GET /api/sessions/report p50 (vs a round trip), buildReport alone ┘
//   mirrors   outbox drain, mirror lag, outage recovery, cache HIT/MISS (its own Worker + Postgres + Redis)
//   compare   five targets interleaved: ours under one workerd, ours under wrangler dev, the Socket.IO baseline, a bare
//             ws floor, a bare Durable Object under one workerd; 100 and 1,000 viewers by default, BENCH_SIZES=100,1000,5000,9500 for the large rooms (writes bench/RESULTS.md)
//   agreement clock agreement of 50 viewers through a 50 ± 20 ms jittery proxy, ours vs the baseline
import { api, startWorker } from './lib.mjs';

const ALL = [
  'rooms',
  'clock',
  'sessions',
  'racks',
  'rundown',
  'webhooks',
  'feed',
  'report',
  'mirrors',
  'agreement',
  'compare',
];
const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = asked.filter((s) => !ALL.includes(s));
if (unknown.length) {
  console.error(`unknown section(s): ${unknown.join(', ')}; choose from ${ALL.join(', ')}`);
  process.exit(2);
}
const want = (s) => asked.length === 0 || asked.includes(s);

console.log(`Keeptime benchmarks — ${new Date().toISOString()}`);
if (['rooms', 'clock', 'sessions', 'racks', 'rundown', 'webhooks', 'feed', 'report'].some(want)) {
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
    if (want('report')) {
      const m = await import('./report.mjs');
      m.print(await m.run(worker.base));
    }
  } finally {
    await worker.stop();
  }
}
if (want('mirrors')) await (await import('./mirrors.mjs')).run(); // its own Worker, wired to Postgres and Redis
let agreement;
/** @type {typeof import('./clock-agreement.mjs') | undefined} */
let agreementModule;
// Loaded only for its own section: it imports the site's TypeScript (the viewer's clock and store), which the other
// sections do not need, so a section such as `report` cannot fail on a site file (it used to exit 1 after printing).
if (want('agreement')) {
  agreementModule = await import('./clock-agreement.mjs');
  agreement = await agreementModule.run();
  agreementModule.print(agreement);
}
if (want('compare')) {
  const m = await import('./compare.mjs');
  // wrangler dev is left out above 1,000 viewers: it proxies each socket through a second workerd, and the two reach
  // the 20,000 open-files hard limit near 4,800 viewers; one workerd holds two descriptors per socket, so 10,000 is
  // skipped with that reason. The default stays short; BENCH_SIZES=100,1000,5000,9500 runs the large rooms (about
  // 10 minutes on an idle 2-core machine).
  const sizes = (process.env.BENCH_SIZES ?? '100,1000').split(',').map(Number);
  const result = await m.run({ sizes });
  m.print(result);
  // The side-by-side table, the chart and (when measured in this run) the clock agreement go to bench/RESULTS.md.
  const { writeResults } = await import('./results-md.mjs');
  console.log(`\n${await writeResults(result, { clock: agreement, clockMarkdown: agreementModule?.markdown })}`);
}
process.exit(0);
