/**
 * The headline flow: an owner signs up and creates a room, a viewer opens the
 * share link in another browser, and both screens count, pause and show the
 * same time. A viewer cannot control the room through the API.
 */
import { expect, test } from './fixtures.ts';
import { addTimer, createRoomViaUi, signUpViaUi, viewerLink } from './helpers.ts';

test('owner drives a room; the viewer follows live and cannot control it', async ({
  page,
  openPage,
  allowConsoleError,
}) => {
  // Two browsers, ten steps, screenshots: the whole-test budget (no assertion) is tripled for a loaded 2-core machine.
  test.slow();
  // (1) An owner signs up and creates a room.
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signUpViaUi(page, 'Stage Manager');
  await createRoomViaUi(page, 'Main stage');
  const link = await viewerLink(page);

  // (2) A viewer, in another browser context, opens the share link.
  const viewer = await openPage({ viewport: { width: 1280, height: 720 } });
  await viewer.goto(link);
  await expect(viewer.getByTestId('connection')).toHaveAttribute('data-status', 'live');
  await expect(viewer.getByTestId('display-empty')).toHaveText('Waiting for the first timer');
  await expect(page.getByTestId('count-viewers')).toHaveText('1');

  // (3) The owner adds timers and starts the first; the viewer counts within a second.
  await addTimer(page, 'Opening remarks', '0:10');
  await addTimer(page, 'Keynote', '20:00');
  const viewerDigits = viewer.getByTestId('display-digits');
  const previewDigits = page.getByTestId('preview').getByTestId('display-digits');
  await expect(viewer.getByTestId('display-label')).toHaveText('Opening remarks');
  await expect(viewerDigits).toHaveText('0:10.0');
  await expect(viewer.getByTestId('display-next')).toContainText('Keynote');

  await page.getByTestId('ctl-start').click();
  const clicked = Date.now();
  await expect(viewerDigits).not.toHaveText('0:10.0', { timeout: 1000 });
  expect(Date.now() - clicked).toBeLessThan(1000);
  await expect(viewer.getByTestId('viewer-display')).toHaveAttribute('data-state', 'running');
  const early = await viewerDigits.textContent();
  await viewer.waitForTimeout(300);
  expect(await viewerDigits.textContent(), 'the viewer keeps counting').not.toBe(early);

  // (4) A pause freezes both displays at the same reading.
  await page.getByTestId('ctl-pause').click();
  await expect(viewer.getByTestId('viewer-display')).toHaveAttribute('data-state', 'paused');
  await expect(page.getByTestId('preview-display')).toHaveAttribute('data-state', 'paused');
  const first = [await viewerDigits.textContent(), await previewDigits.textContent()];
  await page.waitForTimeout(1200);
  const second = [await viewerDigits.textContent(), await previewDigits.textContent()];
  expect(first[0]).toMatch(/^0:0\d\.\d$/);
  expect(second).toEqual(first);
  expect(first[1]).toBe(first[0]);

  // (5) The viewer's token cannot control the room over HTTP.
  allowConsoleError(/status of 403/);
  const token = link.split('/r/')[1] as string;
  const refused = await viewer.evaluate(async (t) => {
    const roomId = t.split('_')[0];
    const asPath = await fetch(`/api/rooms/${t}/next`, { method: 'POST', headers: { 'X-Keeptime': '1' } });
    const asQuery = await fetch(`/api/rooms/${roomId}/message?token=${encodeURIComponent(t)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'hijack' }),
    });
    return [asPath.status, ((await asPath.json()) as { error: { code: string } }).error.code, asQuery.status];
  }, token);
  expect(refused).toEqual([403, 'forbidden', 403]);
  await expect(viewer.getByTestId('display-message')).toHaveCount(0);

  // The control panel lists the viewer's device with its clock offset and RTT.
  const viewerRow = page.getByTestId('device-row').and(page.locator('[data-role="viewer"]'));
  await expect(viewerRow).toHaveCount(1);
  await expect(viewerRow.getByTestId('device-rtt')).toHaveText(/ms$/);

  // (6) Screenshots, with the timer running in its normal colour.
  await page.getByTestId('ctl-nudge-plus-60').click();
  await page.getByTestId('ctl-start').click();
  await expect(viewer.getByTestId('viewer-display')).toHaveAttribute('data-phase', 'normal');
  await viewer.screenshot({ path: 'e2e/screenshots/viewer-desktop.png' });

  const phone = await openPage({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  await phone.goto(link);
  await expect(phone.getByTestId('connection')).toHaveAttribute('data-status', 'live');
  await expect(phone.getByTestId('viewer-display')).toHaveAttribute('data-state', 'running');
  await phone.screenshot({ path: 'e2e/screenshots/viewer-phone.png' });

  await expect(page.getByTestId('count-viewers')).toHaveText('2');
  await page.screenshot({ path: 'e2e/screenshots/control-panel.png', fullPage: true });
});
