/**
 * Device control from the control panel: identify flashes one chosen screen, a rename survives the screen
 * reloading, disconnect leaves the screen on a final "disconnected by the organiser" page, and quiet and offline
 * screens are marked in the devices list.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { type CreatedRoom, createRoomViaApi, openControl, signUpViaApi } from './helpers.ts';

/** A viewer screen with a label of its own (?device=), in its own browser context (its own device id). */
async function openViewer(openPage: () => Promise<Page>, room: CreatedRoom, label: string): Promise<Page> {
  const viewer = await openPage();
  await viewer.goto(`/r/${room.viewer}?device=${encodeURIComponent(label)}`);
  await expect(viewer.locator('.kt-viewer')).toBeVisible();
  return viewer;
}

/** The panel's row for the screen labelled `label` (its name or its browser label). */
const rowOf = (panel: Page, label: string) => panel.getByTestId('device-row').filter({ hasText: label });

test.beforeEach(async ({ page }) => {
  await signUpViaApi(page);
});

test('Identify flashes the chosen viewer only', async ({ page, openPage }) => {
  const room = await createRoomViaApi(page, 'Identify');
  await openControl(page, room.id);
  const left = await openViewer(openPage, room, 'Screen Left');
  const right = await openViewer(openPage, room, 'Screen Right');
  await expect(rowOf(page, 'Screen Left')).toHaveAttribute('data-online', 'true');
  await expect(rowOf(page, 'Screen Right')).toHaveAttribute('data-online', 'true');

  await rowOf(page, 'Screen Left').getByTestId('device-identify').click();
  const overlay = left.getByTestId('identify-overlay');
  await expect(overlay).toBeVisible();
  const shownAt = Date.now();
  await expect(left.getByTestId('identify-name')).toContainText('Screen Left');
  await left.screenshot({ path: 'e2e/screenshots/devices-identify-viewer.png' });
  await expect(right.getByTestId('identify-overlay')).toHaveCount(0);
  await expect(page.getByTestId('devices-status')).toContainText('done');
  // It goes away by itself after about 3 s (generous bounds: the machine may be loaded).
  await expect(overlay).toBeHidden({ timeout: 8_000 });
  const shownFor = Date.now() - shownAt;
  expect(shownFor).toBeGreaterThan(1_500);
  expect(shownFor).toBeLessThan(6_000);
  await expect(right.getByTestId('identify-overlay')).toHaveCount(0);
});

test('a rename shows in the panel and survives the viewer reloading; Reload reloads that screen', async ({
  page,
  openPage,
}) => {
  const room = await createRoomViaApi(page, 'Rename');
  await openControl(page, room.id);
  const viewer = await openViewer(openPage, room, 'Chrome in the hall');
  const row = rowOf(page, 'Chrome in the hall');
  await expect(row).toHaveAttribute('data-online', 'true');
  const deviceId = await row.getAttribute('data-device-id');
  expect(deviceId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  const byId = page.locator(`[data-testid="device-row"][data-device-id="${deviceId}"]`);

  // Keyboard only: open the form, type, Enter.
  await row.getByTestId('device-rename').click();
  const input = page.getByTestId('device-name-input');
  await expect(input).toBeFocused();
  await input.fill('Stage left');
  await input.press('Enter');
  await expect(byId.getByTestId('device-name')).toHaveText('Stage left');

  // The viewer reloads by itself (same browser, same device id): the name is still there.
  await viewer.reload();
  await expect(viewer.locator('.kt-viewer')).toBeVisible();
  await expect(byId).toHaveCount(1);
  await expect(byId).toHaveAttribute('data-online', 'true');
  await expect(byId.getByTestId('device-name')).toHaveText('Stage left');

  // Identify shows the new name on that screen.
  await byId.getByTestId('device-identify').click();
  await expect(viewer.getByTestId('identify-name')).toContainText('Stage left');

  // Reload from the panel reloads the screen (a fresh page load), and it comes back under its name.
  const loaded = viewer.waitForEvent('load');
  await byId.getByTestId('device-reload').click();
  await loaded;
  await expect(viewer.locator('.kt-viewer')).toBeVisible();
  await expect(byId).toHaveAttribute('data-online', 'true');
  await expect(byId.getByTestId('device-name')).toHaveText('Stage left');
});

test('disconnect shows the viewer a final "disconnected by the organiser" screen, without reconnecting', async ({
  page,
  openPage,
}) => {
  const room = await createRoomViaApi(page, 'Disconnect');
  await openControl(page, room.id);
  const gone = await openViewer(openPage, room, 'Old laptop');
  const stays = await openViewer(openPage, room, 'Foyer TV');
  const row = rowOf(page, 'Old laptop');
  await expect(row).toHaveAttribute('data-online', 'true');

  const disconnect = row.getByTestId('device-disconnect');
  await disconnect.click();
  await expect(disconnect).toHaveAttribute('data-confirm', 'true');
  await disconnect.click();

  const screen = gone.getByTestId('error-state');
  await expect(screen).toHaveAttribute('data-kind', 'disconnected');
  await expect(screen).toContainText('Disconnected by the organiser');
  await expect(row).toHaveAttribute('data-online', 'false');
  await expect(row.getByTestId('device-marks')).toContainText('Offline');
  // Well past every reconnect backoff: still disconnected, and the panel never saw it come back.
  await gone.waitForTimeout(6_000);
  await expect(screen).toHaveAttribute('data-kind', 'disconnected');
  await expect(row).toHaveAttribute('data-online', 'false');
  // The other screen was not touched.
  await expect(stays.locator('.kt-viewer')).toBeVisible();
  await expect(rowOf(page, 'Foyer TV')).toHaveAttribute('data-online', 'true');
  await gone.screenshot({ path: 'e2e/screenshots/devices-disconnected.png' });
});

test('quiet and offline marks appear in the panel', async ({ page, openPage }) => {
  test.slow(); // a screen goes quiet after 45 s without a ping
  const room = await createRoomViaApi(page, 'Health');
  await openControl(page, room.id);
  const healthy = await openViewer(openPage, room, 'Healthy screen');
  // A screen whose pings never reach the room (a frozen page): its socket stays open, keepalives flow.
  const frozen = await openPage();
  await frozen.routeWebSocket(/\/api\/rooms\/.+\/ws/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      if (typeof m === 'string' && m.includes('"type":"ping"')) return;
      server.send(m);
    });
  });
  await frozen.goto(`/r/${room.viewer}?device=${encodeURIComponent('Frozen screen')}`);
  await expect(frozen.locator('.kt-viewer')).toBeVisible();
  const leaving = await openViewer(openPage, room, 'Leaving screen');

  await expect(rowOf(page, 'Frozen screen')).toHaveAttribute('data-online', 'true');
  await expect(rowOf(page, 'Leaving screen')).toHaveAttribute('data-online', 'true');
  await expect(rowOf(page, 'Frozen screen')).toHaveAttribute('data-quiet', 'false');

  // Offline: the screen is closed; it stays listed, marked offline, with its last-seen time.
  await leaving.close();
  const left = rowOf(page, 'Leaving screen');
  await expect(left).toHaveAttribute('data-online', 'false');
  await expect(left.getByTestId('device-marks')).toHaveText('Offline');
  await expect(left.getByTestId('device-seen')).not.toBeEmpty();

  // Quiet: no ping for more than 45 s.
  await expect(rowOf(page, 'Frozen screen')).toHaveAttribute('data-quiet', 'true', { timeout: 75_000 });
  await expect(rowOf(page, 'Frozen screen').getByTestId('device-marks')).toContainText('Quiet');
  await expect(rowOf(page, 'Healthy screen')).toHaveAttribute('data-quiet', 'false');
  await expect(rowOf(page, 'Healthy screen').getByTestId('device-marks')).toHaveText('Online');
  await expect(healthy.locator('.kt-viewer')).toBeVisible();
  await page.locator('.ctl-devices').screenshot({ path: 'e2e/screenshots/devices-health-panel.png' });
  // On a phone the table scrolls sideways inside its card; the page itself does not.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('.ctl-devices').scrollIntoViewIfNeeded();
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    view: window.innerWidth,
    table: document.querySelector('.ctl-devices__scroll')?.scrollWidth ?? 0,
    box: document.querySelector('.ctl-devices__scroll')?.clientWidth ?? 0,
  }));
  expect(widths.page).toBeLessThanOrEqual(widths.view);
  expect(widths.table).toBeGreaterThan(widths.box);
  await page.locator('.ctl-devices').screenshot({ path: 'e2e/screenshots/devices-health-phone.png' });
});
