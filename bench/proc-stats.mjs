// Server process figures from /proc (Linux): CPU seconds (utime + stime, all threads) and resident memory.
import fs from 'node:fs';

const CLK_TCK = 100; // sysconf(_SC_CLK_TCK) on Linux: USER_HZ is 100 on every mainstream kernel.

/** Fields after the `(comm)` of /proc/<pid>/stat; null if the process is gone. @param {number} pid */
function statFields(pid) {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = raw.lastIndexOf(')');
    return { comm: raw.slice(raw.indexOf('(') + 1, close), rest: raw.slice(close + 2).split(' ') };
  } catch {
    return null;
  }
}

/** CPU seconds a process has used so far (user + system, all its threads). @param {number} pid */
export function cpuSeconds(pid) {
  const f = statFields(pid);
  // rest[0] is field 3 (state); utime and stime are fields 14 and 15.
  return f ? (Number(f.rest[11]) + Number(f.rest[12])) / CLK_TCK : NaN;
}

/** Resident memory now and at its peak (VmRSS, VmHWM), in MB. @param {number} pid */
export function memoryMB(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (/** @type {string} */ key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return { rss: NaN, peak: NaN };
  }
}

/** Every live descendant of `pid`, as { pid, comm }, found through the ppid of each /proc entry. @param {number} pid */
export function descendants(pid) {
  /** @type {Map<number, Array<{ pid: number, comm: string }>>} */
  const children = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(Number(name));
    if (!f) continue;
    const ppid = Number(f.rest[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid)?.push({ pid: Number(name), comm: f.comm });
  }
  const out = [];
  const queue = [pid];
  while (queue.length) {
    for (const c of children.get(/** @type {number} */ (queue.shift())) ?? []) {
      out.push(c);
      queue.push(c.pid);
    }
  }
  return out;
}

/** The first descendant of `pid` whose command name starts with `comm` (e.g. workerd under wrangler). */
export function findDescendant(/** @type {number} */ pid, /** @type {string} */ comm) {
  return descendants(pid).find((p) => p.comm.startsWith(comm))?.pid ?? null;
}

/**
 * Nanoseconds of CPU a process's live threads have run (sum of the first field of /proc/<pid>/task/<tid>/schedstat),
 * for per-command figures: /proc/<pid>/stat counts in 10 ms ticks, too coarse for a few hundred commands. A thread
 * that exits takes its time with it, so this is read over short windows only. NaN if the process is gone.
 * @param {number} pid
 */
export function cpuNs(pid) {
  try {
    let sum = 0;
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      try {
        sum += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // The thread ended between the listing and the read.
      }
    }
    return sum;
  } catch {
    return NaN;
  }
}
