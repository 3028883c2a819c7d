// The comparison table: one line per figure and size, ours | baseline | ours ÷ baseline.
import { fmt } from './lib.mjs';

const ratio = (/** @type {number} */ a, /** @type {number} */ b) => (b === 0 ? (a === 0 ? 'n/a' : '∞') : fmt(a / b, 2));

/**
 * The table: one line per figure and size, ours | baseline | ours ÷ baseline.
 * @param {Awaited<ReturnType<typeof import('./compare.mjs').run>>} result
 */
export function tableRows(result) {
  /** @type {Array<[string, string, string, string, string]>} */
  const out = [];
  for (const viewers of result.sizes) {
    const o = result.rows.find((r) => r.design === 'ours' && r.viewers === viewers);
    const b = result.rows.find((r) => r.design === 'baseline' && r.viewers === viewers);
    if (!o || !b) continue;
    const line = (/** @type {string} */ name, /** @type {(r: typeof o) => number} */ f, d = 1) =>
      out.push([String(viewers), name, fmt(f(o), d), fmt(f(b), d), ratio(f(o), f(b))]);
    const srv = (/** @type {typeof o} */ r) =>
      /** @type {NonNullable<typeof r>['processes'][number]} */ (r.processes.find((p) => p.role === 'server'));
    const k = viewers / 1000;
    line('1. latency p50 (ms)', (r) => r.p50);
    line('1. latency p99 (ms)', (r) => r.p99);
    line('1. latency max (ms)', (r) => r.max);
    line('1. commands delivered to all', (r) => r.delivered, 0);
    line('1. (first viewer p50, ms)', (r) => r.firstP50);
    line('1. (POST response alone p50, ms)', (r) => r.responseP50);
    line('1. (GET /health round trip p50, ms)', (r) => r.healthP50);
    line('2. msgs received / viewer / idle min', (r) => r.idle.rxFrames - r.idle.keepaliveFrames, 2);
    line('2. bytes received / viewer / idle min', (r) => r.idle.rxBytes, 0);
    line('2. keepalives received / viewer / idle min', (r) => r.idle.keepaliveFrames, 2);
    line('2. frames sent by client / viewer / idle min', (r) => r.idle.txFrames, 2);
    line('3. server CPU-s per 1k viewers, idle 60 s', (r) => srv(r).idleCpuPerMin / k, 3);
    line('3. server CPU-s per 1k viewers, whole run', (r) => srv(r).runCpu / k, 2);
    line('3. server peak RSS per 1k viewers (MB)', (r) => r.peakMB / k, 0);
    line('3. server peak RSS (MB)', (r) => r.peakMB, 0);
    line('3. server RSS growth over the run (MB)', (r) => r.rssMB - r.rssBeforeMB, 0);
    line('4. wake-ups / idle running min', (r) => r.wakeupsPerMin, 1);
    line('5. setup rate (viewers/s until all joined)', (r) => r.connectRate, 0);
    line('5. viewers joined', (r) => r.joined, 0);
    line('5. viewers dropped after joining', (r) => r.dropped, 0);
  }
  return out;
}
