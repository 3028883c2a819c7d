/**
 * Issue 16, light and dark: the app follows the system's colour scheme, the footer switch overrides it (kept in
 * localStorage and applied by the head script before the first paint), the stage views stay black unless their
 * link asks otherwise, and reduced motion stops pulses and turns the flash into a static inverse.
 * Saves light and dark screenshots, desktop and phone, under e2e/screenshots/theme-*.png.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { createRoomViaApi, signUpViaApi } from './helpers.ts';
import { sessionCommand } from './track-helpers.ts';

const DESKTOP = { width: 1280, height: 860 };
// Several pages and browsers per test on a loaded 2-core machine.
test.describe.configure({ timeout: 120_000 });
const PHONE = { width: 390, height: 844 };

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `e2e/screenshots/theme-${name}.png`, fullPage: true });
}

for (const scheme of ['light', 'dark'] as const) {
  test(`the app follows a ${scheme} system theme on every page, desktop and phone`, async ({ page, openPage }) => {
    // The landing page, signed out (a signed-in visitor goes on to My rooms).
    const visitor = await openPage({ colorScheme: scheme, viewport: DESKTOP });
    await visitor.goto('/');
    await expect(visitor.locator('html')).toHaveAttribute('data-theme', scheme);
    await expect(visitor.getByTestId('landing-signup')).toBeVisible();
    await shoot(visitor, `${scheme}-landing-desktop`);

    await page.emulateMedia({ colorScheme: scheme });
    await signUpViaApi(page, 'Theme tester');
    const room = await createRoomViaApi(page, 'Main hall');
    await page.request.post(`/api/rooms/${room.id}/timers`, { data: { label: 'Keynote', durationMs: 900_000 } });
    await sessionCommand(page, 'start', 'Inventory');

    await page.setViewportSize(DESKTOP);
    for (const [path, ready, name] of [
      ['/rooms/', 'room-row', 'rooms'],
      ['/track/', 'connection', 'track'],
      [`/control/?room=${room.id}`, 'control-panel', 'control'],
    ] as const) {
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
      await expect(page.getByTestId(ready).first()).toBeVisible();
      await expect(page.getByTestId('theme-select')).toHaveValue('system');
      await shoot(page, `${scheme}-${name}-desktop`);
    }
    await page.setViewportSize(PHONE);
    for (const [path, ready, name] of [
      ['/track/', 'connection', 'track'],
      ['/racks/', 'rack-picker', 'racks'],
    ] as const) {
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
      await expect(page.getByTestId(ready)).toBeVisible();
      await shoot(page, `${scheme}-${name}-phone`);
    }
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe(scheme === 'light' ? 'rgb(244, 245, 247)' : 'rgb(11, 13, 16)');
  });
}

test('the switch overrides the system, survives a reload and is applied before any script of the page runs', async ({
  openPage,
  allowConsoleError,
}) => {
  // The refused bundles below, and the islands that then cannot hydrate.
  allowConsoleError(/ERR_FAILED|Error hydrating/);
  // Workers blocked, so that every script request reaches the route below.
  const page = await openPage({ colorScheme: 'light', serviceWorkers: 'block' });
  await page.goto('/login/');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.getByTestId('theme-select').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await page.evaluate(() => localStorage.getItem('kt:theme'))).toBe('dark');

  // With every bundled script refused, only the inline head script can set the theme: no light flash first.
  await page.route('**/_astro/*.js', (route) => route.abort());
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.locator('meta[name="theme-color"]')).toHaveAttribute('content', '#15181d');
  await page.unroute('**/_astro/*.js');

  // Back to System: the light system scheme again, and the stored choice is gone.
  await page.reload();
  await page.getByTestId('theme-select').selectOption('system');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await page.evaluate(() => localStorage.getItem('kt:theme'))).toBeNull();
});

test('the stage view stays black on a light system unless its link asks for light', async ({ page, openPage }) => {
  await signUpViaApi(page);
  const room = await createRoomViaApi(page, 'Stage');
  const viewer = await openPage({ colorScheme: 'light', viewport: DESKTOP });
  await viewer.goto(`/r/${room.viewer}`);
  await expect(viewer.getByTestId('connection')).toHaveAttribute('data-status', 'live');
  expect(await viewer.evaluate(() => document.documentElement.dataset.theme ?? null)).toBeNull();
  expect(await viewer.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(0, 0, 0)');
  await viewer.goto(`/r/${room.viewer}?theme=light`);
  await expect(viewer.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(viewer.getByTestId('connection')).toHaveAttribute('data-status', 'live');
  await viewer.screenshot({ path: 'e2e/screenshots/theme-light-stage.png' });
});

test('under reduced motion the flash is a static inverse and status dots stop pulsing', async ({ page, openPage }) => {
  await signUpViaApi(page);
  const room = await createRoomViaApi(page, 'Quiet room');
  await page.request.post(`/api/rooms/${room.id}/timers`, { data: { label: 'Talk', durationMs: 600_000 } });
  const viewer = await openPage({ reducedMotion: 'reduce', viewport: DESKTOP });
  await viewer.goto(`/r/${room.viewer}`);
  await expect(viewer.getByTestId('connection')).toHaveAttribute('data-status', 'live');
  const sent = await page.request.post(`/api/rooms/${room.id}/message`, { data: { text: 'Wrap up', flash: true } });
  expect(sent.status()).toBe(200);
  const message = viewer.getByTestId('display-message');
  await expect(message).toHaveClass(/is-flashing/);
  const style = await message.evaluate((el) => {
    const s = getComputedStyle(el);
    return { animation: s.animationName, background: s.backgroundColor, color: s.color };
  });
  expect(style).toEqual({ animation: 'none', background: 'rgb(250, 250, 250)', color: 'rgb(0, 0, 0)' });
  await viewer.screenshot({ path: 'e2e/screenshots/theme-reduced-motion-flash.png' });

  // Track's running dot: still, no pulse.
  const track = await openPage({ reducedMotion: 'reduce' });
  await signUpViaApi(track, 'Calm tracker');
  await sessionCommand(track, 'start', 'Quiet work');
  await track.goto('/track/');
  await expect(track.getByTestId('live-session')).toHaveAttribute('data-state', 'running');
  const dot = track.locator('.trk-dot');
  expect(await dot.evaluate((el) => getComputedStyle(el).animationName)).toBe('none');
});
