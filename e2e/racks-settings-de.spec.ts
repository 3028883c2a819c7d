/**
 * The warehouse thresholds editor in a German browser: numbers are typed and shown the German way (decimal comma,
 * point for thousands), stored as plain numbers, and a value written the English way is still read right.
 */
import { expect, test } from './fixtures.ts';
import { asAdmin, makeRack } from './fixtures/racks-setup.ts';

test.use({ locale: 'de-DE', timezoneId: 'Europe/Berlin' });

interface FloorView {
  id: string;
  review: { qty: number | null; pct: number | null; items: Record<string, { qty: number | null; pct: number | null }> };
}

test('thresholds typed with a decimal comma and a thousands point are saved as numbers and shown in German', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await asAdmin(page);
  const { floor } = await makeRack(page, 'Lager', [{ item_code: 'MUTTER-8', expected_qty: 2_000 }]);
  const stored = async () => {
    const layout = (await (await page.request.get('/api/warehouse')).json()) as { floors: FloorView[] };
    return layout.floors.find((f) => f.id === floor)?.review;
  };

  await page.goto('/warehouse/');
  await page.getByTestId(`wh-floor-${floor}`).click({ timeout: 20_000 });
  await expect(page.getByTestId('wh-floor')).toHaveAttribute('data-floor', floor);
  const review = page.getByTestId('wh-review');
  await review.getByTestId('wh-review-edit').click();
  await review.getByTestId('wh-review-qty').fill('1.000');
  await review.getByTestId('wh-review-pct').fill('2,5');
  // A bad value's message writes its bounds the German way.
  await review.getByTestId('wh-review-add').click();
  await review.getByTestId('wh-review-item-code').fill('MUTTER-8');
  await review.getByTestId('wh-review-item-pct').fill('viel');
  await expect(review.getByTestId('wh-review-item-pct-error')).toHaveText(
    'Write a percentage from 0 to 10.000, or leave it empty',
  );
  // The English way (a decimal point with no thousands group) is read right too.
  await review.getByTestId('wh-review-item-pct').fill('12.5');
  await expect(review.getByTestId('wh-review-item-pct-error')).toHaveCount(0);
  await review.getByTestId('wh-review-save').click();

  await expect.poll(stored).toEqual({ qty: 1000, pct: 2.5, items: { 'MUTTER-8': { qty: null, pct: 12.5 } } });
  await expect(review.getByTestId('wh-review-summary')).toContainText('1.000');
  await expect(review.getByTestId('wh-review-summary')).toContainText('2,5 %');
  await expect(review.getByTestId('wh-review-overrides')).toContainText('12,5 %');

  // Editing again shows the stored values in German input form.
  await review.getByTestId('wh-review-edit').click();
  await expect(review.getByTestId('wh-review-qty')).toHaveValue('1000');
  await expect(review.getByTestId('wh-review-pct')).toHaveValue('2,5');
  await expect(review.getByTestId('wh-review-item-pct')).toHaveValue('12,5');
  await review.getByTestId('wh-review-cancel').click();
});
