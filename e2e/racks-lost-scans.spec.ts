/**
 * Scans made offline while the lease is lost are kept, not dropped: after the
 * worker claims the rack again they are offered for sending under the new
 * claim, and the server answers them by its normal rules (new items accepted,
 * an item the old lease already wrote comes back as a conflict).
 */
import { expect, test } from './fixtures.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, logInViaApi, signUpViaApi } from './helpers.ts';

const PHONE = { width: 390, height: 844 };

test('offline scans queued when the lease was lost are sent under the new claim', async ({
  page,
  openPage,
  allowConsoleError,
}) => {
  test.setTimeout(120_000);
  allowConsoleError(/status of 409|ERR_FAILED|ERR_INTERNET_DISCONNECTED|WebSocket connection to .* failed/);
  await page.setViewportSize(PHONE);
  await signUpViaApi(page, 'Worker Lou');
  // The second free rack of the first floor: the other racks tests take the last one and the middle of the ground floor.
  const list = await page.request.get('/api/racks/available?floor=first');
  const rackId = ((await list.json()) as { racks: { rack_id: string }[] }).racks[1]!.rack_id;
  await page.goto('/racks/');
  await page.getByTestId('floor-first').click();
  await page.getByTestId(`rack-${rackId}`).click();
  await expect(page.getByTestId('lease')).toHaveAttribute('data-state', 'active');
  const code = page.getByTestId('scan-code');
  await code.fill(`${rackId}-ITEM1`);
  await code.press('Enter');
  await expect(page.getByTestId('sync-count')).toHaveText('1/1');

  // Offline, three more scans (one of them the same item again); meanwhile a supervisor ends the lease.
  await page.context().setOffline(true);
  for (const item of ['ITEM1', 'ITEM2', 'ITEM3']) {
    await code.fill(`${rackId}-${item}`);
    await code.press('Enter');
  }
  await expect(page.getByTestId('sync-pending')).toHaveAttribute('data-pending', '3');
  const boss = await openPage();
  await logInViaApi(boss, DEMO_ACCOUNTS[0]!.email, DEMO_PASSWORD);
  expect(
    (
      await boss.request.post(`/api/racks/${rackId}/force-release`, { data: { reason: 'e2e: lost while offline' } })
    ).status(),
  ).toBe(200);

  // Back online: the sync is refused with the stale token, the lease is lost, and the scans are still on the device.
  await page.context().setOffline(false);
  await expect(page.getByTestId('lease')).toHaveAttribute('data-state', 'lost', { timeout: 15_000 });
  await expect(page.getByTestId('lost-pending')).toContainText('3 unsent scans are kept on this device');

  // Claim again: the three are offered, then sent under the new claim.
  await page.getByTestId('reclaim').click();
  await expect(page.getByTestId('lease')).toHaveAttribute('data-state', 'active');
  await expect(page.getByTestId('leftover')).toHaveAttribute('data-count', '3');
  await page.screenshot({ path: 'e2e/screenshots/racks-leftover-phone.png', fullPage: true });
  await page.getByTestId('leftover-send').click();
  await expect(page.getByTestId('leftover')).toHaveCount(0);
  await expect(page.getByTestId('sync-count')).toHaveText('3/3');
  // ITEM2 and ITEM3 are new; ITEM1 was written under the lost lease, so this write is a conflict to resolve.
  await expect(page.getByTestId('conflict-badge')).toHaveAttribute('data-count', '1');
  const status = (await (await page.request.get(`/api/racks/${rackId}/status`)).json()) as {
    counts: { total: number; conflicts: number };
  };
  expect(status.counts).toMatchObject({ total: 3, conflicts: 1 });

  // A reload offers nothing more: every scan went out.
  await page.reload();
  await expect(page.getByTestId('scan-screen')).toBeVisible();
  await expect(page.getByTestId('sync-count')).toHaveText('3/3');
  await expect(page.getByTestId('leftover')).toHaveCount(0);
});
