// `wrangler dev` on a snapshot of the committed tree (git archive HEAD in a temp dir), so that edits made in the
// checkout while a long benchmark runs cannot make wrangler rebuild and restart workerd (which drops every socket).
// Otherwise as bench/lib.mjs startWorker: a free port, fresh storage, `--var` pairs.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { devVarArgs } from '../scripts/dev-vars.mjs';
import { freePort, run, waitForHttp, wranglerEnv } from '../scripts/lib.mjs';
import { stopChild } from './baseline/redis-server.mjs';
import { root } from './lib.mjs';

/** @param {{ vars?: Record<string, string> }} [options] */
export async function startSnapshotWorker({ vars = {} } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-bench-snap-'));
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  execFileSync('sh', ['-c', `git -C "${root}" archive HEAD | tar -x -C "${dir}"`]);
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
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
      '--var',
      'AUTH_RATE_PER_MIN:100000',
      // Every bench client comes from 127.0.0.1, and the compare bench holds 4,500+ viewers on one room; the claim and
      // session benches reuse a few users (docs/api.md "Caps and quotas").
      ...['WS_MAX_PER_IP:100000', 'WS_MAX_PER_OBJECT:32000', 'QUOTA_RACKS_PER_USER:10000']
        .concat(['QUOTA_SESSION_STARTS_PER_HOUR:1000000', 'QUOTA_ROOMS_PER_USER:1000000'])
        .flatMap((v) => ['--var', v]),
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
