/**
 * Camera scanning with a real decoder: Chromium's fake camera plays a .y4m of
 * printed barcodes (drawn with bwip-js at test time), the scan screen decodes
 * them with the zxing-wasm polyfill (Chromium on Linux has no native
 * BarcodeDetector), and every format arrives in the scan queue and on the
 * server. Also measured: frame → queue time (p50) and the polyfill's size and
 * load time, printed for the report.
 */
import type { Page } from '@playwright/test';
import { VIDEO_CODES, writeBarcodeVideo } from './fixtures/barcode-video.ts';
import { test as base, expect } from './fixtures.ts';
import { PHONE, asAdmin, claimThroughPicker, makeRack } from './fixtures/racks-setup.ts';
import { signUpViaApi } from './helpers.ts';

const test = base.extend<object, { video: { path: string; loopMs: number } }>({
  video: [async ({}, use) => use(await writeBarcodeVideo()), { scope: 'worker' }],
  launchOptions: [
    async ({ launchOptions, video }, use) =>
      use({
        ...launchOptions,
        args: [
          ...(launchOptions.args ?? []),
          '--use-fake-device-for-media-stream',
          '--use-fake-ui-for-media-stream',
          `--use-file-for-fake-video-capture=${video.path}`,
          '--autoplay-policy=no-user-gesture-required',
        ],
      }),
    { scope: 'worker' },
  ],
});

interface Measured {
  code: string;
  format: string;
  ms: number;
}
const measured = (page: Page) =>
  page.evaluate(() =>
    performance.getEntriesByName('kt-frame-to-queue').map((e) => {
      const d = (e as PerformanceMeasure).detail as { code: string; format: string };
      return { code: d.code, format: d.format, ms: e.duration };
    }),
  );

test("the fake camera's barcodes, every format, arrive in the scan queue and on the server", async ({
  page,
  openPage,
  video,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize(PHONE);
  const admin = await openPage();
  await asAdmin(admin);
  const { floor, rackId } = await makeRack(admin, 'Camera');
  await signUpViaApi(page, 'Camera Cam');
  await claimThroughPicker(page, floor, rackId);

  // Nothing of the decoder is loaded until the camera is opened.
  const wasmLoads: { url: string; at: number }[] = [];
  const t0 = Date.now();
  page.on('requestfinished', (r) => {
    if (/\.wasm(\?|$)/.test(r.url())) wasmLoads.push({ url: r.url(), at: Date.now() - t0 });
  });
  const before = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  expect(before.filter((n) => /\.wasm|barcode|zxing/i.test(n))).toEqual([]);

  await page.getByTestId('camera-toggle').click();
  await expect(page.getByTestId('camera')).toHaveAttribute('data-status', 'on', { timeout: 30_000 });
  await expect(page.getByTestId('camera')).toHaveAttribute('data-detector', 'polyfill');

  // Every format is read within about two loops of the video.
  const want = VIDEO_CODES.map((c) => c.expect).sort();
  await expect
    .poll(async () => [...new Set((await measured(page)).map((m) => m.code))].sort(), {
      timeout: video.loopMs * 2 + 20_000,
      intervals: [500],
    })
    .toEqual(want);
  await page.screenshot({ path: 'e2e/screenshots/racks-camera-phone.png' });
  await page.getByTestId('camera-toggle').click();
  await expect(page.getByTestId('camera-video')).toHaveCount(0);

  const hits = await measured(page);
  // The repeat guard: a code held in view for two seconds counts once per showing, never twice in a row.
  for (let i = 1; i < hits.length; i++) expect(hits[i]!.code, `scan ${i}`).not.toBe(hits[i - 1]!.code);
  for (const c of VIDEO_CODES) expect(hits.find((h) => h.code === c.expect)?.format, c.bcid).toBe(c.format);

  // Stored on the device and sent: the server holds every code.
  await expect(page.getByTestId('sync-pending')).toHaveAttribute('data-pending', '0', { timeout: 20_000 });
  await expect(page.getByTestId('sync-count')).toHaveText(`${hits.length}/${hits.length}`);
  const status = (await (await page.request.get(`/api/racks/${rackId}/status`)).json()) as {
    counts: { total: number };
  };
  expect(status.counts.total).toBeGreaterThanOrEqual(VIDEO_CODES.length);

  // The decoder's .wasm came from this site, not a CDN, once.
  const origin = new URL(page.url()).origin;
  expect(wasmLoads.length).toBe(1);
  expect(wasmLoads[0]!.url.startsWith(`${origin}/`)).toBe(true);
  const res = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((e) => /\.wasm|ponyfill|barcode|zxing/i.test(e.name))
      .map((e) => {
        const r = e as PerformanceResourceTiming;
        return { name: r.name, bytes: r.encodedBodySize, raw: r.decodedBodySize };
      }),
  );
  const load = await page.evaluate(() => performance.getEntriesByName('kt-barcode-polyfill-load')[0]?.duration ?? -1);
  const ms = hits.map((h) => h.ms).sort((a, b) => a - b);
  const p50 = ms[Math.floor((ms.length - 1) / 2)]!;
  console.log(
    `[camera] scans=${hits.length} frame→queue p50=${p50.toFixed(1)} ms min=${ms[0]!.toFixed(1)} max=${ms.at(-1)!.toFixed(1)}; ` +
      `polyfill load ${load.toFixed(0)} ms after the camera opened; files ${JSON.stringify(res)}`,
  );
  expect(p50).toBeGreaterThan(0);
});

test('a keyboard-wedge scanner types into the scan field even when a button has focus', async ({ page, openPage }) => {
  test.setTimeout(120_000);
  await page.setViewportSize(PHONE);
  const admin = await openPage();
  await asAdmin(admin);
  const { floor, rackId } = await makeRack(admin, 'Wedge');
  await signUpViaApi(page, 'Wedge Wes');
  await claimThroughPicker(page, floor, rackId);
  // A worker tapped Pause's neighbour, Complete is disabled, so focus the camera button, then "scan".
  await page.getByTestId('camera-toggle').focus();
  await page.keyboard.type('WEDGE-0001\n', { delay: 5 });
  await expect(page.getByTestId('recent-scans')).toContainText('WEDGE-0001');
  await expect(page.getByTestId('camera')).toHaveAttribute('data-status', 'off');
  await page.locator('body').click({ position: { x: 5, y: 400 } });
  await page.keyboard.type('WEDGE-0002\n', { delay: 5 });
  await expect(page.getByTestId('recent-scans')).toContainText('WEDGE-0002');
  await expect(page.getByTestId('sync-count')).toHaveText('2/2', { timeout: 15_000 });
});
