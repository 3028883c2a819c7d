/**
 * A `wrangler dev` that can be killed like a deploy kills it: SIGKILL to the
 * whole process group (wrangler and workerd), no goodbye to any socket. It
 * restarts on the same port with the same --persist-to directory, so Durable
 * Object storage survives, as it does across a real deploy.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assetsArgs } from '../../../scripts/assets-args.mjs';
import { freePort } from '../../integration/helpers/ports.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const WRANGLER = path.join(root, 'node_modules/wrangler/bin/wrangler.js');

export interface KillableWorker {
  readonly base: string;
  readonly port: number;
  readonly persistDir: string;
  /** Starts (or restarts) wrangler dev and resolves once /health answers. */
  start(timeoutMs?: number): Promise<void>;
  /** SIGKILL to the process group; resolves once wrangler has exited. */
  kill(): Promise<void>;
  /** Kills, then removes the storage directory. */
  close(): Promise<void>;
  logs(): string;
}

export async function killableWorker(vars: Record<string, string> = {}): Promise<KillableWorker> {
  const port = await freePort();
  const inspectorPort = await freePort();
  const persistDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-storm-'));
  const base = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let output = '';

  const kill = async () => {
    const c = child;
    child = null;
    if (!c?.pid || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    try {
      process.kill(-c.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    await exited;
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
    for (const [k, v] of Object.entries({ AUTH_RATE_PER_MIN: '100000', ...vars })) args.push('--var', `${k}:${v}`);
    const c = spawn(process.execPath, args, {
      cwd: root,
      detached: true, // its own process group, so kill() reaches workerd too
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_COLOR: '1' },
    });
    child = c;
    c.stdout?.on('data', (d) => (output = (output + d).slice(-100_000)));
    c.stderr?.on('data', (d) => (output = (output + d).slice(-100_000)));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (c.exitCode !== null || Date.now() > deadline) {
        const why = c.exitCode !== null ? `exited (${c.exitCode})` : `did not answer on ${port} within ${timeoutMs} ms`;
        await kill();
        throw new Error(`wrangler dev ${why}:\n${output.slice(-4000)}`);
      }
      try {
        if ((await fetch(`${base}/health`, { signal: AbortSignal.timeout(2_000) })).ok) return;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  return {
    base,
    port,
    persistDir,
    start,
    kill,
    async close() {
      await kill();
      fs.rmSync(persistDir, { recursive: true, force: true });
    },
    logs: () => output,
  };
}
