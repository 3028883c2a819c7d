/**
 * WCAG 2.2 AA, checked by axe in the browser, on every page in its main
 * states: 0 violations or the test fails (each state is a soft check, so one
 * run lists every page that falls short).
 */
import type { Page } from '@playwright/test';
import { expectAccessible } from './axe.ts';
import { expect, test } from './fixtures.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, createRoomViaApi, logInViaApi, openControl, signUpViaApi } from './helpers.ts';
import { openTrack, sessionCommand } from './track-helpers.ts';

const BODY_LESS = { headers: { 'X-Keeptime': '1' } };
const VIEWS = ['countdown', 'presenter', 'agenda', 'clock'] as const;

/** A room with three cues, the second running, and a message on screen. */
async function runningRoom(page: Page): Promise<{ id: string; viewer: string }> {
  const room = await createRoomViaApi(page, 'Accessible show');
  const base = `/api/rooms/${room.id}`;
  expect((await page.request.put(base, { data: { plannedStart: Date.now() - 60_000 } })).status()).toBe(200);
  const ids: string[] = [];
  for (const [label, min] of [
    ['Welcome', 5],
    ['Keynote', 20],
    ['Q&A', 10],
  ] as const) {
    const res = await page.request.post(`${base}/timers`, {
      data: { label, durationMs: min * 60_000, notes: `${label} notes` },
    });
    expect(res.status()).toBe(201);
    ids.push(((await res.json()) as { timer: { id: string } }).timer.id);
  }
  expect((await page.request.post(`${base}/timers/${ids[1]}/start`, BODY_LESS)).status()).toBe(200);
  const msg = await page.request.post(`${base}/message`, { data: { text: 'Five minutes left', target: 'all' } });
  expect(msg.status()).toBe(200);
  return room;
}

test('public pages: login, signup, landing, 404, a bad viewer link', async ({ page, allowConsoleError }) => {
  test.setTimeout(120_000);
  allowConsoleError(/status of 40[34]|WebSocket connection to .* failed/);
  await page.goto('/login/');
  await expect(page.getByTestId('auth-email')).toBeVisible();
  await expectAccessible(page, 'login');
  await page.goto('/signup/');
  await expect(page.getByTestId('auth-name')).toBeVisible();
  await expectAccessible(page, 'signup');
  await page.goto('/');
  await expect(page.getByTestId('landing-login')).toBeVisible();
  await expectAccessible(page, 'landing');
  await page.goto('/no-such-page/');
  await expectAccessible(page, '404');
  await page.goto('/r/not-a-real-link');
  await expect(page.getByTestId('error-state')).toBeVisible();
  await expectAccessible(page, 'viewer bad link');
});

test('rooms, the control panel (running, message, help, history) and every viewer view', async ({ page, openPage }) => {
  // Axe runs a dozen times here: minutes on a loaded 2-core machine.
  test.setTimeout(240_000);
  await signUpViaApi(page, 'Axe owner');
  await page.goto('/rooms/');
  await expect(page.getByTestId('rooms-empty')).toBeVisible();
  await expectAccessible(page, 'rooms (empty)');
  const room = await runningRoom(page);
  await page.goto('/rooms/');
  await expect(page.getByTestId('room-row')).toHaveCount(1);
  await expectAccessible(page, 'rooms (one room)');

  await openControl(page, room.id);
  await expect(page.getByTestId('preview-display')).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('msg-current')).toContainText('Five minutes left');
  await expectAccessible(page, 'control (running + message)');
  await page.getByTestId('help-open').click();
  await expect(page.getByTestId('help-overlay')).toBeVisible();
  await expectAccessible(page, 'control (help open)');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('help-overlay')).toBeHidden();
  await page.getByTestId('tab-history').click();
  await expect(page.getByTestId('tab-history')).toHaveAttribute('aria-selected', 'true');
  await page.waitForTimeout(1_000);
  await expectAccessible(page, 'control history tab');

  for (const view of VIEWS) {
    const p = await openPage({ viewport: { width: 1280, height: 720 } });
    await p.goto(`/r/${room.viewer}?view=${view}`);
    await expect(p.getByTestId('connection')).toHaveAttribute('data-status', 'live');
    await expectAccessible(p, `viewer ${view}`);
    await p.close();
  }
});

test('account, integrations, Track idle, running and with history, and reports', async ({ page }) => {
  test.setTimeout(180_000);
  await signUpViaApi(page, 'Axe tracker');
  await page.goto('/account/');
  await expect(page.locator('main, body').first()).toBeVisible();
  await page.waitForLoadState('networkidle');
  await expectAccessible(page, 'account');
  await page.goto('/integrations/');
  await page.waitForLoadState('networkidle');
  await expectAccessible(page, 'integrations');

  await openTrack(page);
  await expect(page.getByTestId('session-start')).toBeEnabled();
  await expectAccessible(page, 'track (idle)');
  await sessionCommand(page, 'start', 'Writing');
  await expect(page.getByTestId('session-pause')).toBeVisible();
  await expectAccessible(page, 'track (running)');
  await sessionCommand(page, 'stop');
  await expect(page.getByTestId('session-start')).toBeVisible();
  await page.waitForLoadState('networkidle');
  await expectAccessible(page, 'track (after a session, with history and chart)');
  await page.goto('/reports/');
  await expect(page.getByTestId('report')).toHaveAttribute('data-loading', 'false');
  await expectAccessible(page, 'reports');
});

test('racks: the picker and the scan screen', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 390, height: 844 });
  await signUpViaApi(page, 'Axe worker');
  await page.goto('/racks/');
  await expect(page.getByTestId('rack-picker')).toBeVisible();
  await expectAccessible(page, 'racks (picker)');
  await page.getByTestId('floor-ground').click();
  const free = page.locator('[data-testid^="rack-"]:enabled').first();
  await expect(free).toBeVisible();
  await expectAccessible(page, 'racks (floor list)');
  await free.click();
  await expect(page.getByTestId('scan-screen')).toBeVisible();
  await page.getByTestId('scan-code').fill('AXE-ITEM-1');
  await page.getByTestId('scan-code').press('Enter');
  await expect(page.getByTestId('sync-count')).toHaveText(/^1\//);
  await expectAccessible(page, 'racks (scan screen)');
});

test('admin pages: ops, board, conflicts, warehouse, reviews', async ({ page }) => {
  test.setTimeout(180_000);
  await logInViaApi(page, DEMO_ACCOUNTS[0]!.email, DEMO_PASSWORD);
  await page.goto('/ops/');
  await expect(page.getByTestId('health-overall')).toBeVisible();
  await expect(page.getByTestId('feed-panel').getByTestId('connection')).toHaveAttribute('data-status', 'live');
  await expectAccessible(page, 'ops');
  await page.goto('/board/?floor=ground');
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'live');
  await expectAccessible(page, 'board');
  await page.goto('/conflicts/?floor=ground');
  await page.waitForLoadState('networkidle');
  await expectAccessible(page, 'conflicts');
  await page.goto('/warehouse/');
  await expect(page.getByTestId('wh-floor-ground')).toBeVisible();
  await expectAccessible(page, 'warehouse');
  await page.goto('/reviews/?floor=ground');
  await page.waitForLoadState('networkidle');
  await expectAccessible(page, 'reviews');
});
