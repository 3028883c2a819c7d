/**
 * Keeptime's service worker (template: site/scripts/pwa.mjs fills in the version and the precache list at build
 * time and writes it to /sw.js).
 *
 * - Precaches the rack flow (/racks/), Track (/track/), the viewer shell (/r/, served for every /r/<token>) and
 *   their hashed assets, the manifests and icons; serves them from the cache, so they open with no network.
 * - Never touches /api/* or /health (answers carry user data and tokens): those go to the network untouched,
 *   and so does every request that isn't a same-origin GET.
 * - Updates safely: a new version installs next to the running one and waits (no skipWaiting on install).
 *   It takes over only when no page is using the old one, or when the only open page asks it to at start-up
 *   (site/src/lib/pwa/register.ts), i.e. after a reload, never in the middle of a session.
 */
const VERSION = '__KT_VERSION__';
const PRECACHE = /** @type {string[]} */ (__KT_PRECACHE__);
const CACHE = `kt-precache-${VERSION}`;
/** A navigation to any of these paths is answered with the cached page on the right. */
const SHELLS = [
  [/^\/r\/[^/]+\/?$/, '/r/'],
  [/^\/r\/?$/, '/r/'],
  [/^\/racks\/?$/, '/racks/'],
  [/^\/track\/?$/, '/track/'],
];
const NEVER = /^\/(api|health)(\/|$)/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'reload' })))),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys())
        if (key.startsWith('kt-precache-') && key !== CACHE) await caches.delete(key);
      // Only reached when no page runs an older version (or the sole page asked): control the open pages at once.
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  // Sent by register.ts from the only open page, right after it loaded (see the header).
  if (event.data && event.data.type === 'kt-activate') self.skipWaiting();
  if (event.data && event.data.type === 'kt-version' && event.ports[0])
    event.ports[0].postMessage({ version: VERSION, files: PRECACHE.length });
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || NEVER.test(url.pathname)) return;
  if (req.mode === 'navigate') {
    const shell = SHELLS.find(([re]) => re.test(url.pathname));
    if (shell) event.respondWith(fromCache(shell[1], req));
    return;
  }
  if (PRECACHE.includes(url.pathname)) event.respondWith(fromCache(url.pathname, req));
});

/** The precached copy; the network when it is missing (a cache the browser evicted). */
async function fromCache(key, req) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(key);
  return hit ?? fetch(req);
}
