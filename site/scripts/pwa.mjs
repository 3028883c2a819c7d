/**
 * The installable app's build step (an Astro integration): once the site is built, lists what the service worker
 * precaches and writes dist/sw.js from site/src/lib/pwa/sw.js.
 *
 * The precache holds the offline pages (the rack flow, Track and the viewer shell), every file they load (read from
 * the built HTML, then followed through the JS and CSS chunks, dynamic imports and .wasm included), the manifests,
 * the icons and the favicon. Its version is a hash of those files, so any change to them makes a new worker that
 * installs beside the old one and waits (see sw.js for the update rules).
 * `node site/scripts/pwa.mjs [dist]` reruns it by hand and prints the list.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const TEMPLATE = join(HERE, '..', 'src', 'lib', 'pwa', 'sw.js');
/** The pages that open offline: URL → built file. */
const OFFLINE_PAGES = { '/racks/': 'racks/index.html', '/track/': 'track/index.html', '/r/': 'r/index.html' };
const EXTRAS = [
  '/manifest.webmanifest',
  '/manifest-viewer.webmanifest',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
  '/icons/apple-touch-icon.png',
  '/favicon.svg',
];
const TEXT = /\.(js|mjs|css|html)$/;

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/**
 * The precache list for the built site in `dist`: URL paths, sorted.
 * @returns {{ urls: string[], bytes: number, version: string }}
 */
export function precacheList(dist) {
  const assets = filesUnder(join(dist, '_astro')).map((f) => ({ file: f, name: f.slice(f.lastIndexOf('/') + 1) }));
  const urlOf = (file) => `/${relative(dist, file).split('\\').join('/')}`;
  const found = new Set();
  const queue = [];
  const add = (file) => {
    if (found.has(file)) return;
    found.add(file);
    queue.push(file);
  };
  for (const page of Object.values(OFFLINE_PAGES)) {
    const file = join(dist, page);
    if (!existsSync(file)) throw new Error(`pwa: ${page} is not in the build`);
    add(file);
  }
  // Follow every hashed asset a file names (script src, stylesheet, import, dynamic import, new URL(…) for .wasm).
  while (queue.length) {
    const file = queue.shift();
    if (!TEXT.test(file)) continue;
    const text = readFileSync(file, 'utf8');
    for (const a of assets) if (text.includes(a.name)) add(a.file);
  }
  const pages = Object.keys(OFFLINE_PAGES);
  const files = [...found].filter((f) => !Object.values(OFFLINE_PAGES).some((p) => f === join(dist, p)));
  const extras = EXTRAS.filter((u) => existsSync(join(dist, u)));
  const missing = EXTRAS.filter((u) => !extras.includes(u));
  if (missing.length) throw new Error(`pwa: missing from the build: ${missing.join(', ')}`);
  const urls = [...pages, ...files.map(urlOf), ...extras].sort();
  const hash = createHash('sha256');
  let bytes = 0;
  for (const u of urls) {
    const file = join(dist, pages.includes(u) ? OFFLINE_PAGES[u] : u);
    const body = readFileSync(file);
    bytes += statSync(file).size;
    hash.update(u).update(body);
  }
  return { urls, bytes, version: hash.digest('hex').slice(0, 16) };
}

/** Writes dist/sw.js; returns the list. */
export function writeServiceWorker(dist) {
  const list = precacheList(dist);
  const sw = readFileSync(TEMPLATE, 'utf8')
    .replace("'__KT_VERSION__'", JSON.stringify(list.version))
    .replace('__KT_PRECACHE__', JSON.stringify(list.urls));
  if (sw.includes('__KT_')) throw new Error('pwa: a placeholder was left in sw.js');
  writeFileSync(join(dist, 'sw.js'), sw);
  return list;
}

/** The Astro integration. */
export function serviceWorker() {
  return {
    name: 'keeptime-service-worker',
    hooks: {
      'astro:build:done': ({ dir, logger }) => {
        const { urls, bytes, version } = writeServiceWorker(fileURLToPath(dir));
        logger.info(`sw.js ${version}: precaches ${urls.length} files, ${(bytes / 1024).toFixed(1)} KiB`);
      },
    },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dist = resolve(process.argv[2] ?? join(HERE, '..', 'dist'));
  const { urls, bytes, version } = writeServiceWorker(dist);
  for (const u of urls) console.log(u);
  console.log(`version ${version}: ${urls.length} files, ${(bytes / 1024).toFixed(1)} KiB`);
}
