/**
 * Writes `_headers` (Workers Static Assets) into the built site: every page gets a Content-Security-Policy
 * that allows exactly the inline scripts and styles Astro emitted (their sha256 hashes, computed from the
 * built HTML), no framing, no plugins, no <base>, and same-origin connections only; plus nosniff and
 * `Referrer-Policy: no-referrer` (control URLs carry share tokens). Run by the site build (the integration
 * in astro.config.mjs); `node site/scripts/security-headers.mjs [dist]` reruns it by hand.
 *
 * The viewer (/r/<token>) is answered by the Worker, which `_headers` does not reach: worker/routes/pages.ts
 * sends the same headers for it, and this script refuses a build whose viewer page grows an inline script.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const INLINE_SCRIPT = /<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;
const INLINE_STYLE = /<style\b[^>]*>([\s\S]*?)<\/style>/gi;
/** Workers Static Assets reads at most 2,000 characters per `_headers` line. */
const MAX_LINE = 2000;

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

function htmlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return htmlFiles(p);
    return e.name.endsWith('.html') ? [p] : [];
  });
}

/**
 * The Content-Security-Policy for pages whose inline scripts and styles hash to `scripts` and `styles`.
 * `frameAncestors` is `'none'` unless a caller (the viewer) passes its own list.
 */
function contentSecurityPolicy({ scripts = [], styles = [], frameAncestors = "'none'" } = {}) {
  return [
    "default-src 'self'",
    // 'wasm-unsafe-eval' lets the scan screen compile the barcode decoder's own .wasm; JavaScript eval stays refused.
    `script-src 'self' 'wasm-unsafe-eval'${scripts.map((h) => ` ${h}`).join('')}`,
    `style-src 'self'${styles.map((h) => ` ${h}`).join('')}`,
    "img-src 'self'",
    // 'self' matches same-origin ws:/wss: in CSP Level 3 browsers (checked by e2e/security-pages.spec.ts).
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

/** The headers every page carries besides its CSP. */
const PAGE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

/**
 * Hashes every inline script and style of the built pages under `dist` and writes `dist/_headers`.
 * @returns {{ csp: string, pages: number }}
 */
function writeSecurityHeaders(dist) {
  const scripts = new Set();
  const styles = new Set();
  const pages = htmlFiles(dist);
  for (const file of pages) {
    const html = readFileSync(file, 'utf8');
    const rel = relative(dist, file).split('\\').join('/');
    const inline = [...html.matchAll(INLINE_SCRIPT)].map((m) => m[1]);
    if (rel === 'r/index.html' && inline.length > 0)
      throw new Error('the viewer page has an inline script: worker/routes/pages.ts sends script-src without hashes');
    for (const s of inline) scripts.add(sha256(s));
    for (const m of html.matchAll(INLINE_STYLE)) styles.add(sha256(m[1]));
    if (/\sstyle\s*=/i.test(html.replace(INLINE_SCRIPT, '')))
      throw new Error(`${rel} has a style attribute, which the CSP refuses: move it into a stylesheet`);
  }
  const csp = contentSecurityPolicy({ scripts: [...scripts].sort(), styles: [...styles].sort() });
  const lines = [
    '# Written by site/scripts/security-headers.mjs at build time; do not edit.',
    '/*',
    `  Content-Security-Policy: ${csp}`,
    ...Object.entries(PAGE_HEADERS).map(([k, v]) => `  ${k}: ${v}`),
    '',
  ];
  const long = lines.find((l) => l.length > MAX_LINE);
  if (long) throw new Error(`a _headers line is ${long.length} characters, over the ${MAX_LINE} Workers reads`);
  writeFileSync(join(dist, '_headers'), lines.join('\n'));
  return { csp, pages: pages.length };
}

/** The Astro integration: writes `_headers` once the build is done. */
export function securityHeaders() {
  return {
    name: 'keeptime-security-headers',
    hooks: {
      'astro:build:done': ({ dir, logger }) => {
        const { pages, csp } = writeSecurityHeaders(fileURLToPath(dir));
        logger.info(`_headers: CSP for ${pages} pages (${csp.length} characters)`);
      },
    },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dist = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist'));
  const { csp, pages } = writeSecurityHeaders(dist);
  console.log(`${pages} pages\nContent-Security-Policy: ${csp}`);
}
