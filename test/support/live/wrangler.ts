/**
 * `wrangler dev` for the tests that run against a real runtime (mirrors,
 * resilience-live): its own port, inspector port and storage, in its own
 * process group. It stops gently (SIGTERM, as a developer would) or is killed
 * as a deploy kills it (SIGKILL to wrangler and workerd, no goodbye to any
 * socket); either way it restarts on the same port with the same storage, so
 * the Worker's address and its Durable Objects survive.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assetsArgs } from '../../../scripts/assets-args.mjs';
import { devVarArgs } from '../../../scripts/dev-vars.mjs';
import { freePort } from '../../integration/helpers/ports.ts';
import { scaled } from '../time-scale.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const WRANGLER = path.join(root, 'node_modules/wrangler/bin/wrangler.js');

/** A service that can be stopped and started again on the same port. */
export interface Restartable {
  readonly running: boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface WranglerDev extends Restartable {
  readonly base: string;
  readonly port: number;
  /** The Durable Object storage directory, kept across restarts and removed by close(). */
  readonly persistDir: string;
  /** Starts (or restarts) wrangler dev and resolves once /health answers; `timeoutMs` is a quiet-machine figure. */
  start(timeoutMs?: number): Promise<void>;
  /** SIGTERM to the process group, SIGKILL after a grace period; resolves once wrangler has exited. */
  stop(): Promise<void>;
  /** SIGKILL to the process group (what a deploy does); resolves once wrangler has exited. */
  kill(): Promise<void>;
  /** Kills, then removes the storage directory. */
  close(): Promise<void>;
  logs(): string;
  /** The wrangler process (and process group) id. */
  pid(): number | null;
  /** CPU seconds used so far by every live process of the group. */
  cpuSeconds(): number;
}

/** Prepares a `wrangler dev` with `vars` (AUTH_RATE_PER_MIN defaults to 100000); call start() to run it. */
export async function wranglerDev(vars: Record<string, string> = {}, tmpPrefix = 'kt-live-'): Promise<WranglerDev> {
  const port = await freePort();
  const inspectorPort = await freePort();
  const persistDir = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
  const base = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let output = '';

  const end = async (graceMs: number | null) => {
    const c = child;
    child = null;
    if (c) await stopChild(c, graceMs, true);
  };

  const start = async (timeoutMs = 120_000) => {
    if (child) return;
    const args = [
      WRANGLER,
      'dev',
      '--port',
      String(port),
      '--ip',
      '127.0.0.1',
      '--inspector-port',
      String(inspectorPort),
      '--persist-to',
      persistDir,
      '--show-interactive-dev-session=false',
      ...assetsArgs(root),
    ];
    // Every live client comes from 127.0.0.1, and the traffic drivers start sessions back to back for minutes
    // (docs/api.md "Caps and quotas").
    const caps = { WS_MAX_PER_IP: '100000', QUOTA_SESSION_STARTS_PER_HOUR: '1000000', QUOTA_RACKS_PER_USER: '10000' };
    args.push(...devVarArgs({ AUTH_RATE_PER_MIN: '100000', ...caps, ...vars }));
    const c = spawn(process.execPath, args, {
      cwd: root,
      detached: true, // its own process group, so a stop or kill reaches workerd too
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_COLOR: '1' },
    });
    child = c;
    c.stdout?.on('data', (d) => (output = (output + d).slice(-200_000)));
    c.stderr?.on('data', (d) => (output = (output + d).slice(-200_000)));
    const limit = scaled(timeoutMs);
    const deadline = Date.now() + limit;
    for (;;) {
      if (c.exitCode !== null || Date.now() > deadline) {
        const why = c.exitCode !== null ? `exited (${c.exitCode})` : `did not answer on ${port} within ${limit} ms`;
        // A failed build leaves wrangler waiting for a fix: end it rather than leave it behind.
        await end(null);
        throw new Error(`wrangler dev ${why}:\n${output.slice(-4000)}`);
      }
      try {
        if ((await fetch(`${base}/health`, { signal: AbortSignal.timeout(2_000) })).ok) return;
      } catch {
        /* not up yet */
      }
      await sleep(100);
    }
  };

  return {
    base,
    port,
    persistDir,
    get running() {
      return child !== null;
    },
    start,
    stop: () => end(10_000),
    kill: () => end(null),
    async close() {
      await end(null);
      fs.rmSync(persistDir, { recursive: true, force: true });
    },
    logs: () => output,
    pid: () => child?.pid ?? null,
    cpuSeconds: () => (child?.pid ? groupCpuSeconds(child.pid) : 0),
  };
}

/** User + system CPU time, in seconds, of every live process in process group `pgid` (Linux /proc). */
function groupCpuSeconds(pgid: number): number {
  let ticks = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after "(comm) ": state ppid pgrp … utime (12th) stime (13th).
      const f = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      if (Number(f[2]) === pgid) ticks += Number(f[11]) + Number(f[12]);
    } catch {
      /* the process ended meanwhile */
    }
  }
  return ticks / 100; // USER_HZ
}

/**
 * Ends `child` (its process group when `group`): SIGTERM then SIGKILL after `graceMs`, or SIGKILL at once when
 * `graceMs` is null. Resolves once it exited.
 */
export async function stopChild(child: ChildProcess, graceMs: number | null, group = false): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (s: NodeJS.Signals) => {
    try {
      if (group && child.pid) process.kill(-child.pid, s);
      else child.kill(s);
    } catch {
      /* already gone */
    }
  };
  signal(graceMs === null ? 'SIGKILL' : 'SIGTERM');
  const timer = graceMs === null ? null : setTimeout(() => signal('SIGKILL'), graceMs);
  await exited;
  if (timer) clearTimeout(timer);
  // workerd may outlive wrangler by a moment: make sure the group is gone.
  if (group) signal('SIGKILL');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
