// Rundown import throughput: a 500-row CSV parsed and validated (the pure core, in Node), and applied over HTTP
// as one command, next to the same 500 timers created one request at a time in the same run (the baseline a
// script without import would need) and a one-timer create (the floor of one write).
// Standalone: `node --experimental-transform-types --no-warnings bench/rundown.mjs` (starts its own Worker).
import { pathToFileURL } from 'node:url';
import { parseRundownCsv } from '../core/rooms/rundown-csv.ts';
import { MAX_TIMERS } from '../core/rooms/transition.ts';
import { fmt, makeOwnerAndRoom, median, startWorker } from './lib.mjs';

const ROWS = MAX_TIMERS;
const PARSE_RUNS = 30;
const APPLY_RUNS = 5;

function csv(rows) {
  const lines = Array.from(
    { length: rows },
    (_, i) =>
      `"Cue ${i}, part ${i % 7}",${1 + (i % 9)}:30,countdown,${i % 3 ? 'linked' : 'manual'},,1:00,0:15,"Note ${i}"`,
  );
  return ['label,duration,mode,trigger,plannedStart,warn,danger,notes', ...lines].join('\r\n');
}

async function post(base, route, token, body, type) {
  const t0 = performance.now();
  const res = await fetch(base + route, {
    method: 'POST',
    headers: { 'Content-Type': type, Authorization: `Bearer ${token}` },
    body,
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${route}: ${res.status} ${text.slice(0, 200)}`);
  return performance.now() - t0;
}

export async function run(base) {
  const text = csv(ROWS);
  const parseMs = [];
  for (let i = 0; i < PARSE_RUNS; i++) {
    const t0 = performance.now();
    const r = parseRundownCsv(text, { timeZone: 'Europe/Paris', day: Date.now() });
    parseMs.push(performance.now() - t0);
    if (r.errors.length || r.rows.length !== ROWS) throw new Error('the bench CSV did not parse cleanly');
  }
  const { token, room } = await makeOwnerAndRoom(base, []);
  const importMs = [];
  for (let i = 0; i < APPLY_RUNS; i++)
    importMs.push(await post(base, `/api/rooms/${room.id}/rundown/import?mode=replace`, token, text, 'text/csv'));
  const other = await makeOwnerAndRoom(base, []);
  const oneMs = [];
  const t0 = performance.now();
  for (let i = 0; i < ROWS; i++)
    oneMs.push(
      await post(
        base,
        `/api/rooms/${other.room.id}/timers`,
        other.token,
        JSON.stringify({ label: `Cue ${i}`, durationMs: 90_000, notes: `Note ${i}` }),
        'application/json',
      ),
    );
  const creates500 = performance.now() - t0;
  return {
    rows: ROWS,
    kb: text.length / 1024,
    parse: median(parseMs),
    apply: median(importMs),
    one: median(oneMs),
    creates500,
  };
}

export function print(r) {
  console.log(`\n── Rundown import: ${r.rows} rows, ${fmt(r.kb, 0)} KB ──`);
  console.log(
    `parse + validate (core, Node)         median ${fmt(r.parse)} ms  (${fmt(r.rows / (r.parse / 1000), 0)} rows/s)`,
  );
  console.log(
    `import over HTTP (one command)         median ${fmt(r.apply)} ms  (${fmt(r.rows / (r.apply / 1000), 0)} rows/s)`,
  );
  console.log(`baseline: one create-timer request     median ${fmt(r.one)} ms`);
  console.log(
    `baseline: ${r.rows} create-timer requests   total ${fmt(r.creates500, 0)} ms  → import is ${fmt(r.creates500 / r.apply)}× faster`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const worker = await startWorker();
  try {
    print(await run(worker.base));
  } finally {
    await worker.stop();
  }
  process.exit(0);
}
