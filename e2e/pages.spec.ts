/** Accounts, My rooms, and the readable error states. */
import { expect, test } from './fixtures.ts';
import { PASSWORD, createRoomViaApi, signUpViaApi, uniqueEmail } from './helpers.ts';

test('sign up, log out, log in; My rooms creates, renames and deletes', async ({ page }) => {
  const email = uniqueEmail('rooms');
  await page.goto('/');
  await page.getByTestId('landing-signup').click();
  await page.getByTestId('auth-name').fill('Room Keeper');
  await page.getByTestId('auth-email').fill(email);
  await page.getByTestId('auth-password').fill(PASSWORD);
  await page.getByTestId('auth-submit').click();
  await expect(page).toHaveURL(/\/rooms\/$/);
  await expect(page.getByTestId('rooms-empty')).toBeVisible();

  await page.getByTestId('room-name-input').fill('Studio A');
  await page.getByTestId('room-create').click();
  const row = page.getByTestId('room-row');
  await expect(row).toHaveCount(1);
  await row.getByTestId('room-rename').click();
  await row.getByTestId('room-rename-input').fill('Studio B');
  await row.getByTestId('room-rename-save').click();
  await expect(row.getByTestId('room-open')).toHaveText('Studio B');
  await page.reload();
  await expect(page.getByTestId('room-open')).toHaveText('Studio B');

  await page.getByTestId('room-delete').click();
  await page.getByTestId('room-delete').click();
  await expect(page.getByTestId('rooms-empty')).toBeVisible();

  // Log out, and the landing page offers login again; log back in.
  await page.getByTestId('nav-logout').click();
  await expect(page.getByTestId('landing-login')).toBeVisible();
  await page.getByTestId('landing-login').click();
  await page.getByTestId('auth-email').fill(email);
  await page.getByTestId('auth-password').fill(PASSWORD);
  await page.getByTestId('auth-submit').click();
  await expect(page).toHaveURL(/\/rooms\/$/);
  await expect(page.getByTestId('nav-user')).toHaveText('Room Keeper');
});

test('wrong password shows a readable error', async ({ page, allowConsoleError }) => {
  allowConsoleError(/status of 401/);
  await page.goto('/login/');
  await page.getByTestId('auth-email').fill(uniqueEmail('nobody'));
  await page.getByTestId('auth-password').fill('not-the-password');
  await page.getByTestId('auth-submit').click();
  await expect(page.getByTestId('auth-error')).toHaveText('Wrong email or password');
});

test('bad and dead links get a readable page, not a blank one', async ({ page, openPage, allowConsoleError }) => {
  // Refused WebSocket upgrades and probes log errors in the console; they are the point here.
  allowConsoleError(/status of 40[34]|WebSocket connection to .* failed/);

  await page.goto('/r/not-a-real-link');
  await expect(page.getByTestId('error-state')).toHaveAttribute('data-kind', 'bad-link');

  await page.goto(`/r/${'0'.repeat(20)}_${'x'.repeat(24)}`);
  await expect(page.getByTestId('error-state')).toHaveAttribute('data-kind', 'deleted');

  await page.goto('/control/');
  await expect(page.getByTestId('error-state')).toHaveAttribute('data-kind', 'no-room');

  // A room deleted while a viewer watches it.
  const owner = await openPage();
  await signUpViaApi(owner);
  const room = await createRoomViaApi(owner, 'Short-lived');
  await page.goto(`/r/${room.viewer}`);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'live');
  expect((await owner.request.delete(`/api/rooms/${room.id}`, { headers: { 'X-Keeptime': '1' } })).status()).toBe(204);
  await expect(page.getByTestId('error-state')).toHaveAttribute('data-kind', 'deleted');

  // A controller link for a room that no longer exists.
  await page.goto(`/control/?room=${room.id}&token=${room.controller}`);
  await expect(page.getByTestId('error-state')).toHaveAttribute('data-kind', 'not-found');
});

test('a controller link controls the room without an account', async ({ page, openPage }) => {
  const owner = await openPage();
  await signUpViaApi(owner);
  const room = await createRoomViaApi(owner, 'Shared control');
  expect(
    (
      await owner.request.post(`/api/rooms/${room.id}/timers`, { data: { label: 'Warm-up', durationMs: 90_000 } })
    ).status(),
  ).toBe(201);

  await page.goto(`/control/?room=${room.id}&token=${room.controller}`);
  await expect(page.getByTestId('control-panel')).toHaveAttribute('data-role', 'controller');
  await expect(page.getByTestId('share-viewer-url')).toHaveCount(0);
  await page.getByTestId('ctl-start').click();
  await expect(page.getByTestId('preview-display')).toHaveAttribute('data-state', 'running');
  const snap = (await (await owner.request.get(`/api/rooms/${room.id}`)).json()) as { timers: { state: string }[] };
  expect(snap.timers[0]?.state).toBe('running');
});
