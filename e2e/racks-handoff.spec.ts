/**
 * Supervisor lease actions from the floor board: a half-counted rack is
 * handed from one worker to another (the old holder's phone is told and
 * stops; the new holder's opens the rack with the scans so far), then the
 * supervisor breaks the new lease with a reason.
 */
import { expect, test } from './fixtures.ts';
import { PHONE, asAdmin, claimThroughPicker, makeRack } from './fixtures/racks-setup.ts';
import { signUpViaApi } from './helpers.ts';

test('a supervisor hands a rack to another worker, then breaks the lease; each old holder is told and stops', async ({
  page,
  openPage,
  allowConsoleError,
}) => {
  test.setTimeout(120_000);
  // The old holder's last heartbeat or sync after the hand-off is refused with 409 on purpose.
  allowConsoleError(/status of 409/);
  await page.setViewportSize(PHONE);
  const boss = await openPage();
  await asAdmin(boss);
  const { floor, rackId } = await makeRack(boss, 'Handoff');
  await signUpViaApi(page, 'First Fay');
  await claimThroughPicker(page, floor, rackId);
  for (const c of ['HO-1', 'HO-2']) {
    await page.getByTestId('scan-code').fill(c);
    await page.getByTestId('scan-code').press('Enter');
  }
  await expect(page.getByTestId('sync-count')).toHaveText('2/2', { timeout: 15_000 });

  const next = await openPage({ viewport: PHONE });
  await signUpViaApi(next, 'Second Sam');
  const sam = ((await (await next.request.get('/api/me')).json()) as { user: { id: string } }).user.id;
  await next.goto('/racks/');
  await expect(next.getByTestId(`floor-${floor}`)).toBeVisible({ timeout: 20_000 });

  // The board shows the lease's age and heartbeat age; the supervisor hands the rack to Sam.
  await boss.goto(`/board/?floor=${floor}`);
  const card = boss.getByTestId(`board-rack-${rackId}`);
  await expect(card).toHaveAttribute('data-status', 'claimed', { timeout: 20_000 });
  await expect(card.getByTestId('board-lease-age')).toContainText('held');
  await card.getByTestId('board-handoff').click();
  await card.getByTestId('handoff-to').fill(sam);
  await card.getByTestId('lease-reason').fill('Fay goes on break');
  await boss.screenshot({ path: 'e2e/screenshots/racks-board-handoff.png' });
  await card.getByTestId('lease-confirm').click();
  await expect(card.getByTestId('board-holder')).toHaveAttribute('title', sam, { timeout: 15_000 });

  // Fay's phone is told and stops scanning.
  await expect(page.getByTestId('lease')).toHaveAttribute('data-state', 'lost', { timeout: 15_000 });
  await expect(page.getByTestId('lease-lost-reason')).toHaveAttribute('data-reason', 'handed-off');
  await expect(page.getByTestId('scan-code')).toBeDisabled();
  await page.screenshot({ path: 'e2e/screenshots/racks-handed-off-phone.png', fullPage: true });

  // Sam's phone opens the rack under the new lease, with the scans so far on the rack.
  await expect(next.getByTestId('scan-screen')).toHaveAttribute('data-rack', rackId, { timeout: 20_000 });
  await expect(next.getByTestId('lease')).toHaveAttribute('data-state', 'active');
  await expect(next.getByTestId('stat-rack-total-value')).toHaveText('2', { timeout: 15_000 });
  await next.getByTestId('scan-code').fill('HO-3');
  await next.getByTestId('scan-code').press('Enter');
  await expect(next.getByTestId('sync-count')).toHaveText('1/1', { timeout: 15_000 });

  // Then the supervisor breaks Sam's lease: the rack is free and Sam's phone stops.
  await card.getByTestId('board-break').click();
  await card.getByTestId('lease-reason').fill('Stock count closed early');
  await card.getByTestId('lease-confirm').click();
  await expect(card).toHaveAttribute('data-status', 'available', { timeout: 15_000 });
  await expect(next.getByTestId('lease')).toHaveAttribute('data-state', 'lost', { timeout: 15_000 });
  await expect(next.getByTestId('lease-lost-reason')).toHaveAttribute('data-reason', 'broken');
});
