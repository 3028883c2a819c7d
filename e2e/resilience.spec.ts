/**
 * Connection loss: the viewer shows it is reconnecting, backs off instead of
 * hammering the server, and catches up on what it missed when it is back.
 * The WebSocket is routed through Playwright so the test can cut it.
 */
import type { WebSocketRoute } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { createRoomViaApi, signUpViaApi } from './helpers.ts';

test('a viewer that loses its connection backs off, reconnects and catches up', async ({ page, openPage }) => {
  await signUpViaApi(page);
  const room = await createRoomViaApi(page, 'Flaky network');
  const created = await page.request.post(`/api/rooms/${room.id}/timers`, {
    data: { label: 'Session', durationMs: 600_000 },
  });
  const timerId = ((await created.json()) as { timer: { id: string } }).timer.id;

  const viewer = await openPage();
  let down = false;
  let refused = 0;
  const open: WebSocketRoute[] = [];
  await viewer.routeWebSocket(/\/api\/rooms\/.+\/ws/, (ws) => {
    if (down) {
      refused++;
      void ws.close({ code: 1011, reason: 'test: network down' });
      return;
    }
    ws.connectToServer();
    open.push(ws);
  });

  await viewer.goto(`/r/${room.viewer}`);
  const status = viewer.getByTestId('connection');
  await expect(status).toHaveAttribute('data-status', 'live');
  await expect(viewer.getByTestId('viewer-display')).toHaveAttribute('data-state', 'idle');

  // Cut the connection; the owner starts the timer while the viewer is away.
  down = true;
  await Promise.all(open.splice(0).map((ws) => ws.close({ code: 1012, reason: 'test: cut' })));
  await expect(status).toHaveAttribute('data-status', /reconnecting|offline/);
  await expect(status).toContainText(/Reconnecting|Offline/);
  expect(
    (
      await page.request.post(`/api/rooms/${room.id}/timers/${timerId}/start`, { headers: { 'X-Keeptime': '1' } })
    ).status(),
  ).toBe(200);

  await viewer.waitForTimeout(2_000);
  // Exponential backoff with jitter: a handful of attempts in two seconds, not a tight loop.
  expect(refused).toBeGreaterThanOrEqual(1);
  expect(refused).toBeLessThanOrEqual(8);

  down = false;
  await expect(status).toHaveAttribute('data-status', 'live', { timeout: 15_000 });
  // The snapshot on reconnect brings the missed start.
  await expect(viewer.getByTestId('viewer-display')).toHaveAttribute('data-state', 'running');
});
