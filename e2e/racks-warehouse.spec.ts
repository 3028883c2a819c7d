/**
 * The warehouse admin: an admin adds a floor and a rack with its expected
 * items on a phone; a worker finds it in the picker, claims it and completes
 * against those items; the supervisor's board shows the new floor.
 */
import { openTestDb, query } from './db.ts';
import { expect, test } from './fixtures.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, logInViaApi, signUpViaApi } from './helpers.ts';

const PHONE = { width: 390, height: 844 };

test('an admin adds a floor and a rack with expected items; a worker claims it and the summary counts against them', async ({
  page,
  openPage,
  allowConsoleError,
}, testInfo) => {
  test.setTimeout(120_000);
  // The removal of the held rack is refused on purpose.
  allowConsoleError(/status of 409 .*warehouse\/racks\/M01/);
  await page.setViewportSize(PHONE);
  await logInViaApi(page, DEMO_ACCOUNTS[0]!.email, DEMO_PASSWORD);
  await page.goto('/warehouse/');
  await expect(page.getByTestId('wh-floor-ground')).toBeVisible();

  await page.getByTestId('wh-new-floor').fill('Mezzanine');
  await page.getByTestId('wh-add-floor').click();
  await expect(page.getByTestId('wh-floor')).toHaveAttribute('data-floor', 'mezzanine');
  await page.getByTestId('wh-rename').click();
  await page.getByTestId('wh-rename-input').fill('Upper mezzanine');
  await page.getByTestId('wh-rename-save').click();
  await expect(page.getByTestId('wh-floor-name')).toHaveText('Upper mezzanine');

  await page.getByTestId('wh-new-rack').fill('m01');
  await page.getByTestId('wh-add-rack').click();
  const rack = page.getByTestId('wh-rack-M01');
  await expect(rack).toBeVisible();
  await rack.getByTestId('wh-expected').fill('BOLT 4\nNUT twelve');
  await expect(rack.getByTestId('wh-expected-error')).toHaveText('Line 2: write the item code, then the quantity');
  await expect(rack.getByTestId('wh-save-expected')).toBeDisabled();
  await rack.getByTestId('wh-expected').fill('BOLT 4\nNUT 12');
  await rack.getByTestId('wh-save-expected').click();
  await expect(rack.getByTestId('wh-rack-estimate')).toHaveText('2 items · ~16 units');
  await expect(page.getByTestId('toast')).toHaveCount(0, { timeout: 8_000 });
  await page.screenshot({ path: 'e2e/screenshots/warehouse-phone.png', fullPage: true });

  // Mirrored to Postgres: the seed's floors, the new floor's name and the rack's expected items.
  const db = openTestDb(testInfo);
  try {
    // Other rack specs add floors of their own (racks-review, -import, -chaos…): look at these three.
    const floors = () =>
      query<{ id: string; name: string }>(
        db,
        "select id, name from floors where id in ('ground', 'first', 'mezzanine') order by position",
      );
    await expect.poll(floors, { timeout: 10_000 }).toEqual([
      { id: 'ground', name: 'Ground' },
      { id: 'first', name: 'First' },
      { id: 'mezzanine', name: 'Upper mezzanine' },
    ]);
    const items = () =>
      query<{ item_code: string; expected_qty: number }>(
        db,
        "select item_code, expected_qty from rack_items where rack_id = 'M01' order by item_code",
      );
    await expect.poll(items, { timeout: 10_000 }).toEqual([
      { item_code: 'BOLT', expected_qty: 4 },
      { item_code: 'NUT', expected_qty: 12 },
    ]);
    expect(await query(db, "select count(*)::int as n from racks where floor_id = 'ground'")).toEqual([{ n: 12 }]);
  } finally {
    await db.$client.end();
  }

  // A worker sees the new floor and rack, claims it, scans one item and completes.
  const worker = await openPage({ viewport: PHONE });
  await signUpViaApi(worker, 'Worker Wes');
  const refused = await worker.request.get('/api/warehouse');
  expect(refused.status()).toBe(403);
  await worker.goto('/racks/');
  await worker.getByTestId('floor-mezzanine').click();
  await expect(worker.getByTestId('rack-M01')).toContainText('~16 items');
  await worker.getByTestId('rack-M01').click();
  await expect(worker.getByTestId('lease')).toHaveAttribute('data-state', 'active');
  await worker.getByTestId('scan-qty').fill('4');
  await worker.getByTestId('scan-code').fill('BOLT');
  await worker.getByTestId('scan-code').press('Enter');
  await expect(worker.getByTestId('sync-count')).toHaveText('1/1');

  const boss = await openPage({ viewport: { width: 1280, height: 860 } });
  await logInViaApi(boss, DEMO_ACCOUNTS[0]!.email, DEMO_PASSWORD);
  await boss.goto('/board/?floor=mezzanine');
  await expect(boss.getByTestId('board-floor-mezzanine')).toHaveText('Upper mezzanine');
  await expect(boss.getByTestId('board-rack-M01')).toHaveAttribute('data-status', 'claimed');
  await expect(boss.getByTestId('board-rack-M01').getByTestId('board-holder')).toHaveText('Worker Wes');

  // A held rack cannot be removed: the admin is told why.
  await rack.getByTestId('wh-remove').click();
  await rack.getByTestId('wh-remove-confirm').click();
  await expect(page.getByTestId('toast')).toContainText('held');
  await expect(rack).toBeVisible();

  await worker.getByTestId('complete').click();
  await expect(worker.getByTestId('audit-summary')).toBeVisible();
  await expect(worker.getByTestId('summary-missing')).toHaveText('Missing: NUT');
  await expect(boss.getByTestId('board-rack-M01')).toHaveAttribute('data-status', 'available');

  // Desktop view of the admin page, then the removal goes through now the rack is free.
  await boss.goto('/warehouse/');
  await boss.getByTestId('wh-floor-mezzanine').click();
  await boss.getByTestId('wh-rack-M01').getByRole('button', { name: /M01/ }).click();
  await boss.screenshot({ path: 'e2e/screenshots/warehouse-desktop.png', fullPage: true });
  await boss.getByTestId('wh-remove').click();
  await boss.getByTestId('wh-remove-confirm').click();
  await expect(boss.getByTestId('wh-rack-M01')).toHaveCount(0);
});
