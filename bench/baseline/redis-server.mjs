// A private redis-server for the baseline (no persistence, its own free port); never the shared :6379.
import { spawn } from 'node:child_process';
import { redisAnswers } from '../../scripts/local/services.mjs';
import { freePort } from '../../scripts/lib.mjs';

/**
 * Starts redis-server (REDIS_SERVER_BIN, default `redis-server` on PATH) and waits until it answers PING.
 * @returns {Promise<{ url: string, port: number, pid: number, stop: () => Promise<void> }>}
 */
export async function startPrivateRedis() {
  const bin = process.env.REDIS_SERVER_BIN ?? 'redis-server';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const url = `redis://127.0.0.1:${port}`;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && child.exitCode === null) {
      if (await redisAnswers(url))
        return { url, port, pid: /** @type {number} */ (child.pid), stop: () => stopChild(child) };
      await new Promise((r) => setTimeout(r, 50));
    }
    await stopChild(child);
    // The port may have been taken between freePort() and the spawn: try another.
    if (!/Address already in use/.test(output)) throw new Error(`redis-server did not start on ${port}:\n${output}`);
  }
  throw new Error('redis-server: no free port after 3 attempts');
}

/** @param {import('node:child_process').ChildProcess} child */
export async function stopChild(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(/** @type {NodeJS.Signals} */ (signal));
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
}
