// Runs the baseline in its own Node process (so its CPU and RSS can be read from /proc) and talks to it over HTTP.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { stopChild } from './redis-server.mjs';

const SERVER = path.join(import.meta.dirname, 'server.mjs');

/**
 * Starts `node bench/baseline/server.mjs` as a child and waits for "baseline listening on N".
 * `counters()` is async here: it reads GET /debug/counters.
 * `presenceCoalesceMs`: see startBaseline in server.mjs (0, the default, is the seed's design).
 * @param {{ port?: number, redisUrl?: string, timeoutMs?: number, presenceCoalesceMs?: number }} [options]
 */
export async function spawnBaseline({ port = 0, redisUrl, timeoutMs = 30_000, presenceCoalesceMs = 0 } = {}) {
  const args = [SERVER, '--port', String(port), ...(redisUrl ? ['--redis', redisUrl] : [])];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, BASELINE_PRESENCE_COALESCE_MS: String(presenceCoalesceMs) },
  });
  let output = '';
  const bound = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`baseline did not start within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (/** @type {Buffer} */ d) => {
      output += d;
      const m = /baseline listening on (\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d) => (output += d));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`baseline exited with ${code}:\n${output}`));
    });
  });
  child.removeAllListeners('exit');
  const url = `http://127.0.0.1:${bound}`;
  return {
    url,
    port: /** @type {number} */ (bound),
    pid: /** @type {number} */ (child.pid),
    /** @returns {Promise<{ ticks: number, emits: number }>} */
    counters: async () => (await fetch(`${url}/debug/counters`)).json(),
    stop: () => stopChild(child),
  };
}
