// `node scripts/view-sizes.mjs [dist]`: the gzipped JavaScript each viewer view loads, read from a built site (it
// builds nothing: `npm run build:site` writes site/dist, and `node scripts/test.mjs bundle` builds into a temp dir
// first). A view's JS is the viewer page's entry with every chunk it imports statically (Preact, the connection, the
// clock, the shell), plus the view's own chunk (`views/<name>.tsx`, imported dynamically by main.tsx) with its static
// imports; a chunk shared by both is counted once. Each file is gzipped on its own, as a server sends it. Fails when a
// view is over the budget (30 kB gzipped, 1 kB = 1,000 bytes) or its chunk cannot be found.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.resolve(process.argv[2] ?? path.join(root, 'site', 'dist'));
const VIEWS = ['countdown', 'presenter', 'agenda', 'clock'];
const BUDGET_GZ = 30_000;

const STATIC_IMPORT = /(?:\bfrom|\bimport)\s*["'`](\.{1,2}\/[^"'`]+?\.js)["'`]/g;
const DYNAMIC_IMPORT = /\bimport\(\s*["'`](\.{1,2}\/[^"'`]+?\.js)["'`]\s*\)/g;

function fail(message) {
  console.error(`view sizes: ${message}`);
  process.exit(1);
}

const page = path.join(dist, 'r', 'index.html');
if (!fs.existsSync(page)) fail(`no viewer page at ${page}: build the site first (npm run build:site)`);
const html = fs.readFileSync(page, 'utf8');
const entries = [...html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)].map((m) =>
  path.join(dist, (m[1] ?? '').replace(/^\//, '')),
);
if (entries.length === 0) fail('the viewer page loads no module script');

const sources = new Map();
function source(file) {
  if (!sources.has(file)) {
    if (!fs.existsSync(file)) fail(`missing chunk ${path.relative(dist, file)}`);
    sources.set(file, fs.readFileSync(file, 'utf8'));
  }
  return sources.get(file);
}

/** `file` and every chunk it imports statically, transitively. */
function closure(files) {
  const seen = new Set();
  const todo = [...files];
  while (todo.length) {
    const file = todo.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    for (const m of source(file).matchAll(STATIC_IMPORT)) todo.push(path.resolve(path.dirname(file), m[1]));
  }
  return seen;
}

const shell = closure(entries);
const dynamic = [...shell].flatMap((f) =>
  [...source(f).matchAll(DYNAMIC_IMPORT)].map((m) => path.resolve(path.dirname(f), m[1])),
);

const gzSize = new Map();
const sizeOf = (file) => {
  if (!gzSize.has(file)) {
    const bytes = Buffer.from(source(file));
    gzSize.set(file, { raw: bytes.length, gz: zlib.gzipSync(bytes, { level: 9 }).length });
  }
  return gzSize.get(file);
};
const kb = (n) => (n / 1000).toFixed(1).padStart(6);

const rows = [];
for (const name of VIEWS) {
  const chunk = dynamic.find((f) => path.basename(f).startsWith(`${name}.`));
  if (!chunk) fail(`no chunk for the ${name} view among the viewer's dynamic imports`);
  const own = closure([chunk]);
  const files = new Set([...shell, ...own]);
  let raw = 0;
  let gz = 0;
  let viewGz = 0;
  for (const f of files) {
    const s = sizeOf(f);
    raw += s.raw;
    gz += s.gz;
    if (!shell.has(f)) viewGz += s.gz;
  }
  rows.push({ name, files: files.size, raw, gz, viewGz });
}

let shellGz = 0;
for (const f of shell) shellGz += sizeOf(f).gz;
console.log(`Viewer JS per view (gzipped; shell = entry and its static imports, ${kb(shellGz).trim()} kB gz)`);
console.log('view        files    raw kB   gz kB  (view only)');
for (const r of rows) {
  console.log(
    `${r.name.padEnd(10)} ${String(r.files).padStart(6)}    ${kb(r.raw)}  ${kb(r.gz)}  (${kb(r.viewGz).trim()} kB)`,
  );
}
const over = rows.filter((r) => r.gz > BUDGET_GZ);
console.log(`Budget: ${BUDGET_GZ / 1000} kB gzipped per view`);
if (over.length) fail(`over budget: ${over.map((r) => `${r.name} ${kb(r.gz).trim()} kB`).join(', ')}`);
