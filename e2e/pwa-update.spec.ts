/**
 * Issue 16: the service worker's precache and its update rules. The precache holds the offline pages and their
 * assets and nothing from /api; a new version waits while another Keeptime page is open (the page says an update
 * is ready), and takes over at the next load once the page is the only one, never in the middle of a session.
 * A new version is made by registering the same script under a new URL, which the browser treats as an update.
 */
import { expect, test } from './fixtures.ts';
import { signUpViaApi } from './helpers.ts';
import { controllerInfo, waitForServiceWorker } from './pwa-helpers.ts';

// The service worker is blocked in the other specs (playwright.config.ts).
test.use({ serviceWorkers: 'allow' });

test('the manifest and icons are served, and the precache holds the offline pages but no API answer', async ({
  page,
}) => {
  await signUpViaApi(page);
  await page.goto('/track/');
  await waitForServiceWorker(page);
  const manifest = (await (await page.request.get('/manifest.webmanifest')).json()) as {
    display: string;
    icons: { src: string; sizes: string }[];
  };
  expect(manifest.display).toBe('standalone');
  expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
  const viewer = (await (await page.request.get('/manifest-viewer.webmanifest')).json()) as { display: string };
  expect(viewer.display).toBe('fullscreen');
  for (const icon of ['/icons/icon-192.png', '/icons/icon-512.png', '/icons/apple-touch-icon.png']) {
    const res = await page.request.get(icon);
    expect(res.headers()['content-type']).toBe('image/png');
  }
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', '/manifest.webmanifest');

  const cached = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const key of await caches.keys())
      for (const req of await (await caches.open(key)).keys()) urls.push(new URL(req.url).pathname);
    return urls;
  });
  expect(cached).toEqual(expect.arrayContaining(['/racks/', '/track/', '/r/', '/manifest.webmanifest']));
  expect(cached.some((u) => u.startsWith('/_astro/') && u.endsWith('.js'))).toBe(true);
  // The page has called the API by now (the account menu, the live session): none of it is cached.
  expect(cached.filter((u) => u.startsWith('/api/') || u.startsWith('/health'))).toEqual([]);
  const info = await controllerInfo(page);
  expect(info.files).toBe(cached.length);
});

test('a new version waits while another page is open, then takes over at the next load', async ({ page }) => {
  test.setTimeout(180_000);
  await signUpViaApi(page);
  await page.goto('/track/');
  await waitForServiceWorker(page);
  const first = await controllerInfo(page);
  expect(new URL(first.url).pathname).toBe('/sw.js');
  const other = await page.context().newPage();
  await other.goto('/racks/');
  await waitForServiceWorker(other);

  // A new version installs and waits: both pages keep the worker they started with.
  const state = await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.register('/sw.js?next-version', { scope: '/' });
    const w = reg.installing ?? reg.waiting;
    if (w && w.state !== 'installed')
      await new Promise<void>((ok) => w.addEventListener('statechange', () => w.state === 'installed' && ok()));
    return { waiting: reg.waiting?.scriptURL ?? null };
  });
  expect(state.waiting).toMatch(/\/sw\.js\?next-version$/);
  await page.waitForTimeout(1_000);
  expect((await controllerInfo(page)).url).toBe(first.url);
  expect((await controllerInfo(other)).url).toBe(first.url);

  // A reload with the other page still open: the update keeps waiting, and the page says one is ready.
  await page.reload();
  await expect(page.getByTestId('sw-update')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-sw-update', 'waiting');
  expect((await controllerInfo(page)).url).toBe(first.url);
  expect((await controllerInfo(other)).url).toBe(first.url);

  // The other page closes; at the next load this page is the only one, so the new version takes over (the page asks
  // it to and reloads itself once). Chromium may still count the closed page for a moment, so each poll is a fresh
  // load, as a user's would be. A poll's reload can collide with the page's own take-over reload: it is bounded, and
  // the next poll reads the result.
  await other.close();
  await expect
    .poll(
      async () => {
        const now = (await controllerInfo(page).catch(() => ({ url: '' }))).url;
        if (/\/sw\.js\?next-version$/.test(now)) return now;
        await page.reload({ timeout: 15_000 }).catch(() => undefined);
        return (await controllerInfo(page).catch(() => ({ url: '' }))).url;
      },
      { timeout: 90_000, intervals: [1_000, 2_000, 5_000] },
    )
    .toMatch(/\/sw\.js\?next-version$/);
  await expect(page.getByTestId('sw-update')).toHaveCount(0);
});
