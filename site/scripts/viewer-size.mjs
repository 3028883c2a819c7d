#!/usr/bin/env node
/**
 * Prints the gzipped size of the JavaScript the built viewer page (/r/) loads:
 * every script in site/dist/r/index.html plus the modules they import, statically
 * or dynamically (dynamic ones are listed apart). Run after `npm run build:site`.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const page = join(dist, 'r', 'index.html');
if (!existsSync(page)) {
  console.error(`No ${page}: run \`npm run build:site\` first.`);
  process.exit(1);
}
const html = readFileSync(page, 'utf8');

/** Files named in the page: module scripts, classic scripts and modulepreloads. */
const entries = new Set();
for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) entries.add(m[1]);
for (const m of html.matchAll(/<link\b[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) entries.add(m[1]);
const inlineScripts = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
  .map((m) => m[1])
  .filter((s) => s.trim());

const toFile = (url, from) => (url.startsWith('/') ? join(dist, url) : resolve(dirname(from), url));

const seen = new Map(); // file -> { raw, gz, dynamic }
function visit(file, dynamic) {
  const prev = seen.get(file);
  if (prev) {
    if (!dynamic) prev.dynamic = false;
    return;
  }
  const code = readFileSync(file);
  seen.set(file, { raw: code.length, gz: gzipSync(code, { level: 9 }).length, dynamic });
  const text = code.toString('utf8');
  for (const m of text.matchAll(
    /(?:\bimport|\bexport)\s*(?:[\w*${}\s,]+from\s*)?["'`](\.{1,2}\/[^"'`]+|\/[^"'`]+)["'`]/g,
  ))
    visit(toFile(m[1], file), dynamic);
  for (const m of text.matchAll(/\bimport\(\s*["'`](\.{1,2}\/[^"'`]+|\/[^"'`]+)["'`]\s*\)/g))
    visit(toFile(m[1], file), true);
}
for (const url of entries) visit(toFile(url, page), false);

const rows = [...seen.entries()].map(([file, s]) => ({ file: file.slice(dist.length), ...s }));
const inlineGz = inlineScripts.reduce((n, s) => n + gzipSync(Buffer.from(s), { level: 9 }).length, 0);
const sum = (xs, k) => xs.reduce((n, r) => n + r[k], 0);
const eager = rows.filter((r) => !r.dynamic);
const lazy = rows.filter((r) => r.dynamic);
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;

for (const r of rows)
  console.log(`${r.dynamic ? 'lazy ' : '     '}${kb(r.gz).padStart(10)} gz  ${kb(r.raw).padStart(10)} raw  ${r.file}`);
if (inlineGz) console.log(`     ${kb(inlineGz).padStart(10)} gz  (inline scripts)`);
console.log(
  `Viewer page JS: ${kb(sum(eager, 'gz') + inlineGz)} gzipped (${sum(eager, 'gz') + inlineGz} bytes; ${kb(sum(eager, 'raw'))} raw) in ${eager.length} file(s)`,
);
if (lazy.length) console.log(`Plus ${kb(sum(lazy, 'gz'))} gzipped loaded only on demand`);
