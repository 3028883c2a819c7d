/**
 * The rack flow with a keyboard only, on a phone-sized screen: pick the floor and the rack with Tab and Enter,
 * scan with a keyboard-wedge scanner (it "types" the code and Enter wherever the focus is, here on a button, and
 * the scan still lands in the scan field), then complete the audit.
 */
import { expect, test } from './fixtures.ts';
import { signUpViaApi } from './helpers.ts';
import { tabAndPress, tabTo } from './keyboard-helpers.ts';

const FLOOR = 'first';

test('claim a rack, scan by wedge and complete, with no mouse', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 390, height: 844 });
  await signUpViaApi(page, 'Keyboard worker');
  // A free rack away from both ends of the floor (other specs take the first and the last).
  const list = await page.request.get(`/api/racks/available?floor=${FLOOR}`);
  const racks = ((await list.json()) as { racks: { rack_id: string }[] }).racks;
  expect(racks.length).toBeGreaterThan(2);
  const rackId = racks.at(-2)!.rack_id;

  await page.goto('/racks/');
  await expect(page.getByTestId('rack-picker')).toBeVisible();
  await tabAndPress(page, page.getByTestId(`floor-${FLOOR}`));
  const rack = page.getByTestId(`rack-${rackId}`);
  await expect(rack).toBeEnabled();
  await tabAndPress(page, rack);
  await expect(page.getByTestId('scan-screen')).toBeVisible();
  await expect(page.getByTestId('lease')).toHaveAttribute('data-state', 'active');

  // The wedge types into whatever has the focus: put it on the Pause button first.
  const pause = page.getByTestId('pause');
  for (const n of [1, 2, 3]) {
    await tabTo(page, pause);
    await page.keyboard.type(`${rackId}-KB${n}`);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('sync-count')).toHaveText(new RegExp(`^${n}/`));
  }
  // The wedge's Enter never pressed Pause.
  await expect(pause).toBeVisible();
  await expect(page.getByTestId('resume')).toHaveCount(0);
  await expect(page.getByTestId('recent-scans')).toContainText(`${rackId}-KB3`);

  // All synced: complete with Enter.
  await expect(page.getByTestId('sync-pending')).toHaveAttribute('data-pending', '0');
  await tabAndPress(page, page.getByTestId('complete'));
  await expect(page.getByTestId('audit-summary')).toBeVisible();
  await expect(page.getByTestId('stat-scanned-value')).toHaveText('3');
});
