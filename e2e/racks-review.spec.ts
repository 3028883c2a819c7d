/**
 * A blind audit with a variance goes to review; the supervisor requests a
 * recount for one worker in a second context, that worker recounts in a
 * third, and the audit is posted. Three people, three browser contexts,
 * phone-sized screens for the workers.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { PHONE, asAdmin, claimThroughPicker, makeRack } from './fixtures/racks-setup.ts';
import { signUpViaApi } from './helpers.ts';

async function scan(page: Page, code: string, qty: number): Promise<void> {
  await page.getByTestId('scan-qty').fill(String(qty));
  await page.getByTestId('scan-code').fill(code);
  await page.getByTestId('scan-code').press('Enter');
  await expect(page.getByTestId('recent-scans')).toContainText(code);
}

const myId = async (page: Page) =>
  ((await (await page.request.get('/api/me')).json()) as { user: { id: string } }).user.id;

test('a blind audit with a variance is reviewed, recounted by a named worker, then posted', async ({
  page,
  openPage,
}) => {
  test.setTimeout(150_000);
  const boss = await openPage();
  await asAdmin(boss);
  const { floor, rackId } = await makeRack(boss, 'Blind', [
    { item_code: 'BOLT-10', expected_qty: 10 },
    { item_code: 'NUT-5', expected_qty: 5 },
    { item_code: 'PIN-3', expected_qty: 3 },
  ]);
  const blind = await boss.request.put(`/api/warehouse/racks/${rackId}/blind`, { data: { blind: true } });
  expect(blind.status(), await blind.text()).toBe(200);
  const review = await boss.request.put(`/api/warehouse/floors/${floor}/review`, { data: { qty: 1 } });
  expect(review.status(), await review.text()).toBe(200);

  // Worker one counts blind: the picker and the scan screen show no expected numbers.
  await page.setViewportSize(PHONE);
  await signUpViaApi(page, 'Counter Cleo');
  await page.goto('/racks/');
  await page.getByTestId(`floor-${floor}`).click();
  await expect(page.getByTestId(`rack-${rackId}`)).toContainText('blind count');
  await page.getByTestId(`rack-${rackId}`).click();
  await expect(page.getByTestId('lease')).toHaveAttribute('data-state', 'active');
  await scan(page, 'BOLT-10', 10);
  await scan(page, 'NUT-5', 2);
  await scan(page, 'PIN-3', 3);
  await expect(page.getByTestId('sync-pending')).toHaveAttribute('data-pending', '0', { timeout: 15_000 });
  await page.getByTestId('complete').click();
  await expect(page.getByTestId('audit-summary')).toBeVisible();
  await expect(page.getByTestId('summary-status')).toHaveAttribute('data-status', 'needs_review');
  await expect(page.getByTestId('summary-counted')).toContainText('NUT-5: 2');
  // After completion the counter sees what was counted, never what was expected.
  await expect(page.getByTestId('stat-expected')).toHaveCount(0);
  await expect(page.getByTestId('audit-summary')).not.toContainText('Expected');
  await page.screenshot({ path: 'e2e/screenshots/racks-blind-summary-phone.png', fullPage: true });

  // The supervisor sees the variance and asks worker two to recount the flagged item.
  const second = await openPage({ viewport: PHONE });
  await signUpViaApi(second, 'Recounter Remy');
  const remy = await myId(second);
  await boss.goto(`/reviews/?floor=${floor}`);
  const card = boss.getByTestId('review').filter({ hasText: rackId });
  await expect(card).toHaveAttribute('data-status', 'needs_review');
  await expect(card.getByTestId('review-counter')).toHaveText('Counter Cleo');
  const nut = card.locator('[data-testid="review-item"][data-item="NUT-5"]');
  await expect(nut).toHaveAttribute('data-flagged', 'true');
  await expect(nut.getByTestId('review-expected')).toHaveText('5');
  await expect(nut.getByTestId('review-counted')).toHaveText('2');
  await expect(nut.getByTestId('review-variance')).toHaveText('-3');
  await expect(card.locator('[data-testid="review-item"][data-item="BOLT-10"]')).toHaveAttribute(
    'data-flagged',
    'false',
  );
  await boss.screenshot({ path: 'e2e/screenshots/racks-review-desktop.png', fullPage: true });
  await nut.getByTestId('review-recount-ask').click();
  await card.getByTestId('review-assignee').fill(remy);
  await card.getByTestId('review-confirm').click();
  await expect(card).toHaveAttribute('data-status', 'recount');
  await expect(card.getByTestId('review-recount')).toContainText('NUT-5');

  // The board shows the rack waiting for its recount, in the recount colour.
  await boss.goto(`/board/?floor=${floor}`);
  await expect(boss.getByTestId(`board-rack-${rackId}`)).toHaveAttribute('data-status', 'recount');
  await boss.screenshot({ path: 'e2e/screenshots/racks-board-recount.png', fullPage: true });

  // Worker two claims the recount: just the flagged item, under a normal lease.
  await claimThroughPicker(second, floor, rackId);
  await expect(second.getByTestId('recount-banner')).toHaveAttribute('data-items', 'NUT-5');
  await scan(second, 'NUT-5', 5);
  await expect(second.getByTestId('sync-pending')).toHaveAttribute('data-pending', '0', { timeout: 15_000 });
  await second.screenshot({ path: 'e2e/screenshots/racks-recount-phone.png', fullPage: true });
  await second.getByTestId('complete').click();
  await expect(second.getByTestId('audit-summary')).toContainText('Recount complete');

  // Within the threshold now: accepted by the recount, and the audit is posted with its history.
  await boss.goto(`/reviews/?floor=${floor}`);
  await boss.getByTestId('reviews-all').click();
  const done = boss.getByTestId('review').filter({ hasText: rackId });
  await expect(done).toHaveAttribute('data-status', 'posted', { timeout: 15_000 });
  await expect(
    done.locator('[data-testid="review-item"][data-item="NUT-5"]').getByTestId('review-recounted'),
  ).toHaveText('recount 5');
  await done.getByTestId('review-history').locator('summary').click();
  await expect(done.getByTestId('review-history')).toContainText('posted');
  await expect(done.getByTestId('review-history')).toContainText('recount');
  await boss.screenshot({ path: 'e2e/screenshots/racks-review-posted.png', fullPage: true });
});
