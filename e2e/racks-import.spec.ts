/**
 * Expected stock from the system of record: an admin loads a CSV on the
 * warehouse page, sees the per-row errors in the preview, fixes the file,
 * applies it (merge), and applying it again changes nothing. Then the audit
 * export downloads for a date range.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures.ts';
import { PHONE, asAdmin, makeRack } from './fixtures/racks-setup.ts';

test('an admin imports expected stock from a CSV: preview with row errors, apply, apply again idempotently', async ({
  page,
  allowConsoleError,
}) => {
  test.setTimeout(120_000);
  // The refused preview answers 422 on purpose.
  allowConsoleError(/status of 422/);
  await page.setViewportSize(PHONE);
  await asAdmin(page);
  const { floor, rackId } = await makeRack(page, 'Import', [{ item_code: 'KEEP-1', expected_qty: 7 }]);
  const newRack = `${rackId}N`;
  const bad = [
    'rack,item_code,description,expected_qty,serials,floor',
    `${rackId},SCREW-4,Screws 4 mm,40,,`,
    `${rackId},WASHER,Washers,-3,,`,
    `${newRack},LAMP-1,Lamp,2,SN-1|SN-2,`,
  ].join('\n');
  await page.goto('/warehouse/');
  await expect(page.getByTestId('stock')).toBeVisible();
  await page.getByTestId('stock-file').setInputFiles({
    name: 'stock.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(bad),
  });
  await expect(page.getByTestId('stock-csv')).toHaveValue(bad);
  await page.getByTestId('stock-preview').click();
  await expect(page.getByTestId('stock-errors')).toBeVisible();
  // Row 3 has a negative quantity; row 4 names a new rack with no floor.
  await expect(page.locator('[data-testid="stock-error"][data-row="3"]')).toBeVisible();
  await expect(page.locator('[data-testid="stock-error"][data-row="4"]')).toBeVisible();
  await expect(page.getByTestId('stock-apply')).toBeDisabled();
  await page.getByTestId('stock').screenshot({ path: 'e2e/screenshots/racks-import-errors-phone.png' });

  const good = [
    'rack,item_code,description,expected_qty,serials,floor',
    `${rackId},SCREW-4,Screws 4 mm,40,,`,
    `${rackId},WASHER,Washers,3,,`,
    `${newRack},LAMP-1,Lamp,2,SN-1|SN-2,${floor}`,
  ].join('\n');
  await page.getByTestId('stock-csv').fill(good);
  await page.getByTestId('stock-mode-merge').check();
  await page.getByTestId('stock-preview').click();
  const summary = page.getByTestId('stock-summary');
  await expect(summary).toHaveAttribute('data-racks', '2');
  await expect(page.locator(`[data-testid="stock-rack"][data-rack="${newRack}"]`)).toHaveAttribute(
    'data-status',
    'new',
  );
  await expect(page.locator(`[data-testid="stock-rack"][data-rack="${rackId}"]`)).toHaveAttribute(
    'data-status',
    'changed',
  );
  await page.getByTestId('stock-apply').click();
  await expect(page.getByTestId('stock-done')).toHaveAttribute('data-changed', '2');
  await page.getByTestId('stock').screenshot({ path: 'e2e/screenshots/racks-import-done-phone.png' });

  // Merged: the rack keeps its old item beside the new ones; the new rack is on the floor with its serials.
  const layout = (await (await page.request.get('/api/warehouse')).json()) as {
    floors: { id: string; racks: { rack_id: string; expected: { item_code: string; expected_qty: number }[] }[] }[];
  };
  const racks = layout.floors.find((f) => f.id === floor)!.racks;
  const codes = (id: string) =>
    racks
      .find((r) => r.rack_id === id)!
      .expected.map((e) => `${e.item_code}=${e.expected_qty}`)
      .sort();
  expect(codes(rackId)).toEqual(['KEEP-1=7', 'SCREW-4=40', 'WASHER=3']);
  expect(codes(newRack)).toEqual(['LAMP-1=2']);

  // The same file again changes nothing.
  await page.getByTestId('stock-preview').click();
  await expect(page.getByTestId('stock-summary')).toHaveAttribute('data-changed', '0');
  await page.getByTestId('stock-apply').click();
  await expect(page.getByTestId('stock-done')).toHaveAttribute('data-changed', '0');

  // The export downloads as CSV with its header.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const text = readFileSync((await download.path())!, 'utf8');
  expect(text.split('\n')[0]).toContain('audit_id,rack,floor,item_code');
});
