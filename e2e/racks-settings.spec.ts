/**
 * The warehouse page's count settings, at phone size: an admin sets a floor's review threshold and one item's
 * override, and sets one rack blind, all through the page (with the keyboard where it matters). Then the product
 * proves them: a member's view of the blind rack has no expected quantities, an audit whose variance is under the
 * item's override is posted, and one over it goes to needs_review. A reload shows the saved values; axe is clean.
 */
import type { APIRequestContext, Page } from '@playwright/test';
import { expectedLeaks } from '../core/racks/blind.ts';
import { expectAccessible } from './axe.ts';
import { expect, test } from './fixtures.ts';
import { PHONE, asAdmin, makeRack } from './fixtures/racks-setup.ts';
import { signUpViaApi } from './helpers.ts';

const ITEMS = [
  { item_code: 'BOLT-10', expected_qty: 10 },
  { item_code: 'NUT-5', expected_qty: 10 },
];

/** Claims `rackId` as the member, syncs one record per item, completes; the completion answer. */
async function countOver(
  req: APIRequestContext,
  floor: string,
  rackId: string,
  counts: Record<string, number>,
): Promise<Record<string, unknown>> {
  const claim = await req.post(`/api/racks/${rackId}/claim`, { data: { floor } });
  expect(claim.status(), await claim.text()).toBe(200);
  const { session_id, fencing_token } = (await claim.json()) as { session_id: string; fencing_token: number };
  const now = Date.now();
  const records = Object.entries(counts).map(([item_code, qty], i) => ({
    client_record_id: `${session_id}-${i}`,
    item_code,
    verified_qty: qty,
    damage_qty: 0,
    serial_numbers: [],
    status: 'verified',
    created_at: now,
    updated_at: now,
  }));
  const sync = await req.post('/api/sync/batch', { data: { session_id, fencing_token, records } });
  expect(sync.status(), await sync.text()).toBe(200);
  expect(((await sync.json()) as { accepted: string[] }).accepted).toHaveLength(records.length);
  const done = await req.post(`/api/rack-sessions/${encodeURIComponent(session_id)}/complete`, {
    data: { fencing_token, declared_records: records.length },
  });
  expect(done.status(), await done.text()).toBe(200);
  return (await done.json()) as Record<string, unknown>;
}

const openFloor = async (page: Page, floor: string) => {
  await page.goto('/warehouse/');
  await page.getByTestId(`wh-floor-${floor}`).click({ timeout: 20_000 });
  await expect(page.getByTestId('wh-floor')).toHaveAttribute('data-floor', floor);
};
const openRack = (page: Page, rackId: string) =>
  page.getByTestId(`wh-rack-${rackId}`).locator('.kt-warehouse__rackhead').click();

test('an admin sets review thresholds and a blind rack on the warehouse page, and the counts obey them', async ({
  page,
  openPage,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize(PHONE);
  await asAdmin(page);
  const { floor, rackId: blindRack } = await makeRack(page, 'Settings', ITEMS);
  const openRackId = `${blindRack}X`;
  const added = await page.request.post(`/api/warehouse/floors/${floor}/racks`, {
    data: { rack_id: openRackId, expected: ITEMS },
  });
  expect(added.status(), await added.text()).toBe(201);

  await openFloor(page, floor);
  const review = page.getByTestId('wh-review');
  await expect(review.getByTestId('wh-review-summary')).toContainText('No floor threshold');

  // The floor: over 1 unit goes to review. Keyboard: the editor opens with focus on the first box.
  await review.getByTestId('wh-review-edit').click();
  await expect(review.getByTestId('wh-review-qty')).toBeFocused();
  await page.keyboard.type('1');
  // A bad percentage is named at its box as soon as it is typed.
  await review.getByTestId('wh-review-pct').fill('lots');
  await expect(review.getByTestId('wh-review-pct-error')).toHaveText(
    'Write a percentage from 0 to 10,000, or leave it empty',
  );
  await expect(review.getByTestId('wh-review-pct')).toHaveAttribute('aria-invalid', 'true');
  await review.getByTestId('wh-review-pct').fill('');

  // One item override (NUT-5: over 50 %), added with the keyboard; an empty extra row is refused on save.
  await review.getByTestId('wh-review-add').press('Enter');
  await expect(review.getByTestId('wh-review-item-code')).toBeFocused();
  await page.keyboard.type('NUT-5');
  await review.getByTestId('wh-review-item-pct').fill('50');
  await review.getByTestId('wh-review-add').click();
  await review.getByTestId('wh-review-save').click();
  await expect(review.getByTestId('wh-review-problems')).toHaveText('2 things to fix before saving.');
  const empty = review.getByTestId('wh-review-item').nth(1);
  await expect(empty.getByTestId('wh-review-item-code')).toBeFocused();
  await expect(empty.getByTestId('wh-review-item-code-error')).toHaveText('Write the item code');
  await expect(empty.getByTestId('wh-review-item-error')).toContainText('Set a quantity, a percentage or both');
  await expectAccessible(page, 'warehouse: thresholds form with problems (phone)');
  await empty.getByTestId('wh-review-item-remove').click();
  await expect(review.getByTestId('wh-review-add')).toBeFocused();
  await page.screenshot({ path: 'e2e/screenshots/racks-settings-phone.png', fullPage: true });
  await review.getByTestId('wh-review-save').click();
  await expect(review.getByTestId('wh-review-summary')).toHaveText('A variance over 1 unit goes to review.');
  await expect(review.getByTestId('wh-review-overrides')).toHaveText('NUT-5: over 50%');

  // The blind rack: its own setting, from "follow the floor" to "blind" with the arrow key.
  await openRack(page, blindRack);
  const sw = page.getByTestId(`wh-rack-${blindRack}`).getByTestId('wh-rack-blind');
  await expect(sw).toHaveAttribute('data-value', 'inherit');
  await expect(sw).toHaveAttribute('data-effective', 'open');
  await sw.getByTestId('wh-rack-blind-inherit').focus();
  await page.keyboard.press('ArrowRight');
  await expect(sw.getByTestId('wh-rack-blind-on')).toBeFocused();
  await expect(page.getByTestId('toast')).toContainText(`Rack ${blindRack}: blind counting on`);
  await expect(sw).toHaveAttribute('data-value', 'on');
  await expect(sw).toHaveAttribute('data-effective', 'blind');
  await expect(page.getByTestId(`wh-rack-${blindRack}`).getByTestId('wh-rack-blind-tag')).toHaveText('Blind');
  await expect(page.getByTestId(`wh-rack-${openRackId}`).getByTestId('wh-rack-blind-tag')).toHaveCount(0);
  await expectAccessible(page, 'warehouse: thresholds saved, blind rack open (phone)');
  await page.screenshot({ path: 'e2e/screenshots/racks-settings-blind-phone.png', fullPage: true });

  // A reload shows what was saved.
  await openFloor(page, floor);
  await expect(review.getByTestId('wh-review-summary')).toHaveText('A variance over 1 unit goes to review.');
  await expect(review.getByTestId('wh-review-overrides')).toHaveText('NUT-5: over 50%');
  await openRack(page, blindRack);
  await expect(sw).toHaveAttribute('data-value', 'on');
  await expect(sw.getByTestId('wh-rack-blind-on')).toBeChecked();
  await review.getByTestId('wh-review-edit').click();
  await expect(review.getByTestId('wh-review-qty')).toHaveValue('1');
  await expect(review.getByTestId('wh-review-pct')).toHaveValue('');
  await expect(review.getByTestId('wh-review-item-code')).toHaveValue('NUT-5');
  await expect(review.getByTestId('wh-review-item-pct')).toHaveValue('50');
  await review.getByTestId('wh-review-cancel').click();

  // The product obeys. A member's list and status of the blind rack carry no expected quantity; the other rack's do.
  const member = await openPage({ viewport: PHONE });
  await signUpViaApi(member, 'Counter Cato');
  const req = member.request;
  const list = (await (await req.get(`/api/racks/available?floor=${floor}`)).json()) as {
    racks: { rack_id: string; item_estimate: number | null }[];
  };
  expect(list.racks.find((r) => r.rack_id === blindRack)?.item_estimate).toBeNull();
  expect(list.racks.find((r) => r.rack_id === openRackId)?.item_estimate).toBe(20);
  const status = await (await req.get(`/api/racks/${blindRack}/status`)).json();
  expect(status).toMatchObject({ blind: true });
  expect(expectedLeaks(status)).toEqual([]);

  // NUT-5 off by 3 of 10 (30 %, under its 50 % override though over the floor's 1 unit), BOLT-10 off by 1: posted.
  const posted = await countOver(req, floor, blindRack, { 'BOLT-10': 9, 'NUT-5': 7 });
  expect(posted.audit_status).toBe('posted');
  expect(posted.blind).toBe(true);
  expect(expectedLeaks(posted)).toEqual([]);
  // NUT-5 off by 6 (60 %, over its override) and BOLT-10 off by 2 (over the floor's 1 unit): needs review.
  const flagged = await countOver(req, floor, openRackId, { 'BOLT-10': 8, 'NUT-5': 4 });
  expect(flagged.audit_status).toBe('needs_review');
  expect([...(flagged.flagged as string[])].sort()).toEqual(['BOLT-10', 'NUT-5']);
});
