/**
 * Issue 14, forgotten timers: two devices of one user. A short idle limit is
 * set in Settings; nobody touches either device; "Still working?" appears on
 * both, is answered on one, and closes on both.
 */
import { expect as baseExpect, test } from './fixtures.ts';

// The machine running these may be loaded: first paints and socket round trips get room.
const expect = baseExpect.configure({ timeout: 15_000 });
import { logInViaApi, signUpViaApi } from './helpers.ts';
import { currentSession, openTrack } from './track-helpers.ts';

test('idle: the prompt appears on both devices, is answered on one, and clears on both', async ({
  page,
  openPage,
}, info) => {
  test.setTimeout(180_000);
  const email = await signUpViaApi(page, 'Idle two devices');
  const phone = await openPage();
  await logInViaApi(phone, email);
  await openTrack(page);
  await openTrack(phone);

  // Settings: ask after 12 s of idleness, no auto-stop (so the prompt waits for an answer).
  await page.getByTestId('open-settings').click();
  const dialog = page.getByTestId('settings-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('settings-save')).toBeEnabled();
  await page.getByTestId('settings-idle').fill('0.2');
  await page.getByTestId('settings-autostop-on').uncheck();
  await page.getByTestId('settings-save').click();
  await expect(dialog).toHaveCount(0);
  const settings = await page.request.get('/api/sessions/settings');
  expect(await settings.json()).toMatchObject({ idleLimitMs: 12_000, autoStopIdleMs: null });

  await page.getByTestId('label-input').fill('Writing');
  await page.getByTestId('session-start').click();
  for (const p of [page, phone]) await expect(p.getByTestId('live-session')).toHaveAttribute('data-state', 'running');

  // Hands off both devices: after the limit, the server asks on both.
  for (const p of [page, phone]) await expect(p.getByTestId('idle-prompt')).toBeVisible({ timeout: 30_000 });
  const since = await currentSession(page);
  expect((since as unknown as { idleSince: number | null }).idleSince).not.toBeNull();
  await page.screenshot({ path: info.outputPath('idle-prompt-laptop.png') });
  await phone.screenshot({ path: info.outputPath('idle-prompt-phone.png') });

  // Answered on the phone ("discard the idle time"): the prompt closes on both, the session keeps running.
  await phone.getByTestId('idle-discard').click();
  for (const p of [page, phone]) await expect(p.getByTestId('idle-prompt')).toHaveCount(0, { timeout: 5_000 });
  for (const p of [page, phone]) await expect(p.getByTestId('live-session')).toHaveAttribute('data-state', 'running');
  const after = await currentSession(page);
  expect((after as unknown as { idleSince: number | null }).idleSince).toBeNull();
  // The idle stretch became a pause.
  expect(after.pauseSegments.length).toBe(1);
  await page.screenshot({ path: info.outputPath('idle-answered-laptop.png') });
});
