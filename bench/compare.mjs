// Five targets side by side, in one run, interleaved (bench/compare-targets.mjs): Keeptime under one workerd,
// Keeptime under `wrangler dev`, the Socket.IO baseline, a bare `ws` floor, and a bare Durable Object under one workerd
// (the runtime's own floor). At each size every target runs at
// once, each with its own viewers, and their commands take turns (the order rotates each round), so the machine's
// noise falls on all of them alike. Viewers are spread over several load-generator processes (bench/load-child.mjs).
// node --experimental-transform-types --no-warnings bench/compare.mjs [--sizes 100,1000] [--targets workerd,floor]
//   [--commands 40] [--cpu-commands 60] [--idle 20] [--children 4] [--wrangler-max 1000] [--write] [--clock]
//   [--join-deadline 240] [--baseline-coalesce-from 5000] [--max-minutes N]
// Every phase is bounded: joins by --join-deadline per target (the viewers joined by then are measured, and the row
// says what stopped the rest), commands by 15 s each, the whole run by --max-minutes (then it stops its servers).
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { FDS_PER_VIEWER, START, TARGETS } from './compare-targets.mjs';
import { tableRows } from './compare-table.mjs';
import { median, quantile } from './lib.mjs';
import { cpuNs, cpuSeconds, memoryMB } from './proc-stats.mjs';

const BATCH = 100; // viewers each load-generator process opens in parallel
const JOIN_TIMEOUT_MS = 120_000; // one viewer's join
const COMMAND_TIMEOUT_MS = 15_000; // one command reaching every viewer
const SETTLE_MS = 3000; // before the idle window (lets ours drain its outbox and report)
const FD_MARGIN = 300; // descriptors a server or load-generator process needs besides its viewers' sockets
/** The baseline's `user-count` coalescing when it is on: Keeptime's rooms' presence gap (durable-objects/rooms). */
const BASELINE_PRESENCE_MS = 500;

/** This process's open-files limit (soft; children inherit it). */
export function openFilesLimit() {
  try {
    const m = /Max open files\s+(\d+|unlimited)/.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
    return m && m[1] !== 'unlimited' ? Number(m[1]) : Infinity;
  } catch {
    return Infinity;
  }
}
const LATENCY_CYCLE = /** @type {const} */ (['resume', 'adjust', 'pause', 'adjust']); // from paused, back to paused

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));
const hr = () => Number(process.hrtime.bigint());

/** @typedef {import('./compare-targets.mjs').Target} Target */

/** Load-generator processes and a request/answer layer over their IPC. */
function startGenerators(/** @type {number} */ n) {
  const kids = Array.from({ length: n }, () =>
    fork(path.join(import.meta.dirname, 'load-child.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  let next = 0;
  /** @type {Map<string, (m: any) => void>} */
  const waiting = new Map();
  kids.forEach((k, j) =>
    k.on('message', (/** @type {any} */ m) => {
      const key = `${j}:${m.id ?? m.target}:${m.op}`;
      waiting.get(key)?.(m);
      waiting.delete(key);
    }),
  );
  /** @param {number} j @param {any} msg @param {string} replyOp */
  const ask = (j, msg, replyOp) =>
    new Promise((resolve) => {
      waiting.set(`${j}:${msg.id ?? msg.target}:${replyOp}`, resolve);
      kids[j].send(msg);
    });
  return {
    n,
    pids: () => kids.map((k) => /** @type {number} */ (k.pid)),
    /** @param {string} target @param {Target['spec']} spec @param {number} count @param {number} deadlineS */
    async open(target, spec, count, deadlineS) {
      const share = (/** @type {number} */ j) => Math.floor(count / n) + (j < count % n ? 1 : 0);
      const deadline = Date.now() + deadlineS * 1000;
      const replies = await Promise.all(
        kids.map((_, j) =>
          ask(
            j,
            {
              op: 'open',
              target,
              spec,
              count: share(j),
              batch: BATCH,
              timeoutMs: JOIN_TIMEOUT_MS,
              deadline,
              deadlineS,
            },
            'opened',
          ),
        ),
      );
      return {
        joined: replies.reduce((s, r) => s + r.joined, 0),
        failed: replies.reduce((s, r) => s + r.failed, 0),
        error: replies.find((r) => r.error)?.error,
        stopped: replies.find((r) => r.stopped)?.stopped,
      };
    },
    /** When every viewer of `target` first held ≥ version: {first, last} in hrtime ns, and how many never did. */
    async reached(/** @type {string} */ target, /** @type {number} */ version) {
      const id = ++next;
      const replies = await Promise.all(
        kids.map((_, j) => ask(j, { op: 'wait', id, target, version, timeoutMs: COMMAND_TIMEOUT_MS }, 'reached')),
      );
      return {
        first: Math.min(...replies.map((r) => r.first)),
        last: Math.max(...replies.map((r) => r.last)),
        missing: replies.reduce((s, r) => s + r.missing, 0),
      };
    },
    async traffic() {
      const id = ++next;
      const replies = await Promise.all(kids.map((_, j) => ask(j, { op: 'traffic', id }, 'traffic')));
      /** @type {Record<string, Record<string, number>>} */
      const sum = {};
      for (const r of replies)
        for (const [t, tr] of Object.entries(r.byTarget)) {
          sum[t] ??= {};
          for (const [k, v] of Object.entries(/** @type {Record<string, number>} */ (tr)))
            sum[t][k] = (sum[t][k] ?? 0) + v;
        }
      return sum;
    },
    async close(/** @type {string} */ target) {
      await Promise.all(kids.map((_, j) => ask(j, { op: 'close', target }, 'closed')));
    },
    stop: () => kids.forEach((k) => k.kill()),
  };
}

/** CPU of a target's serving processes: ns (schedstat, fine) and s (/proc stat, whole-process). @param {Target} t */
function serverCpu(t) {
  const pids = t.processes().flatMap((p) => (p.serves ? p.pids : []));
  return { ns: pids.reduce((s, pid) => s + cpuNs(pid), 0), s: pids.reduce((s, pid) => s + cpuSeconds(pid), 0) };
}

/**
 * Server CPU per command over `n` adjust commands on a paused timer (so the baseline's 1 s tick is not running),
 * each awaited until every viewer holds it. µs per command, from /proc schedstat deltas of the serving processes.
 * @param {Target} t @param {ReturnType<typeof startGenerators> | null} gens @param {number} n
 */
async function cpuPerCommand(t, gens, n) {
  const c0 = serverCpu(t);
  const w0 = hr();
  for (let i = 0; i < n; i++) {
    const v = await t.command('adjust', i % 2 ? 1000 : -1000);
    if (gens) await gens.reached(t.name, v);
  }
  const c1 = serverCpu(t);
  return { us: (c1.ns - c0.ns) / n / 1000, wallMs: (hr() - w0) / n / 1e6 };
}

/**
 * @param {{ sizes?: number[], targets?: string[], commands?: number, cpuCommands?: number, idleSeconds?: number,
 *   children?: number, wranglerMax?: number, joinDeadlineS?: number, baselineCoalesceFrom?: number,
 *   log?: (line: string) => void }} [options]
 */
export async function run({
  sizes = [100, 1000],
  targets = [...TARGETS],
  commands = 40,
  cpuCommands = 60,
  idleSeconds = 20,
  children = 4,
  wranglerMax = 1000,
  joinDeadlineS = 240,
  baselineCoalesceFrom = 5000,
  log = (l) => console.error(l),
  onSize = async (/** @type {any} */ _partial) => {},
} = {}) {
  if (commands % 4 !== 0) throw new Error('commands must be a multiple of 4 (resume/adjust/pause/adjust)');
  const started = new Date();
  const rows = [];
  /** @type {Array<{ target: string, viewers: number, reason: string }>} */
  const skipped = [];
  const fdLimit = openFilesLimit();
  for (const viewers of sizes) {
    const names = targets.filter((n) => {
      // A server process holds its viewers' sockets: past the open-files limit it could not accept them (EMFILE).
      const fds = viewers * (FDS_PER_VIEWER[n] ?? 1) + FD_MARGIN;
      if (fds > fdLimit) {
        skipped.push({
          target: n,
          viewers,
          reason: `the open-files limit: one process would need ≈ ${fds} descriptors, the limit (ulimit -n) is ${fdLimit}${n === 'wrangler' ? ' (wrangler dev proxies every socket through a second workerd)' : n.startsWith('workerd') ? ' (workerd holds two descriptors per accepted socket)' : ''}`,
        });
        return false;
      }
      if (n === 'wrangler' && viewers > wranglerMax) {
        skipped.push({
          target: n,
          viewers,
          reason: `wrangler dev proxies every socket through a second workerd; the two hit the 20,000 open-files limit near 4,800 viewers, and it joins slowest (--wrangler-max ${wranglerMax})`,
        });
        return false;
      }
      return true;
    });
    // Each load-generator process holds its share of every target's viewers: enough processes to stay under the limit.
    const clientFds = viewers * names.length;
    const kids = Math.max(children, Math.ceil(clientFds / Math.max(1, fdLimit - FD_MARGIN)));
    if (kids > children) log(`size ${viewers}: ${kids} load-generator processes (the open-files limit is ${fdLimit})`);
    const baselinePresenceMs = viewers >= baselineCoalesceFrom ? BASELINE_PRESENCE_MS : 0;
    log(`size ${viewers}: starting ${names.join(', ')}`);
    rows.push(
      ...(await measureSize(names, viewers, {
        commands,
        cpuCommands,
        idleSeconds,
        children: kids,
        joinDeadlineS,
        baselinePresenceMs,
        log,
      })),
    );
    await onSize(summary(sizes.slice(0, sizes.indexOf(viewers) + 1)));
  }
  return summary(sizes);
  /** @param {number[]} done */
  function summary(done) {
    return {
      started: started.toISOString(),
      finished: new Date().toISOString(),
      sizes: done,
      targets,
      commands,
      cpuCommands,
      idleSeconds,
      children,
      joinDeadlineS,
      baselineCoalesceFrom,
      openFilesLimit: fdLimit,
      batch: BATCH,
      machine: machine(),
      skipped,
      rows,
    };
  }
}

/**
 * Every target at one size, interleaved.
 * @param {string[]} names
 * @param {number} viewers
 * @param {{ commands: number, cpuCommands: number, idleSeconds: number, children: number, joinDeadlineS: number,
 *   baselinePresenceMs: number, log: (l: string) => void }} o
 */
async function measureSize(
  names,
  viewers,
  { commands, cpuCommands, idleSeconds, children, joinDeadlineS, baselinePresenceMs, log },
) {
  /** @type {Target[]} */
  const ts = [];
  const gens = startGenerators(children);
  // Interrupted (Ctrl-C, SIGTERM): the servers and load generators are children; stop them rather than orphan them.
  const onSignal = async () => {
    gens.stop();
    await Promise.all(ts.map((t) => t.stop().catch(() => {})));
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const load = { start: os.loadavg(), end: os.loadavg() };
  try {
    for (const n of names) ts.push(await START[/** @type {keyof typeof START} */ (n)]({ baselinePresenceMs }));
    /** @type {Record<string, any>} */
    const r = Object.fromEntries(ts.map((t) => [t.name, { design: t.name, viewers, commit: t.commit }]));
    if (r.baseline) r.baseline.presenceCoalesceMs = baselinePresenceMs;
    const firstPids = Object.fromEntries(ts.map((t) => [t.name, JSON.stringify(t.processes())]));

    // The floor of each server's HTTP path on this machine: /health round trips before any viewer, interleaved.
    const health = Object.fromEntries(ts.map((t) => [t.name, /** @type {number[]} */ ([])]));
    for (let i = 0; i < 20; i++)
      for (const t of ts) {
        const t0 = hr();
        await (await fetch(`${t.url}/health`)).text();
        health[t.name].push((hr() - t0) / 1e6);
      }
    for (const t of ts) {
      r[t.name].healthP50 = median(health[t.name]);
      r[t.name].rssBeforeMB = sumMem(t).rss;
      r[t.name].cpuStart = serverCpu(t).s;
    }

    // The fixed cost of a command: no viewers at all (start, pause, then adjusts on the paused timer).
    for (const t of ts) {
      await t.command('start');
      await t.command('pause');
      r[t.name].cpuFixed = await cpuPerCommand(t, null, cpuCommands);
    }

    // Viewers, target by target, each spread over every load-generator process.
    for (const t of ts) {
      log(`  ${t.name} @ ${viewers}: connecting`);
      const c0 = serverCpu(t).s;
      const t0 = hr();
      const o = await gens.open(t.name, t.spec, viewers, joinDeadlineS);
      const s = (hr() - t0) / 1e9;
      Object.assign(r[t.name], {
        joined: o.joined,
        failed: o.failed,
        joinError: o.error,
        // What kept the room below its size: the join deadline, a refused batch (EMFILE: the open-files limit), …
        joinStopped: o.joined < viewers ? (o.stopped ?? o.error ?? 'unknown') : undefined,
        connectS: s,
        connectRate: o.joined / s,
        connectCpu: serverCpu(t).s - c0,
      });
      log(
        `  ${t.name} @ ${viewers}: ${o.joined} joined in ${s.toFixed(1)} s${o.failed ? ` (${o.failed} failed: ${o.error})` : ''}${o.joined < viewers ? `; stopped: ${o.stopped ?? o.error}` : ''}`,
      );
    }
    const live = ts.filter((t) => r[t.name].joined > 0);

    // Latency: commands take turns across targets; the order rotates each round.
    log(`  ${viewers}: ${commands} commands per target, interleaved`);
    const lat = Object.fromEntries(
      live.map((t) => [
        t.name,
        {
          all: /** @type {number[]} */ ([]),
          first: /** @type {number[]} */ ([]),
          resp: /** @type {number[]} */ ([]),
          undelivered: 0,
        },
      ]),
    );
    const genCpu0 = gens.pids().reduce((s, p) => s + cpuSeconds(p), 0);
    const wall0 = hr();
    for (let c = 0; c < commands; c++) {
      const step = LATENCY_CYCLE[c % 4];
      for (let k = 0; k < live.length; k++) {
        const t = live[(c + k) % live.length];
        const t0 = hr();
        const v = await t.command(step, c % 8 === 1 ? 1000 : -1000);
        const t1 = hr();
        const got = await gens.reached(t.name, v);
        const L = lat[t.name];
        L.resp.push((t1 - t0) / 1e6);
        if (got.missing > 0) L.undelivered++;
        else {
          L.all.push((got.last - t0) / 1e6);
          L.first.push((got.first - t0) / 1e6);
        }
        await sleep(30 + Math.random() * 70);
      }
    }
    const genBusy = (gens.pids().reduce((s, p) => s + cpuSeconds(p), 0) - genCpu0) / ((hr() - wall0) / 1e9);
    for (const t of live) {
      const L = lat[t.name];
      Object.assign(r[t.name], {
        commands,
        delivered: L.all.length,
        p50: median(L.all),
        p99: quantile(L.all, 0.99),
        max: L.all.length ? Math.max(...L.all) : NaN,
        firstP50: median(L.first),
        responseP50: median(L.resp),
        generatorBusy: genBusy,
      });
    }

    // Server CPU per command with the viewers on: adjusts on the paused timer, one target at a time.
    for (const t of live) {
      const c = await cpuPerCommand(t, gens, cpuCommands);
      const f = r[t.name].cpuFixed;
      Object.assign(r[t.name], {
        cpuPerCommandUs: c.us,
        cpuFixedUs: f.us,
        usPerViewerPerBroadcast: (c.us - f.us) / r[t.name].joined,
      });
    }

    // Idle: every timer runs, nobody sends a command.
    for (const t of live) await t.command('resume');
    await sleep(SETTLE_MS);
    log(`  ${viewers}: idle window ${idleSeconds} s`);
    const tr0 = await gens.traffic();
    const wake0 = await Promise.all(live.map((t) => t.wakeups()));
    const idle0 = live.map((t) => serverCpu(t).s);
    await sleep(idleSeconds * 1000);
    const idle1 = live.map((t) => serverCpu(t).s);
    const wake1 = await Promise.all(live.map((t) => t.wakeups()));
    const tr1 = await gens.traffic();
    live.forEach((t, k) => {
      const perViewerMinute = (/** @type {number} */ n) => (n * 60) / idleSeconds / Math.max(1, r[t.name].joined);
      const a = tr0[t.name] ?? {};
      const b = tr1[t.name] ?? {};
      r[t.name].idle = Object.fromEntries(
        Object.keys(b)
          .filter((key) => key !== 'dropped')
          .map((key) => [key, perViewerMinute(b[key] - (a[key] ?? 0))]),
      );
      r[t.name].dropped = b.dropped ?? 0;
      r[t.name].idleCpuPerMin = ((idle1[k] - idle0[k]) * 60) / idleSeconds;
      const w0 = wake0[k];
      const w1 = wake1[k];
      r[t.name].wakeupsPerMin = w0 === null || w1 === null ? null : ((w1 - w0) * 60) / idleSeconds;
      r[t.name].wakeupSource = t.wakeupSource;
    });
    load.end = os.loadavg();
    for (const t of ts) {
      const m = sumMem(t);
      Object.assign(r[t.name], {
        runCpu: serverCpu(t).s - r[t.name].cpuStart,
        peakMB: m.peak,
        rssMB: m.rss,
        loadavg: [load.start[0], load.end[0]],
        pidsChanged: JSON.stringify(t.processes()) !== firstPids[t.name],
        processes: t.processes().map((p) => ({
          role: p.role,
          serves: p.serves,
          cpuS: p.pids.reduce((s, pid) => s + cpuSeconds(pid), 0),
          peakMB: p.pids.reduce((s, pid) => s + memoryMB(pid).peak, 0),
        })),
      });
    }
    for (const t of ts) await gens.close(t.name);
    return ts.map((t) => r[t.name]);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    gens.stop();
    for (const t of ts) await t.stop().catch(() => {});
  }
}

/** Resident memory of a target's serving processes, summed. @param {Target} t */
function sumMem(t) {
  return t
    .processes()
    .flatMap((p) => (p.serves ? p.pids : []))
    .map(memoryMB)
    .reduce((a, m) => ({ rss: a.rss + m.rss, peak: a.peak + m.peak }), { rss: 0, peak: 0 });
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

/** Prints the table. @param {Awaited<ReturnType<typeof run>>} result */
export function print(result) {
  const m = result.machine;
  console.log(
    `\nTargets (${result.targets?.join(', ') ?? 'all'}) — ${result.started} — ${m.cores} cores, ${m.cpu}, ${m.ramGB} GB, Node ${m.node}`,
  );
  console.log(
    `one room per target and size; ${result.commands} commands each, interleaved; ${result.cpuCommands} for CPU; ${result.children} load-generator processes; idle ${result.idleSeconds} s\n`,
  );
  const { head, rows } = tableRows(result);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (/** @type {string[]} */ r) => r.map((c, i) => (i === 1 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  for (const s of result.skipped) console.log(`  not run: ${s.target} @ ${s.viewers}: ${s.reason}`);
  for (const r of result.rows) {
    if (r.pidsChanged)
      console.log(`  WARNING: ${r.design} @ ${r.viewers}: a server process restarted; CPU figures invalid`);
    if (r.failed) console.log(`  ${r.design} @ ${r.viewers}: ${r.failed} viewers failed to join: ${r.joinError}`);
    if (r.joinStopped) console.log(`  ${r.design} @ ${r.viewers}: held ${r.joined}; stopped by ${r.joinStopped}`);
    if (r.presenceCoalesceMs)
      console.log(
        `  baseline @ ${r.viewers}: user-count coalesced to one per ${r.presenceCoalesceMs} ms (not the seed's per join)`,
      );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string' },
      targets: { type: 'string' },
      commands: { type: 'string' },
      'cpu-commands': { type: 'string' },
      idle: { type: 'string' },
      children: { type: 'string' },
      'wrangler-max': { type: 'string' },
      'join-deadline': { type: 'string' },
      'baseline-coalesce-from': { type: 'string' },
      'max-minutes': { type: 'string' },
      write: { type: 'boolean', default: false },
      clock: { type: 'boolean', default: false },
      note: { type: 'string' },
    },
  });
  const num = (/** @type {string | undefined} */ v) => (v === undefined ? undefined : Number(v));
  // The whole run's time bound: past it, stop every server and load generator (sizes already done stay written).
  const maxMinutes = num(values['max-minutes']);
  if (maxMinutes)
    setTimeout(() => {
      console.error(`time bound: ${maxMinutes} min reached; stopping (finished sizes were written with --write)`);
      process.kill(process.pid, 'SIGTERM');
    }, maxMinutes * 60_000).unref();
  const result = await run({
    sizes: values.sizes ? values.sizes.split(',').map(Number) : undefined,
    targets: values.targets ? values.targets.split(',') : undefined,
    commands: num(values.commands),
    cpuCommands: num(values['cpu-commands']),
    idleSeconds: num(values.idle),
    children: num(values.children),
    wranglerMax: num(values['wrangler-max']),
    joinDeadlineS: num(values['join-deadline']),
    baselineCoalesceFrom: num(values['baseline-coalesce-from']),
    // Each finished size is written at once, so a long run that is stopped keeps what it measured.
    onSize: async (partial) => {
      if (!values.write) return;
      const { writeResults } = await import('./results-md.mjs');
      console.error(
        `  ${await writeResults(partial, { note: values.note })} (sizes so far: ${partial.sizes.join(', ')})`,
      );
    },
  });
  print(result);
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
