// Side by side, in one run: Keeptime (wrangler dev, the room's Durable Object) against the Socket.IO baseline
// (bench/baseline), one room at each size, interleaved per size (ours, then the baseline).
// node --experimental-transform-types --no-warnings bench/compare.mjs [--sizes 100,1000] [--idle 20] [--commands 41] [--write]
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { newTraffic, startBaselineTarget, startOurs } from './compare-targets.mjs';
import { tableRows } from './compare-table.mjs';
import { fmt, median, quantile } from './lib.mjs';
import { cpuSeconds, memoryMB } from './proc-stats.mjs';

const BATCH = 200; // viewers opened in parallel
const JOIN_TIMEOUT_MS = 180_000; // one viewer's join
const CONNECT_DEADLINE_MS = 20 * 60_000; // all viewers of one run
const COMMAND_TIMEOUT_MS = 15_000; // one command reaching every viewer
const SETTLE_MS = 4000; // after the commands, before the idle window (lets ours drain its outbox and report)

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @param {{ sizes?: number[], idleSeconds?: number, commands?: number, log?: (line: string) => void }} [options]
 * `commands`: 1 + a multiple of 4 (start, then adjust/pause/adjust/resume), so the timer runs in the idle window.
 */
export async function run({
  sizes = [100, 1000, 5000],
  idleSeconds = 60,
  commands = 41,
  log = (l) => console.error(l),
} = {}) {
  if (commands < 1 || (commands - 1) % 4 !== 0) throw new Error('commands must be 1 + a multiple of 4');
  const started = new Date();
  const rows = [];
  for (const viewers of sizes) {
    for (const start of [startOurs, startBaselineTarget]) {
      const t0 = Date.now();
      const target = await start();
      try {
        rows.push(await measure(target, { viewers, idleSeconds, commands, log }));
      } finally {
        await target.stop();
      }
      log(`  ${target.name} @ ${viewers}: done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
  }
  return {
    started: started.toISOString(),
    finished: new Date().toISOString(),
    sizes,
    idleSeconds,
    commands,
    batch: BATCH,
    machine: machine(),
    rows,
  };
}

/**
 * One design at one size: connect (figure 5), commands (figure 1), an idle running window (figures 2, 4) and
 * the server processes' CPU and memory (figure 3).
 * @param {import('./compare-targets.mjs').Target} target
 * @param {{ viewers: number, idleSeconds: number, commands: number, log: (line: string) => void }} o
 */
async function measure(target, { viewers, idleSeconds, commands, log }) {
  const procs = target.processes();
  if (!procs.find((p) => p.role === 'server')?.pids.length) throw new Error(`${target.name}: server process not found`);
  const pidKey = (/** @type {typeof procs} */ ps) => ps.map((p) => p.pids.join(',')).join(';');
  const firstPids = pidKey(procs);
  let pidsChanged = false;
  // Each read looks the processes up again: a restarted server would reset its counters, so it is flagged.
  const cpu = () => {
    const now = target.processes();
    if (pidKey(now) !== firstPids) pidsChanged = true;
    return now.map((p) => p.pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0));
  };
  const serverMem = () => {
    const pids = /** @type {{ pids: number[] }} */ (target.processes().find((p) => p.role === 'server')).pids;
    return pids.map(memoryMB).reduce((a, m) => ({ rss: a.rss + m.rss, peak: a.peak + m.peak }), { rss: 0, peak: 0 });
  };
  // The floor of each server's HTTP path on this machine: /health round trips before any viewer.
  const health = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    await (await fetch(`${target.url}/health`)).text();
    health.push(performance.now() - t);
  }
  const rssBefore = serverMem().rss;
  const load0 = os.loadavg()[0];
  const cpuStart = cpu();
  const traffic = newTraffic();

  // Latency bookkeeping: a viewer counts once per command, on the first message carrying the new version.
  /** @type {{ id: number, target: number, remaining: number, first: number, resolve: (t: number) => void } | null} */
  let pending = null;
  const counted = new Int32Array(viewers).fill(-1);
  let joinedCount = viewers;
  /** @param {number} i @param {number} v */
  const onVersion = (i, v) => {
    if (pending && v >= pending.target && counted[i] !== pending.id) {
      counted[i] = pending.id;
      if (pending.remaining === joinedCount) pending.first = performance.now();
      if (--pending.remaining === 0) pending.resolve(performance.now());
    }
  };

  // Figure 5: connection setup, in parallel batches, bounded by a deadline.
  log(`  ${target.name} @ ${viewers}: connecting`);
  /** @type {Array<{ close: () => void }>} */
  const open = [];
  let failed = 0;
  const tConnect = performance.now();
  const gen0 = loadGenerator();
  const deadline = Date.now() + CONNECT_DEADLINE_MS;
  for (let i = 0; i < viewers && Date.now() < deadline; i += BATCH) {
    const batch = await Promise.allSettled(
      Array.from({ length: Math.min(BATCH, viewers - i) }, (_, k) =>
        target.openViewer(i + k, traffic, onVersion, JOIN_TIMEOUT_MS),
      ),
    );
    for (const r of batch) r.status === 'fulfilled' ? open.push(r.value) : failed++;
  }
  const connectS = (performance.now() - tConnect) / 1000;
  const joined = open.length;
  joinedCount = joined;
  const cpuConnected = cpu();
  const genConnected = loadGenerator();
  try {
    // Figure 1: commands by HTTP POST, each timed to the last viewer holding its version.
    log(`  ${target.name} @ ${viewers}: ${joined} joined in ${connectS.toFixed(1)} s; ${commands} commands`);
    const latencies = [];
    const responses = []; // POST round trip alone, to tell the command path from the fan-out
    const firsts = []; // the first viewer holding the new version
    let version = await target.version();
    for (let c = 0; c < commands; c++) {
      const step = c === 0 ? 'start' : /** @type {const} */ (['adjust', 'pause', 'adjust', 'resume'])[(c - 1) % 4];
      /** @type {Promise<number>} */
      const done = new Promise(
        (resolve) => (pending = { id: c, target: version + 1, remaining: joined, first: NaN, resolve }),
      );
      const t0 = performance.now();
      version = await target.command(step, c % 8 === 1 ? 1000 : -1000);
      responses.push(performance.now() - t0);
      if (pending) pending.target = Math.min(pending.target, version);
      const t1 = await Promise.race([done, sleep(COMMAND_TIMEOUT_MS).then(() => NaN)]);
      latencies.push(t1 - t0);
      firsts.push((pending?.first ?? NaN) - t0);
      pending = null;
      await sleep(100 + Math.random() * 200);
    }
    const ok = latencies.filter(Number.isFinite);
    const genCommands = loadGenerator();

    // Figures 2 and 4: the timer runs, nobody sends a command.
    await sleep(SETTLE_MS);
    log(`  ${target.name} @ ${viewers}: idle window ${idleSeconds} s`);
    const before = { ...traffic };
    const wake0 = await target.wakeups();
    const cpuIdle0 = cpu();
    await sleep(idleSeconds * 1000);
    const cpuIdle1 = cpu();
    const wake1 = await target.wakeups();
    const perViewerMinute = (/** @type {number} */ n) => (n * 60) / idleSeconds / Math.max(1, joined);
    const idle = Object.fromEntries(
      Object.entries(traffic)
        .filter(([k]) => k !== 'dropped')
        .map(([k, v]) => [k, perViewerMinute(v - before[/** @type {keyof typeof before} */ (k)])]),
    );
    const mem = serverMem();
    const cpuEnd = cpu();
    return {
      design: target.name,
      viewers,
      joined,
      failed,
      connectS,
      connectRate: joined / connectS,
      commands,
      delivered: ok.length,
      p50: median(ok),
      p99: quantile(ok, 0.99),
      max: ok.length ? Math.max(...ok) : NaN,
      responseP50: median(responses),
      healthP50: median(health),
      firstP50: median(firsts.filter(Number.isFinite)),
      // The load generator is one Node process on the same cores: how busy it was tells whether it was the bottleneck.
      generator: { connect: since(gen0, genConnected), commands: since(genConnected, genCommands) },
      idle, // per viewer per idle running minute
      wakeupsPerMin: ((wake1 - wake0) * 60) / idleSeconds,
      wakeupSource: target.wakeupSource,
      // CPU-seconds of each server process: during the idle window (scaled to 60 s), and for the whole run.
      commit: target.commit,
      dropped: traffic.dropped,
      pidsChanged,
      processes: target.processes().map((p, k) => ({
        role: p.role,
        pids: p.pids.length,
        idleCpuPerMin: ((cpuIdle1[k] - cpuIdle0[k]) * 60) / idleSeconds,
        connectCpu: cpuConnected[k] - cpuStart[k],
        runCpu: cpuEnd[k] - cpuStart[k],
        peakMB: p.pids.reduce((sum, pid) => sum + memoryMB(pid).peak, 0),
      })),
      rssBeforeMB: rssBefore,
      loadavg: [load0, os.loadavg()[0]],
      peakMB: mem.peak,
      rssMB: mem.rss,
    };
  } finally {
    for (const v of open) v.close();
    await sleep(500);
  }
}

/** The load generator's own CPU seconds and event-loop utilisation, for `since`. */
function loadGenerator() {
  const u = process.cpuUsage();
  return { cpu: (u.user + u.system) / 1e6, elu: performance.eventLoopUtilization() };
}
/** @param {ReturnType<typeof loadGenerator>} a @param {ReturnType<typeof loadGenerator>} b */
function since(a, b) {
  return { cpuS: b.cpu - a.cpu, elu: performance.eventLoopUtilization(b.elu, a.elu).utilization };
}

/** The machine the figures come from. */
export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    ramGB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}

/** Prints the table and the per-process details. @param {Awaited<ReturnType<typeof run>>} result */
export function print(result) {
  const m = result.machine;
  console.log(
    `\nKeeptime vs Socket.IO baseline — ${result.started} — ${m.cores} cores, ${m.cpu}, ${m.ramGB} GB, Node ${m.node}`,
  );
  console.log(
    `one room per size; ${result.commands} commands; idle window ${result.idleSeconds} s; viewers opened ${result.batch} at a time\n`,
  );
  const head = ['viewers', 'figure', 'ours', 'baseline', 'ours ÷ baseline'];
  const rows = tableRows(result);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmtRow = (/** @type {string[]} */ r) =>
    r.map((c, i) => (i === 1 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  console.log(fmtRow(head));
  for (const r of rows) console.log(fmtRow(r));
  console.log('\nProcesses (CPU-s during the idle window scaled to 60 s / during connect / whole run; peak RSS MB):');
  for (const r of result.rows)
    if (r.pidsChanged)
      console.log(
        `  WARNING: ${r.design} @ ${r.viewers}: a server process restarted during the run; its CPU figures are not valid`,
      );
  for (const r of result.rows)
    console.log(
      `  ${r.design.padEnd(8)} ${String(r.viewers).padStart(5)}  load generator   connect ${fmt(r.generator.connect.cpuS, 2)} CPU-s (event loop ${fmt(100 * r.generator.connect.elu, 0)}% busy), commands ${fmt(r.generator.commands.cpuS, 2)} CPU-s (${fmt(100 * r.generator.commands.elu, 0)}% busy)`,
    );
  for (const r of result.rows)
    for (const p of r.processes)
      console.log(
        `  ${r.design.padEnd(8)} ${String(r.viewers).padStart(5)}  ${p.role.padEnd(16)} ${fmt(p.idleCpuPerMin, 2)} / ${fmt(p.connectCpu, 2)} / ${fmt(p.runCpu, 2)}   ${fmt(p.peakMB ?? NaN, 0)}`,
      );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string' },
      idle: { type: 'string' },
      commands: { type: 'string' },
      write: { type: 'boolean', default: false },
      clock: { type: 'boolean', default: false },
      note: { type: 'string' },
    },
  });
  const result = await run({
    sizes: values.sizes ? values.sizes.split(',').map(Number) : undefined,
    idleSeconds: values.idle ? Number(values.idle) : undefined,
    commands: values.commands ? Number(values.commands) : undefined,
  });
  print(result);
  // --clock: also run the clock agreement benchmark (bench/clock-agreement.mjs) and put its table in RESULTS.md.
  let clock;
  let clockMarkdown;
  if (values.clock) {
    const agreement = await import('./clock-agreement.mjs');
    clock = await agreement.run();
    clockMarkdown = agreement.markdown;
    agreement.print(clock);
  }
  if (values.write) {
    const { writeResults } = await import('./results-md.mjs');
    console.log(`\n${await writeResults(result, { clock, clockMarkdown, note: values.note })}`);
  }
  process.exit(0);
}
