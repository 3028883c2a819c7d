// `npm run size`: bundles the Worker exactly as `wrangler deploy` would (`--dry-run --outdir`), without
// uploading, and reports its size raw and gzipped. Fails above the 1 MiB gzipped budget (the Workers
// free-plan limit is 3 MiB after compression; we keep well under it so cold starts stay quick), or if one of zod's
// non-English locales ships (wrangler.toml aliases zod's locales index to worker/zod-locales.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { assetsArgs } from './assets-args.mjs';
import { exec, wranglerEnv } from './lib.mjs';

const root = path.resolve(import.meta.dirname, '..');
const BUDGET_GZ = 1024 * 1024;
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-bundle-'));

const code = await exec(
  process.execPath,
  [
    path.join(root, 'node_modules/wrangler/bin/wrangler.js'),
    'deploy',
    '--dry-run',
    '--outdir',
    outdir,
    '--metafile',
    path.join(outdir, 'meta.json'),
    ...assetsArgs(root),
  ],
  {
    cwd: root,
    env: wranglerEnv,
    quiet: true,
  },
);
if (code !== 0) {
  console.error(`wrangler deploy --dry-run failed (exit ${code})`);
  process.exit(1);
}

const meta = JSON.parse(fs.readFileSync(path.join(outdir, 'meta.json'), 'utf8'));
const inputs = Object.values(meta.outputs).flatMap((o) => Object.keys(o.inputs ?? {}));
const locales = inputs.filter((p) => /node_modules\/zod\/.*locales\/(?!en\.js$)[^/]+\.js$/.test(p));
fs.rmSync(path.join(outdir, 'meta.json'));

let raw = 0;
let gz = 0;
const files = [];
for (const name of fs.readdirSync(outdir, { recursive: true })) {
  const file = path.join(outdir, String(name));
  if (!fs.statSync(file).isFile() || !/\.(m?js|wasm)$/.test(file)) continue;
  const bytes = fs.readFileSync(file);
  const g = zlib.gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gz += g;
  files.push(`${name} ${(bytes.length / 1024).toFixed(1)} KiB (${(g / 1024).toFixed(1)} KiB gz)`);
}
fs.rmSync(outdir, { recursive: true, force: true });
console.log(`Worker bundle: ${files.join(', ')}`);
console.log(
  `Worker bundle total: ${(raw / 1024).toFixed(1)} KiB, ${(gz / 1024).toFixed(1)} KiB gzipped (budget ${BUDGET_GZ / 1024} KiB gzipped)`,
);
if (locales.length) {
  console.error(
    `zod locales ship in the Worker (${locales.length} files, e.g. ${locales[0]}): check [alias] in wrangler.toml`,
  );
  process.exit(1);
}
if (gz > BUDGET_GZ) {
  console.error('Worker bundle is over budget');
  process.exit(1);
}
