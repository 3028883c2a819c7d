// `node scripts/check-env-types.mjs`: regenerates the Worker's `Env` from wrangler.toml (`wrangler types`) into a
// scratch file and fails if it differs from the committed worker-configuration.d.ts. Part of `npm test`.
// `npm run types` (this script with --write) rewrites the committed file after a change to wrangler.toml.
// The runtime types stay with @cloudflare/workers-types (--include-runtime=false); vars are plain strings
// (--strict-vars=false), since ENVIRONMENT and friends differ per deployment.
import fs from 'node:fs';
import path from 'node:path';
import { exec, wranglerEnv } from './lib.mjs';

const root = path.resolve(import.meta.dirname, '..');
const committed = path.join(root, 'worker-configuration.d.ts');
const write = process.argv.includes('--write');
// Same folder as the committed file, so the generated import("./worker/index") paths match (git-ignored).
const scratch = write ? committed : path.join(root, `.worker-configuration.${process.pid}.d.ts`);
const wrangler = path.join(root, 'node_modules/wrangler/bin/wrangler.js');
// Secrets are declared by hand in durable-objects/platform/env.ts (all optional): `--env-file=/dev/null` and no
// process.env keep a local .dev.vars or shell from adding them here, so the file is the same on every machine.
const flags = ['--include-runtime=false', '--strict-vars=false', '--env-file=/dev/null'];

try {
  process.exitCode = await check();
} finally {
  if (!write) fs.rmSync(scratch, { force: true });
}

async function check() {
  const code = await exec(process.execPath, [wrangler, 'types', ...(write ? [] : [path.basename(scratch)]), ...flags], {
    cwd: root,
    env: { ...wranglerEnv, CLOUDFLARE_INCLUDE_PROCESS_ENV: 'false' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (code !== 0) {
    console.error(`wrangler types failed (exit ${code})`);
    return 1;
  }
  if (write) {
    console.log('worker-configuration.d.ts written');
    return 0;
  }
  // The header names the command line, which here has the scratch file's name in it.
  const fresh = fs.readFileSync(scratch, 'utf8').replace(` ${path.basename(scratch)}\``, '`');
  const current = fs.existsSync(committed) ? fs.readFileSync(committed, 'utf8') : '';
  if (fresh !== current) {
    const a = current.split('\n');
    const b = fresh.split('\n');
    const line = b.findIndex((l, i) => l !== a[i]);
    console.error(
      `worker-configuration.d.ts is stale (first difference at line ${line + 1}: ${JSON.stringify(a[line] ?? '')} vs ${JSON.stringify(b[line] ?? '')}).`,
    );
    console.error('Run `npm run types` and commit the result.');
    return 1;
  }
  console.log('worker-configuration.d.ts matches wrangler.toml');
  return 0;
}
