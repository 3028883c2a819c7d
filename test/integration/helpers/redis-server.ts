/** A private redis-server for one test file: its own port, no persistence. */
import { type ChildProcess, spawn } from 'node:child_process';
import { redisAnswers } from '../../../scripts/local/services.mjs';
import { scaled } from '../../support/time-scale.ts';
import { freePort } from './ports.ts';

export interface TestRedis {
  url: string;
  port: number;
  stop: () => Promise<void>;
}

/** Starts redis-server (REDIS_SERVER_BIN, default `redis-server` on PATH) and waits until it answers PING. */
export async function startRedisServer(): Promise<TestRedis> {
  const bin = process.env.REDIS_SERVER_BIN ?? 'redis-server';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    const url = `redis://127.0.0.1:${port}`;
    const deadline = Date.now() + scaled(10_000);
    while (Date.now() < deadline && child.exitCode === null) {
      if (await redisAnswers(url)) return { url, port, stop: () => stopChild(child) };
      await new Promise((r) => setTimeout(r, 50));
    }
    await stopChild(child);
    // The port may have been taken between freePort() and the spawn: try another.
    if (!/Address already in use/.test(output)) throw new Error(`redis-server did not start on ${port}:\n${output}`);
  }
  throw new Error('redis-server: no free port after 3 attempts');
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}
