// The comparison table: one line per figure and size; a column per target, then Keeptime-under-one-workerd against
// the baseline, the floor and the runtime's floor (ratios of figures measured in the same run).
import { fmt } from './lib.mjs';

const ratio = (/** @type {number} */ a, /** @type {number} */ b) =>
  !Number.isFinite(a) || !Number.isFinite(b) ? 'n/a' : b === 0 ? (a === 0 ? 'n/a' : '∞') : fmt(a / b, 2);
const ALL = ['workerd', 'workerd+', 'wrangler', 'baseline', 'floor', 'workerd-floor'];

/** @typedef {Record<string, any>} Row */
/** @type {Array<[string, (r: Row) => number | null | undefined, number]>} */
export const FIGURES = [
  ['1. latency p50 (ms)', (r) => r.p50, 1],
  ['1. latency p99 (ms)', (r) => r.p99, 1],
  ['1. latency max (ms)', (r) => r.max, 1],
  ['1. commands delivered to all', (r) => r.delivered, 0],
  ['1. (first viewer p50, ms)', (r) => r.firstP50, 1],
  ['1. (POST response alone p50, ms)', (r) => r.responseP50, 1],
  ['1. (GET /health round trip p50, ms)', (r) => r.healthP50, 1],
  ['2. server CPU µs per command, no viewers', (r) => r.cpuFixedUs, 0],
  ['2. server CPU µs per command, with the viewers', (r) => r.cpuPerCommandUs, 0],
  ['2. server CPU µs per viewer per broadcast', (r) => r.usPerViewerPerBroadcast, 2],
  ['3. msgs received / viewer / idle min', (r) => (r.idle ? r.idle.rxFrames - r.idle.keepaliveFrames : NaN), 2],
  ['3. keepalives received / viewer / idle min', (r) => r.idle?.keepaliveFrames, 2],
  ['3. frames sent by client / viewer / idle min', (r) => r.idle?.txFrames, 2],
  ['3. wake-ups / idle running min', (r) => r.wakeupsPerMin, 1],
  ['3. server CPU-s per 1k viewers per idle min', (r) => r.idleCpuPerMin / (r.viewers / 1000), 3],
  ['4. server peak RSS (MB)', (r) => r.peakMB, 0],
  ['5. setup rate (viewers/s)', (r) => r.connectRate, 0],
  ['5. viewers joined', (r) => r.joined, 0],
  ['5. viewers dropped after joining', (r) => r.dropped, 0],
];

/**
 * @param {{ sizes: number[], rows: Row[] }} result
 * @returns {{ head: string[], rows: string[][] }}
 */
export function tableRows(result) {
  const COLUMNS = ALL.filter((c) => result.rows.some((r) => r.design === c));
  const head = ['viewers', 'figure', ...COLUMNS, 'workerd ÷ baseline', 'workerd ÷ floor', 'workerd ÷ workerd-floor'];
  /** @type {string[][]} */
  const rows = [];
  for (const viewers of result.sizes) {
    const at = Object.fromEntries(
      COLUMNS.map((c) => [c, result.rows.find((r) => r.design === c && r.viewers === viewers)]),
    );
    if (!Object.values(at).some(Boolean)) continue;
    for (const [name, f, d] of FIGURES) {
      const v = (/** @type {string} */ c) => (at[c] ? (f(at[c]) ?? NaN) : NaN);
      const cell = (/** @type {string} */ c) => (at[c] ? fmt(v(c), d) : '—');
      rows.push([
        String(viewers),
        name,
        ...COLUMNS.map(cell),
        ratio(v('workerd'), v('baseline')),
        ratio(v('workerd'), v('floor')),
        ratio(v('workerd'), v('workerd-floor')),
      ]);
    }
  }
  return { head, rows };
}
