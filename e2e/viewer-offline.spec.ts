/**
 * Issue 12, stale screens: a viewer that loses its connection keeps counting
 * from the last state it had, shows "Offline since 14:02:10" after a few
 * seconds, and clears the mark once it has resynced. The WebSocket is routed
 * through Playwright so the test can cut it (Chromium's setOffline does not
 * close an open socket), as e2e/resilience.spec.ts does.
 */
import type { WebSocketRoute } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { createRoomViaApi, signUpViaApi } from './helpers.ts';

/** "9:52" → 592. */
const seconds = (text: string | null): number =>
  (text ?? '').split(':').reduce((acc, part) => acc * 60 + Number(part), 0);

test('a viewer that goes offline keeps counting, shows since when, and clears the mark once resynced', async ({
  page,
  openPage,
}) => {
  // Two browsers, a cut of several seconds and a reconnect with backoff: a generous whole-test budget.
  test.slow();
  await signUpViaApi(page);
  const room = await createRoomViaApi(page, 'Flaky venue');
  const created = await page.request.post(`/api/rooms/${room.id}/timers`, {
    data: { label: 'Panel', durationMs: 600_000 },
  });
  const timerId = ((await created.json()) as { timer: { id: string } }).timer.id;
  const start = await page.request.post(`/api/rooms/${room.id}/timers/${timerId}/start`, {
    headers: { 'X-Keeptime': '1' },
  });
  expect(start.status()).toBe(200);

  const viewer = await openPage({ viewport: { width: 1280, height: 720 } });
  let down = false;
  const open: WebSocketRoute[] = [];
  await viewer.routeWebSocket(/\/api\/rooms\/.+\/ws/, (ws) => {
    if (down) {
      void ws.close({ code: 1011, reason: 'test: network down' });
      return;
    }
    ws.connectToServer();
    open.push(ws);
  });
  await viewer.goto(`/r/${room.viewer}`);
  const status = viewer.getByTestId('connection');
  const mark = viewer.getByTestId('offline-mark');
  const digits = viewer.getByTestId('display-digits');
  await expect(status).toHaveAttribute('data-status', 'live');
  await expect(viewer.getByTestId('viewer-display')).toHaveAttribute('data-state', 'running');
  await expect(mark).toHaveAttribute('data-shown', 'false');
  await expect(mark).toBeHidden();

  // Cut the connection.
  down = true;
  const cutAt = Date.now();
  await Promise.all(open.splice(0).map((ws) => ws.close({ code: 1012, reason: 'test: cut' })));
  await expect(status).toHaveAttribute('data-status', /reconnecting|offline/);
  // A blip shows nothing yet…
  expect(await mark.getAttribute('data-shown')).toBe('false');
  // …a few seconds offline shows the mark, with the instant the connection went.
  await expect(mark).toHaveAttribute('data-shown', 'true', { timeout: 10_000 });
  expect(Date.now() - cutAt).toBeGreaterThanOrEqual(2_500);
  await expect(mark).toBeVisible();
  await expect(mark).toHaveAttribute('role', 'status');
  const since = Number(await mark.getAttribute('data-since'));
  expect(Math.abs(since - cutAt)).toBeLessThan(1_500);
  // The time reads as the browser's locale writes it.
  const expected = await viewer.evaluate(
    (at) => new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(at),
    since,
  );
  await expect(mark).toHaveText(`Offline since ${expected}`);

  // The display keeps counting from the last state meanwhile.
  const before = seconds(await digits.textContent());
  await viewer.waitForTimeout(2_200);
  const after = seconds(await digits.textContent());
  expect(before - after).toBeGreaterThanOrEqual(2);
  expect(before - after).toBeLessThanOrEqual(3);
  await viewer.screenshot({ path: 'e2e/screenshots/viewer-offline-mark.png' });

  // The owner pauses while the viewer is away; on return the viewer resyncs and the mark clears.
  const paused = await page.request.post(`/api/rooms/${room.id}/timers/${timerId}/pause`, {
    headers: { 'X-Keeptime': '1' },
  });
  expect(paused.status()).toBe(200);
  down = false;
  await expect(status).toHaveAttribute('data-status', 'live', { timeout: 30_000 });
  await expect(viewer.getByTestId('viewer-display')).toHaveAttribute('data-state', 'paused');
  await expect(mark).toHaveAttribute('data-shown', 'false');
  await expect(mark).toBeHidden();
  await expect(mark).toHaveText('');
});
