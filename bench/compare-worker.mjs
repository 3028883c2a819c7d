// `wrangler dev` on a snapshot of the committed tree (git archive HEAD in a temp dir), so that edits made in the
// checkout while a long benchmark runs cannot make wrangler rebuild and restart workerd (which drops every socket).
// Otherwise as bench/lib.mjs startWorker: a free port, fresh storage, `--var` pairs.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEV_VARS, devVarArgs } from '../scripts/dev-vars.mjs';
import { freePort, run, waitForHttp, wranglerEnv } from '../scripts/lib.mjs';
import { stopChild } from './baseline/redis-server.mjs';
import { root } from './lib.mjs';

// Every bench client comes from 127.0.0.1, and the compare bench holds 10,000 viewers on one room; the claim and
// session benches reuse a few users (docs/api.md "Caps and quotas").
export const BENCH_VARS = {
  AUTH_RATE_PER_MIN: '100000',
  WS_MAX_PER_IP: '100000',
  WS_MAX_PER_OBJECT: '32000',
  QUOTA_RACKS_PER_USER: '10000',
  QUOTA_SESSION_STARTS_PER_HOUR: '1000000',
  QUOTA_ROOMS_PER_USER: '1000000',
};

/** A snapshot of the committed tree (BENCH_COMMIT, default HEAD) in a temp dir (node_modules linked). */
function snapshot() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-bench-snap-'));
  const ref = process.env.BENCH_COMMIT ?? 'HEAD';
  const commit = execFileSync('git', ['rev-parse', '--short', ref], { cwd: root, encoding: 'utf8' }).trim();
  execFileSync('sh', ['-c', `git -C "${root}" archive "${commit}" | tar -x -C "${dir}"`]);
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  return { dir, commit };
}

/**
 * The same snapshot's deploy bundle (`wrangler deploy --dry-run`, minified as deployed) under ONE workerd, through
 * bench/one-workerd-server.mjs: no wrangler proxy. `pid` is that Node process; the workerd is its child.
 * @param {{ vars?: Record<string, string>, inspector?: boolean, minify?: boolean, overlay?: string[] }} [options]
 */
export async function startOneWorkerd({ vars = {}, inspector = false, minify = true, overlay = [] } = {}) {
  const { dir, commit } = snapshot();
  // A before/after in one run: these paths are taken from the working tree instead of the commit.
  for (const p of overlay) fs.copyFileSync(path.join(root, p), path.join(dir, p));
  const out = path.join(dir, '.bench-bundle');
  const assets = path.join(dir, '.bench-no-assets');
  fs.mkdirSync(assets);
  execFileSync(
    process.execPath,
    [
      path.join(dir, 'node_modules/wrangler/bin/wrangler.js'),
      'deploy',
      '--dry-run',
      '--outdir',
      out,
      '--assets',
      assets,
      ...(minify ? [] : ['--minify=false']),
    ],
    { cwd: dir, env: { ...process.env, ...wranglerEnv }, stdio: 'ignore' },
  );
  const allVars = { ...DEV_VARS, ...BENCH_VARS, ...vars };
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'bench/one-workerd-server.mjs'),
      '--config',
      path.join(dir, 'wrangler.toml'),
      '--bundle',
      out,
      '--persist',
      path.join(dir, '.bench-state'),
      '--vars',
      JSON.stringify(allVars),
      ...(inspector ? ['--inspector'] : []),
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stop = async () => {
    await stopChild(child);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  let output = '';
  // BENCH_WORKERD_LOG=<file>: keep the one workerd's log lines (the Worker's errors), e.g. to see why a command failed.
  const logFile = process.env.BENCH_WORKERD_LOG;
  if (logFile) {
    child.stdout.on('data', (d) => fs.appendFileSync(logFile, d));
    child.stderr.on('data', (d) => fs.appendFileSync(logFile, d));
  }
  try {
    const m = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`one workerd did not start:\n${output}`)), 120_000);
      child.stdout.on('data', (d) => {
        output += d;
        const hit = /workerd listening on (\S+) inspector (\S+)/.exec(output);
        if (hit) {
          clearTimeout(timer);
          resolve(hit);
        }
        if (output.length > 100_000) output = output.slice(-10_000); // the Worker's log lines, not kept
      });
      child.stderr.on('data', (d) => (output += d));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`one workerd exited with ${code}:\n${output}`));
      });
    });
    child.removeAllListeners('exit');
    return {
      commit: overlay.length ? `${commit}+working tree of ${overlay.join(', ')}` : commit,
      base: m[1],
      inspector: m[2] === 'none' ? null : m[2],
      bundle: out, // index.js and index.js.map (removed by stop())
      pid: /** @type {number} */ (child.pid),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** @param {{ vars?: Record<string, string> }} [options] */
export async function startSnapshotWorker({ vars = {} } = {}) {
  const { dir, commit } = snapshot();
  const persist = path.join(dir, '.bench-state');
  const assets = path.join(dir, '.bench-no-assets'); // API only: an empty assets directory instead of building the site
  fs.mkdirSync(assets);
  const port = await freePort();
  const extra = devVarArgs(vars);
  const child = run(
    'wrangler',
    process.execPath,
    [
      path.join(dir, 'node_modules/wrangler/bin/wrangler.js'),
      'dev',
      '--port',
      String(port),
      '--ip',
      '127.0.0.1',
      '--persist-to',
      persist,
      '--assets',
      assets,
      ...Object.entries(BENCH_VARS).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
      ...extra,
    ],
    {
      cwd: dir,
      env: wranglerEnv,
      quiet: true,
    },
  );
  const stop = async () => {
    await stopChild(child);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`http://127.0.0.1:${port}/health`, 120_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { base: `http://127.0.0.1:${port}`, pid: /** @type {number} */ (child.pid), commit, stop };
}
