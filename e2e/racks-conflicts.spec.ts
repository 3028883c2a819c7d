/**
 * Conflicts: Ann scans an item and releases the rack; Bob claims it and scans
 * the same item without having seen Ann's count, which the server keeps as a
 * conflict. Bob's scan screen shows a badge, the supervisor's board a count;
 * Bob resolves it (merged) and the board's count drops live.
 */
import type { Page } from '@playwright/test';
import { openTestDb, query } from './db.ts';
import { expect, test } from './fixtures.ts';
import { makeRack } from './fixtures/racks-setup.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, logInViaApi, signUpViaApi } from './helpers.ts';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 860 };

async function claimInUi(page: Page, floor: string, rackId: string): Promise<void> {
  await page.goto('/racks/');
  await page.getByTestId(`floor-${floor}`).click();
  await page.getByTestId(`rack-${rackId}`).click();
  await expect(page.getByTestId('lease')).toHaveAttribute('data-state', 'active');
}

async function scan(page: Page, code: string, qty: number): Promise<void> {
  await page.getByTestId('scan-qty').fill(String(qty));
  await page.getByTestId('scan-code').fill(code);
  await page.getByTestId('scan-code').press('Enter');
}

test('a second claim writes an item the first already scanned: the conflict shows on the phone and the board, and resolving it clears both live', async ({
  page,
  openPage,
}, testInfo) => {
  test.setTimeout(120_000);
  await page.setViewportSize(PHONE);
  await signUpViaApi(page, 'Worker Ann');
  const bob = await openPage({ viewport: PHONE });
  await signUpViaApi(bob, 'Worker Bob');
  const boss = await openPage({ viewport: DESKTOP });
  await logInViaApi(boss, DEMO_ACCOUNTS[0]!.email, DEMO_PASSWORD);

  // A floor and rack of its own: specs running side by side never write the same item.
  const { floor, rackId } = await makeRack(boss, 'Conflicts');
  const item = `${rackId}-ITEM1`;

  await boss.goto(`/board/?floor=${floor}`);
  await expect(boss.getByTestId('connection')).toHaveAttribute('data-status', 'live');
  const tile = boss.getByTestId(`board-rack-${rackId}`);
  await expect(tile.getByTestId('board-conflicts-count')).toHaveAttribute('data-count', '0');

  // Ann counts 4 and lets the rack go.
  await claimInUi(page, floor, rackId);
  await expect(tile.getByTestId('board-holder')).toHaveText('Worker Ann');
  await scan(page, item, 4);
  await expect(page.getByTestId('sync-count')).toHaveText('1/1');
  await page.getByTestId('release').click();
  await expect(page.getByTestId('audit-summary')).toBeVisible();
  await expect(tile).toHaveAttribute('data-status', 'available');

  // Bob claims and counts 7 of the same item, never having seen Ann's 4: a conflict, not an overwrite.
  await claimInUi(bob, floor, rackId);
  await expect(tile.getByTestId('board-holder')).toHaveText('Worker Bob');
  await scan(bob, item, 7);
  await expect(bob.getByTestId('sync-count')).toHaveText('1/1');
  const badge = bob.getByTestId('conflict-badge');
  await expect(badge).toHaveAttribute('data-count', '1');
  await expect(tile.getByTestId('board-conflicts-count')).toHaveAttribute('data-count', '1');
  await expect(boss.getByTestId('board-conflicts')).toHaveAttribute('data-count', '1');
  await boss.screenshot({ path: 'e2e/screenshots/board-conflicts.png', fullPage: true });

  // The supervisor's floor list (desktop) and Bob's rack list (phone) show the three choices side by side.
  const bossList = await openPage({ viewport: DESKTOP });
  await logInViaApi(bossList, DEMO_ACCOUNTS[0]!.email, DEMO_PASSWORD);
  await bossList.goto(`/conflicts/?floor=${floor}`);
  const bossCard = bossList.getByTestId(`conflict-${item}`);
  await expect(bossCard).toBeVisible();
  await bossList.screenshot({ path: 'e2e/screenshots/conflicts-desktop.png', fullPage: true });

  await badge.click();
  await expect(bob).toHaveURL(new RegExp(`/conflicts/\\?rack=${rackId}$`));
  const card = bob.getByTestId(`conflict-${item}`);
  await expect(card.getByTestId('conflict-mine')).toContainText('7 ok');
  await expect(card.getByTestId('conflict-theirs')).toContainText('4 ok');
  await expect(card.getByTestId('conflict-merged')).toContainText('7 ok');
  await bob.screenshot({ path: 'e2e/screenshots/conflicts-phone.png', fullPage: true });

  // The open conflict's id, read before resolving: a resolved conflict is pruned from the rack once it is mirrored.
  const open = await bob.request.get(`/api/racks/${rackId}/conflicts`);
  const [pending] = ((await open.json()) as { conflicts: { id: string }[] }).conflicts;
  expect(pending?.id).toBeTruthy();

  await card.getByTestId('resolve-merged').click();
  await expect(bob.getByTestId('conflicts-empty')).toBeVisible();
  await expect(card).toHaveCount(0);

  // The board's count drops live, and the supervisor's open list empties by itself.
  await expect(tile.getByTestId('board-conflicts-count')).toHaveAttribute('data-count', '0');
  await expect(boss.getByTestId('board-conflicts')).toHaveAttribute('data-count', '0');
  await expect(bossCard).toHaveCount(0);
  await expect(bossList.getByTestId('conflicts-empty')).toBeVisible();

  // Resolving again (a stale second device) is refused and changes nothing (Postgres keeps "merged" below): 409 while
  // the resolved conflict is still held, 404 once it has been mirrored and pruned.
  const resolved = pending;
  const twice = await bob.request.post(`/api/racks/${rackId}/conflicts/${encodeURIComponent(resolved!.id)}/resolve`, {
    data: { choice: 'mine' },
  });
  expect([404, 409]).toContain(twice.status());

  // Journaled to Postgres: the conflict, how it was resolved, and the item written by the resolution.
  const db = openTestDb(testInfo);
  try {
    const row = async () =>
      (
        await query<{ status: string; choice: string | null; resolved_by: string | null }>(
          db,
          'select status, choice, resolved_by from scan_conflicts where rack_id = $1 and conflict_id = $2',
          [rackId, resolved!.id],
        )
      )[0] ?? null;
    await expect
      .poll(row, { timeout: 10_000 })
      .toMatchObject({ status: 'resolved', choice: 'merged', resolved_by: expect.any(String) });
    const written = await query<{ verified_qty: number; version: number }>(
      db,
      'select verified_qty, version from scan_records where rack_id = $1 and client_record_id = $2',
      [rackId, resolved!.id],
    );
    expect(written).toEqual([{ verified_qty: 7, version: 2 }]);
  } finally {
    await db.$client.end();
  }

  // Back on the scan screen: no badge, the rack holds Bob's merged count.
  await bob.getByTestId('conflicts-back').click();
  await expect(bob.getByTestId('scan-screen')).toBeVisible();
  await expect(bob.getByTestId('conflict-badge')).toHaveCount(0);
});
