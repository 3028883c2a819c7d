/**
 * Issue 16, installable and offline: the service worker serves the rack flow and the viewer shell with no network.
 * A rack worker whose phone reloads with no signal gets the scan screen back, scans 20 items by keyboard wedge into
 * the offline queue, and sees them sync once the network returns (checked on the server). A viewer reloaded with
 * no network shows its shell, then comes back live. API answers never come from the worker's cache.
 */
import { expect, test } from './fixtures.ts';
import { createRoomViaApi, signUpViaApi } from './helpers.ts';
import { waitForServiceWorker } from './pwa-helpers.ts';

// The service worker is blocked in the other specs (playwright.config.ts).
test.use({ serviceWorkers: 'allow' });

const PHONE = { width: 390, height: 844 };
const OFFLINE_NOISE = /ERR_INTERNET_DISCONNECTED|ERR_FAILED|ERR_NETWORK_CHANGED|WebSocket connection to .* failed/;

test('the rack page reloads offline, takes 20 wedge scans and syncs them when the network is back', async ({
  page,
  allowConsoleError,
}) => {
  test.setTimeout(120_000);
  allowConsoleError(OFFLINE_NOISE);
  await page.setViewportSize(PHONE);
  await signUpViaApi(page, 'Worker Olga');
  // The second free rack of the ground floor (racks.spec.ts takes the last, racks-conflicts.spec.ts the middle).
  const list = await page.request.get('/api/racks/available?floor=ground');
  const rackId = ((await list.json()) as { racks: { rack_id: string }[] }).racks[1]!.rack_id;

  await page.goto('/racks/');
  await waitForServiceWorker(page);
  await page.getByTestId('floor-ground').click();
  await page.getByTestId(`rack-${rackId}`).click();
  await expect(page.getByTestId('lease')).toHaveAttribute('data-state', 'active');

  // No network, and a reload: the page comes from the service worker and returns to this rack.
  await page.context().setOffline(true);
  const reloaded = await page.reload();
  expect(reloaded?.fromServiceWorker()).toBe(true);
  await expect(page.getByTestId('scan-screen')).toBeVisible();
  await expect(page.getByTestId('error-state')).toHaveCount(0);

  // Twenty scans as a keyboard-wedge scanner sends them: the code's characters, then Enter, into the focused field.
  const code = page.getByTestId('scan-code');
  await code.focus();
  for (let i = 1; i <= 20; i++) {
    await page.keyboard.type(`${rackId}-ITEM${i}`);
    await page.keyboard.press('Enter');
  }
  await expect(page.getByTestId('sync-pending')).toHaveAttribute('data-pending', '20');

  // Back online: the queue drains and the server holds the twenty.
  await page.context().setOffline(false);
  await expect(page.getByTestId('sync-count')).toHaveText('20/20', { timeout: 30_000 });
  const status = await page.request.get(`/api/racks/${rackId}/status`);
  expect(status.status()).toBe(200);
  const body = (await status.json()) as { counts: { total: number } };
  expect(body.counts.total).toBe(20);
  await expect(page.getByTestId('lease')).toHaveAttribute('data-state', 'active');
});

test('a viewer reloaded without a network shows its shell, then comes back live', async ({
  page,
  openPage,
  allowConsoleError,
}) => {
  test.setTimeout(120_000);
  allowConsoleError(OFFLINE_NOISE);
  await signUpViaApi(page);
  const room = await createRoomViaApi(page, 'Tent stage');
  const created = await page.request.post(`/api/rooms/${room.id}/timers`, {
    data: { label: 'Set', durationMs: 600_000 },
  });
  const timerId = ((await created.json()) as { timer: { id: string } }).timer.id;
  const start = await page.request.post(`/api/rooms/${room.id}/timers/${timerId}/start`, {
    headers: { 'X-Keeptime': '1' },
  });
  expect(start.status()).toBe(200);

  const viewer = await openPage({ viewport: { width: 1280, height: 720 } });
  await viewer.goto(`/r/${room.viewer}`);
  await waitForServiceWorker(viewer);
  await expect(viewer.getByTestId('connection')).toHaveAttribute('data-status', 'live');

  await viewer.context().setOffline(true);
  const reloaded = await viewer.reload();
  expect(reloaded?.fromServiceWorker()).toBe(true);
  // The shell is there (the cached /r/ page for this token), waiting for its room.
  await expect(viewer.locator('#viewer')).toBeAttached();
  await expect(viewer.getByTestId('viewer-display')).toHaveCount(0);
  await expect(viewer).toHaveTitle(/Keeptime/);
  await viewer.screenshot({ path: 'e2e/screenshots/pwa-viewer-offline-shell.png' });

  await viewer.context().setOffline(false);
  await expect(viewer.getByTestId('connection')).toHaveAttribute('data-status', 'live', { timeout: 30_000 });
  await expect(viewer.getByTestId('viewer-display')).toHaveAttribute('data-state', 'running');
});
