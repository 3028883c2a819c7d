/**
 * Never-lost scans, through the real scan page: offline in the middle of a
 * batch, the reply of an accepted batch lost on the way back, a storm of
 * failing retries, a reload while a batch is in flight, and completion right
 * after the network returns. Afterwards the server's records are exactly the
 * device's scans, each once.
 */
import type { Page, Route } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { PHONE, asAdmin, claimThroughPicker, makeRack } from './fixtures/racks-setup.ts';
import { signUpViaApi } from './helpers.ts';

// page.route sees the sync requests only when no service worker answers them.
test.use({ serviceWorkers: 'block' });

const NOISE =
  /ERR_INTERNET_DISCONNECTED|ERR_FAILED|ERR_CONNECTION_RESET|ERR_NETWORK_CHANGED|status of 503|WebSocket connection to .* failed/;

/** The device's queued scans of a session, read from IndexedDB. */
const deviceScans = (page: Page, sessionId: string) =>
  page.evaluate(
    (sid) =>
      new Promise<{ id: string; code: string; synced: number }[]>((resolve, reject) => {
        const req = indexedDB.open('kt-racks');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const get = req.result.transaction('scans').objectStore('scans').index('session').getAll(sid);
          get.onsuccess = () =>
            resolve(
              (get.result as { client_record_id: string; item_code: string; synced: number }[]).map((r) => ({
                id: r.client_record_id,
                code: r.item_code,
                synced: r.synced,
              })),
            );
          get.onerror = () => reject(get.error);
        };
      }),
    sessionId,
  );

test('offline mid-batch, a lost reply, retry storms and a reload: the server holds every scan exactly once', async ({
  page,
  openPage,
  allowConsoleError,
}) => {
  test.setTimeout(180_000);
  allowConsoleError(NOISE);
  await page.setViewportSize(PHONE);
  const boss = await openPage();
  await asAdmin(boss);
  const { floor, rackId } = await makeRack(boss, 'Chaos');
  await signUpViaApi(page, 'Chaos Chad');
  await claimThroughPicker(page, floor, rackId);
  const sessionId = (await page.getByTestId('scan-screen').getAttribute('data-session'))!;
  expect(sessionId).toContain(rackId);

  let n = 0;
  const code = page.getByTestId('scan-code');
  const scan = async (count: number) => {
    for (let i = 0; i < count; i++) {
      n++;
      await code.fill(`CH-${String(n).padStart(3, '0')}`);
      await code.press('Enter');
    }
  };
  const pending = page.getByTestId('sync-pending');
  const stats = { lost: 0, failed: 0, delayed: 0, passed: 0 };
  let mode: 'pass' | 'lose-reply' | 'fail' | 'delay' = 'pass';
  let failuresLeft = 0;
  await page.route('**/api/sync/batch', async (route: Route) => {
    if (mode === 'lose-reply') {
      // The server takes the batch; its answer never reaches the page.
      mode = 'pass';
      await route.fetch();
      stats.lost++;
      return route.abort('connectionreset');
    }
    if (mode === 'fail' && failuresLeft > 0) {
      failuresLeft--;
      stats.failed++;
      return route.fulfill({ status: 503, json: { error: { code: 'unavailable', message: 'storm' } } });
    }
    if (mode === 'delay') {
      stats.delayed++;
      await new Promise((r) => setTimeout(r, 2_500));
      return route.continue().catch(() => undefined);
    }
    stats.passed++;
    return route.continue();
  });

  // 1. Online scans, then offline in the middle of the next batch.
  await scan(5);
  await expect(pending).toHaveAttribute('data-pending', '0', { timeout: 15_000 });
  await scan(3);
  await page.context().setOffline(true);
  await scan(7);
  await expect(page.getByTestId('unsynced-badge')).toBeVisible();
  await expect(page.getByTestId('complete')).toBeDisabled();
  await expect(page.getByTestId('complete-blocked')).toBeVisible();
  await page.screenshot({ path: 'e2e/screenshots/racks-chaos-offline-phone.png', fullPage: true });

  // 2. Back online, and the first batch's reply is lost: the page must send it again and get duplicates.
  mode = 'lose-reply';
  await page.context().setOffline(false);
  await expect.poll(() => stats.lost, { timeout: 15_000 }).toBe(1);
  await expect(pending).toHaveAttribute('data-pending', '0', { timeout: 30_000 });

  // 3. A retry storm: every send fails for a while, and the network flaps so retries come at once.
  mode = 'fail';
  failuresLeft = 8;
  await scan(6);
  for (let i = 0; i < 4; i++) {
    await page.context().setOffline(true);
    await page.context().setOffline(false);
    await page.waitForTimeout(300);
  }
  await expect.poll(() => stats.failed, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
  failuresLeft = 0;
  mode = 'pass';
  await page.context().setOffline(true);
  await page.context().setOffline(false);
  await expect(pending).toHaveAttribute('data-pending', '0', { timeout: 60_000 });

  // 4. A reload while a batch is in flight (its answer dies with the page).
  mode = 'delay';
  await scan(4);
  await expect.poll(() => stats.delayed, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
  await page.reload();
  mode = 'pass';
  await expect(page.getByTestId('scan-screen')).toBeVisible();
  await expect(pending).toHaveAttribute('data-pending', '0', { timeout: 30_000 });

  // 5. Offline scans, then complete as soon as the page allows after the network returns.
  await page.context().setOffline(true);
  await scan(3);
  await expect(page.getByTestId('complete')).toBeDisabled();
  await page.context().setOffline(false);
  const device = await deviceScans(page, sessionId);
  expect(device.length).toBe(n);

  // The server's records before completing: exactly the device's, once each.
  await expect(pending).toHaveAttribute('data-pending', '0', { timeout: 30_000 });
  const records = (await (
    await boss.request.get(`/api/rack-sessions/${encodeURIComponent(sessionId)}/records`)
  ).json()) as {
    records: { client_record_id: string; item_code: string; verified_qty: number }[];
  };
  const serverIds = records.records.map((r) => r.client_record_id).sort();
  expect(new Set(serverIds).size).toBe(serverIds.length);
  expect(serverIds).toEqual(device.map((d) => d.id).sort());
  expect(records.records.map((r) => r.item_code).sort()).toEqual(device.map((d) => d.code).sort());
  expect(records.records.every((r) => r.verified_qty === 1)).toBe(true);

  await page.getByTestId('complete').click();
  await expect(page.getByTestId('audit-summary')).toBeVisible();
  await expect(page.getByTestId('stat-scanned-value')).toHaveText(String(n));
  console.log(`[chaos] scans=${n} lostReplies=${stats.lost} stormFailures=${stats.failed} delayed=${stats.delayed}`);
});

test('the server refuses a completion that declares more scans than it received', async ({ page, openPage }) => {
  test.setTimeout(120_000);
  const boss = await openPage();
  await asAdmin(boss);
  const { floor, rackId } = await makeRack(boss, 'Declare');
  await signUpViaApi(page, 'Declaring Dee');
  await claimThroughPicker(page, floor, rackId);
  const sessionId = (await page.getByTestId('scan-screen').getAttribute('data-session'))!;
  await page.getByTestId('scan-code').fill('D-1');
  await page.getByTestId('scan-code').press('Enter');
  await expect(page.getByTestId('sync-count')).toHaveText('1/1', { timeout: 15_000 });
  const token = Number(sessionId.split(':').at(-1));
  const res = await page.request.post(`/api/rack-sessions/${encodeURIComponent(sessionId)}/complete`, {
    data: { fencing_token: token, declared_records: 2 },
  });
  expect(res.status()).toBe(409);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unsynced_records');
  await expect(page.getByTestId('lease')).toHaveAttribute('data-state', 'active');
});
