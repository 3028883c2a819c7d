/**
 * The warehouse audit: two workers race for one rack, the winner scans
 * offline into the IndexedDB queue, reloads, comes back online and the queue
 * drains; a supervisor's floor board follows it live.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, logInViaApi, signUpViaApi } from './helpers.ts';

const PHONE = { width: 390, height: 844 };
const FLOOR = 'first';

async function openRackList(page: Page, rackId: string): Promise<void> {
  await page.goto('/racks/');
  await expect(page.getByTestId('rack-picker')).toBeVisible();
  await page.getByTestId(`floor-${FLOOR}`).click();
  await expect(page.getByTestId(`rack-${rackId}`)).toBeEnabled();
}

test('two workers race for a rack; the winner scans 150 items offline, reloads, and syncs them all while the board follows', async ({
  page,
  openPage,
  allowConsoleError,
}) => {
  test.setTimeout(120_000);
  // The loser's 409, the blocked and offline sync requests, and the rack socket retrying while offline.
  allowConsoleError(/status of 409|ERR_FAILED|ERR_INTERNET_DISCONNECTED|WebSocket connection to .* failed/);
  await page.setViewportSize(PHONE);
  await signUpViaApi(page, 'Worker Ann');
  const rival = await openPage({ viewport: PHONE });
  await signUpViaApi(rival, 'Worker Bob');
  const boss = await openPage({ viewport: { width: 1280, height: 860 } });
  await logInViaApi(boss, DEMO_ACCOUNTS[0]!.email, DEMO_PASSWORD);

  // The last free rack of the floor: other tests start from the first.
  const list = await page.request.get(`/api/racks/available?floor=${FLOOR}`);
  const racks = ((await list.json()) as { racks: { rack_id: string }[] }).racks;
  const rackId = racks.at(-1)!.rack_id;

  await boss.goto(`/board/?floor=${FLOOR}`);
  await expect(boss.getByTestId('connection')).toHaveAttribute('data-status', 'live');
  const tile = boss.getByTestId(`board-rack-${rackId}`);
  await expect(tile).toHaveAttribute('data-status', 'available');

  // (a) Both tap the same rack at once: exactly one gets it.
  await openRackList(page, rackId);
  await openRackList(rival, rackId);
  await Promise.all([page.getByTestId(`rack-${rackId}`).click(), rival.getByTestId(`rack-${rackId}`).click()]);
  for (const p of [page, rival])
    await expect(p.getByTestId('scan-screen').or(p.getByTestId('rack-error'))).toBeVisible();
  const pageWon = (await page.getByTestId('scan-screen').count()) === 1;
  const [winner, loser] = pageWon ? [page, rival] : [rival, page];
  await expect(winner.getByTestId('scan-screen')).toBeVisible();
  await expect(loser.getByTestId('scan-screen')).toHaveCount(0);
  await expect(loser.getByTestId('rack-error')).toContainText(`Rack ${rackId} is taken by`);
  await expect(winner.getByTestId('scan-rack')).toHaveText(rackId);
  await expect(winner.getByTestId('lease')).toHaveAttribute('data-state', 'active');
  await expect(winner.getByTestId('lease-countdown')).toHaveText(/^[01]:\d\d$/);

  // (c) The board shows the holder at once.
  await expect(tile).toHaveAttribute('data-status', 'claimed');
  await expect(tile.getByTestId('board-holder')).not.toHaveText('—');

  // (b) 150 scans with no network: all kept on the device.
  await winner.context().setOffline(true);
  await expect(winner.getByTestId('sync-note')).toContainText('Offline');
  const code = winner.getByTestId('scan-code');
  for (let i = 1; i <= 150; i++) {
    await code.fill(`${rackId}-SKU${String(i).padStart(3, '0')}`);
    await code.press('Enter');
  }
  await expect(winner.getByTestId('sync-count')).toHaveText('0/150');
  await expect(winner.getByTestId('sync-pending')).toHaveAttribute('data-pending', '150');
  await expect(tile.getByTestId('board-counts')).toHaveAttribute('data-total', '0');

  // Reload with the batch route blocked, so nothing leaves before the reload; the queue comes back from IndexedDB.
  await winner.route('**/api/sync/batch', (route) => route.abort());
  await winner.context().setOffline(false);
  await winner.reload();
  await expect(winner.getByTestId('scan-screen')).toBeVisible();
  await expect(winner.getByTestId('scan-rack')).toHaveText(rackId);
  await expect(winner.getByTestId('sync-count')).toHaveText('0/150');
  await expect(winner.getByTestId('lease-countdown')).toHaveText(/^[01]:\d\d$/);

  // Offline again, unblock, then back online: the queue drains in batches.
  await winner.context().setOffline(true);
  await winner.unroute('**/api/sync/batch');
  await winner.context().setOffline(false);
  await expect(winner.getByTestId('sync-count')).toHaveText('150/150', { timeout: 15_000 });
  await expect(winner.getByTestId('sync-pending')).toHaveAttribute('data-pending', '0');
  await expect(winner.getByTestId('sync-note')).toHaveText('All scans sent');

  // (c) The board follows live.
  await expect(tile.getByTestId('board-counts')).toHaveAttribute('data-total', '150');
  await expect(tile).toHaveAttribute('data-status', 'claimed');

  // (d) Screenshots, once the progress bar's width transition has finished (not caught mid-way).
  const bar = winner.getByTestId('sync-progress');
  await expect
    .poll(() =>
      bar.evaluate(
        (el) =>
          Math.abs(
            (el.firstElementChild as HTMLElement).getBoundingClientRect().width - el.getBoundingClientRect().width,
          ) < 0.5,
      ),
    )
    .toBe(true);
  await winner.screenshot({ path: 'e2e/screenshots/racks.png' });
  await boss.screenshot({ path: 'e2e/screenshots/board.png', fullPage: true });

  // Completing ends the lease; the board frees the rack.
  await winner.getByTestId('complete').click();
  await expect(winner.getByTestId('audit-summary')).toBeVisible();
  await expect(winner.getByTestId('stat-scanned-value')).toHaveText('150');
  await expect(tile).toHaveAttribute('data-status', 'available');
});

test('a lease ended under the worker blocks scanning until the rack is claimed again', async ({
  page,
  openPage,
  allowConsoleError,
}) => {
  allowConsoleError(/status of 409/);
  await page.setViewportSize(PHONE);
  await signUpViaApi(page, 'Worker Cy');
  const list = await page.request.get('/api/racks/available?floor=ground');
  const rackId = ((await list.json()) as { racks: { rack_id: string }[] }).racks.at(-1)!.rack_id;
  await page.goto('/racks/');
  await page.getByTestId('floor-ground').click();
  await page.getByTestId(`rack-${rackId}`).click();
  await expect(page.getByTestId('lease')).toHaveAttribute('data-state', 'active');
  const code = page.getByTestId('scan-code');
  await code.fill(`${rackId}-ITEM1`);
  await code.press('Enter');
  await expect(page.getByTestId('sync-count')).toHaveText('1/1');

  // A supervisor ends the lease; the worker's rack socket says so.
  const boss = await openPage();
  await logInViaApi(boss, DEMO_ACCOUNTS[0]!.email, DEMO_PASSWORD);
  const forced = await boss.request.post(`/api/racks/${rackId}/force-release`, { data: { reason: 'e2e: lease lost' } });
  expect(forced.status()).toBe(200);
  await expect(page.getByTestId('lease-lost')).toBeVisible();
  await expect(page.getByTestId('lease')).toHaveAttribute('data-state', 'lost');
  await expect(code).toBeDisabled();

  await page.getByTestId('reclaim').click();
  await expect(page.getByTestId('lease')).toHaveAttribute('data-state', 'active');
  await expect(page.getByTestId('lease-lost')).toHaveCount(0);
  await expect(code).toBeEnabled();
});
