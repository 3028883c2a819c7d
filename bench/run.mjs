// `npm run bench`: every benchmark, against a throwaway local Worker, with in-run baselines.
import { clockOffset, printClockOffset } from './clock-offset.mjs';
import { startWorker } from './lib.mjs';
import { printRoomLatency, roomLatency } from './room-latency.mjs';
import { printSessions, sessionLatency, sessionWakeups } from './sessions.mjs';
import { api } from './lib.mjs';

const worker = await startWorker({ vars: { COUNT_WAKEUPS: '1' } });
try {
  console.log(`Keeptime benchmarks — ${new Date().toISOString()} — worker at ${worker.base}`);
  printRoomLatency(await roomLatency(worker.base));
  printClockOffset(await clockOffset(worker.base));
  const admin = await api(worker.base, 'POST', '/api/auth/signup', { email: 'admin@keeptime.test', password: 'bench-password', name: 'Admin' });
  printSessions(await sessionLatency(worker.base), await sessionWakeups(worker.base, admin.json.token));
  await (await import('./mirrors.mjs')).run(); // its own Worker, wired to Postgres and Redis
} finally {
  await worker.stop();
}
process.exit(0);
