// `npm run deploy [-- extra wrangler args]`: builds the site, then `wrangler deploy` with ENVIRONMENT=production
// (which makes the Worker refuse the dev JWT secret). An absent ENVIRONMENT means production too, so a plain
// `wrangler deploy` is just as safe. Secrets are set once with `wrangler secret put` (README).
// `npm run deploy -- --dry-run --outdir dist-worker` bundles without uploading.
import path from 'node:path';
import { exec, wranglerEnv } from './lib.mjs';

const root = path.resolve(import.meta.dirname, '..');
const extra = process.argv.slice(2);

const built = await exec('npm', ['run', '--silent', 'build:site'], { cwd: root });
if (built !== 0) process.exit(built);
const code = await exec(
  process.execPath,
  [path.join(root, 'node_modules/wrangler/bin/wrangler.js'), 'deploy', '--var', 'ENVIRONMENT:production', ...extra],
  { cwd: root, env: wranglerEnv },
);
process.exit(code);
