// `npm run bench`: every benchmark, against a throwaway local Worker, with in-run baselines.
import { clockOffset, printClockOffset } from './clock-offset.mjs';
import { startWorker } from './lib.mjs';
import { printRoomLatency, roomLatency } from './room-latency.mjs';

const worker = await startWorker();
try {
  console.log(`Keeptime benchmarks — ${new Date().toISOString()} — worker at ${worker.base}`);
  printRoomLatency(await roomLatency(worker.base));
  printClockOffset(await clockOffset(worker.base));
} finally {
  await worker.stop();
}
process.exit(0);
