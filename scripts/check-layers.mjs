// `node scripts/check-layers.mjs`: the dependency arrows, checked. Part of `npm test` (step `layers`).
//
//   worker → durable-objects → core, drizzle        site/src → core
//
// Each layer may import itself and what its arrows reach. npm packages are free, except in core/, which is pure and
// shared by server and browser: zod only (its tests may use any dev package). drizzle/ (schema, migrations, db)
// stands alone, as core/ does. One exception: site/src may `import type` from worker/app-types.ts (Hono's
// `hc<typeof app>` route types), type-only so no Worker code reaches the browser. Colocated tests follow the same rules.
// Prints every violation as file:line and exits 1 if there is any.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** Layer → the layers it may import (itself included). */
const ALLOWED = {
  worker: ['worker', 'durable-objects', 'core', 'drizzle'],
  'durable-objects': ['durable-objects', 'core', 'drizzle'],
  drizzle: ['drizzle'],
  core: ['core'],
  site: ['site', 'core'],
};
/** npm packages core/ may import (bare specifiers; node: builtins are refused too: core does no I/O). */
const CORE_PACKAGES = ['zod'];
/** Type-only imports allowed across an arrow: from layer → files. */
const TYPE_ONLY = { site: ['worker/app-types.ts'] };

const SCANNED = {
  worker: 'worker',
  'durable-objects': 'durable-objects',
  core: 'core',
  drizzle: 'drizzle',
  site: 'site/src',
};
const SOURCE = /\.(m?[jt]sx?|astro)$/;
/** Colocated tests may use any (dev) package: vitest, fast-check. */
const TEST = /\.test\.[mc]?[jt]sx?$/;

/** The layer a repo-relative path belongs to, or null (test/, scripts/, node_modules …). */
function layerOf(rel) {
  for (const [layer, dir] of Object.entries(SCANNED)) if (rel === dir || rel.startsWith(dir + '/')) return layer;
  if (rel === 'site' || rel.startsWith('site/')) return 'site';
  return null;
}

function* files(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (SOURCE.test(entry.name)) yield full;
  }
}

// Static imports and re-exports (possibly multi-line), side-effect imports, dynamic import() and import('x').T types.
const IMPORT =
  /(?:^|[\n;])\s*(import|export)\s+(type\s+)?(?:[\w*{}\s,$]*?\bfrom\s*)?['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

const violations = [];
let scanned = 0;
for (const [layer, dir] of Object.entries(SCANNED)) {
  if (!fs.existsSync(path.join(root, dir))) continue;
  for (const file of files(path.join(root, dir))) {
    scanned += 1;
    const rel = path.relative(root, file).split(path.sep).join('/');
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[3] ?? m[4];
      const typeOnly = Boolean(m[2]);
      const line = text.slice(0, m.index + m[0].search(/import|export/)).split('\n').length;
      const where = `${rel}:${line}`;
      if (!spec.startsWith('.') && !spec.startsWith('/')) {
        const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        if (layer === 'core' && !typeOnly && !TEST.test(rel) && !CORE_PACKAGES.includes(pkg))
          violations.push(`${where}  core imports '${spec}' (core may import only ${CORE_PACKAGES.join(', ')})`);
        continue;
      }
      const target = path
        .relative(root, path.resolve(path.dirname(file), spec))
        .split(path.sep)
        .join('/');
      const to = layerOf(target);
      if (to && ALLOWED[layer].includes(to)) continue;
      if (typeOnly && TYPE_ONLY[layer]?.includes(target)) continue;
      const name = to ?? target.split('/')[0];
      violations.push(`${where}  ${layer} → ${name}: '${spec}'${typeOnly ? ' (type-only)' : ''}`);
    }
  }
}

if (violations.length) {
  console.error(
    `Layering: ${violations.length} import(s) against the arrows (worker → durable-objects → core, drizzle; site → core):`,
  );
  for (const v of violations) console.error(`  ${v}`);
  process.exit(1);
}
console.log(`Layering: ${scanned} files, every import follows the arrows`);
