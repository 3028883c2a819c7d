/**
 * The History tab: runs and the action journal, read back from the Postgres
 * mirror (asynchronous, so every check waits for rows to land).
 */
import { expect, test } from './fixtures.ts';
import { addTimer, createRoomViaApi, openControl, signUpViaApi } from './helpers.ts';

const KNOWN = new Set(['create-timer', 'start', 'pause', 'resume', 'reset', 'next']);

test('the owner starts, pauses and resets; a controller overruns; History shows both runs and the journal', async ({
  page,
  openPage,
}) => {
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signUpViaApi(page, 'History owner');
  const room = await createRoomViaApi(page, 'Evening show');
  await openControl(page, room.id);
  await addTimer(page, 'Opening', '5:00');
  await addTimer(page, 'Lightning talk', '0:01');
  const preview = page.getByTestId('preview-display');
  const digits = page.getByTestId('preview').getByTestId('display-digits');

  // The owner runs "Opening" for a second, pauses, resets.
  await page.getByTestId('ctl-start').click();
  await expect(preview).toHaveAttribute('data-state', 'running');
  await expect(digits).toHaveText('4:59');
  await page.getByTestId('ctl-pause').click();
  await expect(preview).toHaveAttribute('data-state', 'paused');
  await page.getByTestId('ctl-reset').click();
  await expect(preview).toHaveAttribute('data-state', 'idle');

  // Someone with the controller link moves on and runs the one-second talk into overtime; the owner resets it.
  const controller = await openPage();
  await controller.goto(`/control/?room=${room.id}&token=${room.controller}`);
  await expect(controller.getByTestId('control-panel')).toHaveAttribute('data-role', 'controller');
  await controller.getByTestId('ctl-next').click();
  await expect(controller.getByTestId('display-label').first()).toHaveText('Lightning talk');
  await controller.getByTestId('ctl-start').click();
  await expect(preview).toHaveAttribute('data-phase', 'overtime', { timeout: 4_000 });
  await expect(digits).toHaveText(/^-0:0[1-9]$/, { timeout: 3_000 });
  await page.getByTestId('ctl-reset').click();
  await expect(preview).toHaveAttribute('data-state', 'idle');

  // History: both runs land (newest first) once the mirror has caught up.
  await page.getByTestId('tab-history').click();
  await expect(page).toHaveURL(/#history$/);
  await expect(page.getByTestId('transport')).toHaveCount(0);
  const runs = page.getByTestId('run-row');
  await expect(async () => {
    await page.getByTestId('history-refresh').click();
    await expect(runs).toHaveCount(2, { timeout: 1_000 });
    await expect(runs.nth(0)).toHaveAttribute('data-status', 'ended', { timeout: 1_000 });
    await expect(runs.nth(1)).toHaveAttribute('data-status', 'ended', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });

  const talk = runs.nth(0);
  await expect(talk.getByTestId('run-label')).toHaveText('Lightning talk');
  await expect(talk.getByTestId('run-planned')).toHaveText('0:01');
  await expect(talk.getByTestId('run-overtime')).toHaveText(/^\+0:0[1-9]$/);
  await expect(talk.getByTestId('run-overtime')).toHaveClass(/hist-over/);
  await expect(talk.getByTestId('run-by')).toContainText('Controller');
  await expect(talk.getByTestId('run-by')).toContainText('Owner');
  const opening = runs.nth(1);
  await expect(opening.getByTestId('run-label')).toHaveText('Opening');
  await expect(opening.getByTestId('run-planned')).toHaveText('5:00');
  await expect(opening.getByTestId('run-actual')).toHaveText(/^0:0[1-9]$/);
  await expect(opening.getByTestId('run-overtime')).toHaveText('—');
  await expect(opening.getByTestId('run-by')).toHaveText('Owner');

  // The chart: a bar pair per run, overtime marked on the talk.
  await expect(page.getByTestId('chart-row')).toHaveCount(2);
  await expect(page.getByTestId('chart-row').first()).toHaveAttribute('data-over', 'true');
  await expect(page.getByTestId('chart-row').nth(1)).toHaveAttribute('data-over', 'false');

  // The journal, newest first, with who did what.
  const commands = () =>
    page
      .getByTestId('action-row')
      .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.command ?? ''))
      .then((all) => all.filter((c) => KNOWN.has(c)));
  await expect
    .poll(commands, { timeout: 10_000 })
    .toEqual(['reset', 'start', 'next', 'reset', 'pause', 'start', 'create-timer', 'create-timer']);
  const next = page.getByTestId('action-row').and(page.locator('[data-command="next"]'));
  await expect(next.getByTestId('action-role')).toHaveAttribute('data-role', 'controller');
  const pause = page.getByTestId('action-row').and(page.locator('[data-command="pause"]'));
  await expect(pause.getByTestId('action-role')).toHaveAttribute('data-role', 'owner');
  await expect(pause.getByTestId('action-timer')).toHaveText('Opening');

  // The CSV exports download.
  for (const [id, needle] of [
    ['export-runs', 'Lightning talk'],
    ['export-actions', 'pause'],
  ] as const) {
    const href = await page.getByTestId(id).getAttribute('href');
    const res = await page.request.get(href ?? '');
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toMatch(/^text\/csv/);
    expect(res.headers()['content-disposition']).toMatch(/^attachment/);
    expect(await res.text()).toContain(needle);
  }
  await page.screenshot({ path: 'e2e/screenshots/history.png', fullPage: true });

  // The controller link reads the same history, and the tab survives a reload.
  await controller.getByTestId('tab-history').click();
  await expect(controller.getByTestId('run-row')).toHaveCount(2);
  await controller.reload();
  await expect(controller.getByTestId('history')).toBeVisible();
  await controller.getByTestId('tab-live').click();
  await expect(controller.getByTestId('transport')).toBeVisible();
});

test('a fresh room’s History explains that it is empty', async ({ page }) => {
  await signUpViaApi(page);
  const room = await createRoomViaApi(page, 'Quiet room');
  await page.goto(`/control/?room=${room.id}#history`);
  await expect(page.getByTestId('history')).toBeVisible();
  await expect(page.getByTestId('runs-empty')).toBeVisible();
  await expect(page.getByTestId('actions-empty')).toBeVisible();
  await expect(page.getByTestId('history-updated')).toContainText('Updated');
});

test('when the database is out of reach, History says so rather than looking empty', async ({ page }) => {
  await signUpViaApi(page);
  const room = await createRoomViaApi(page, 'Offline mirror');
  // The Worker's answer when Postgres cannot be reached (stubbed: the test's Postgres is up).
  await page.route(`**/api/rooms/${room.id}/history?*`, (route) =>
    route.fulfill({ json: { runs: [], actions: [], cached: false, partial: true, error: 'history_unavailable' } }),
  );
  await page.goto(`/control/?room=${room.id}#history`);
  await expect(page.getByTestId('history-partial')).toContainText('History is unavailable right now');
  await expect(page.getByTestId('history-partial')).toContainText('Live control is not affected');
  await page.getByTestId('tab-live').click();
  await expect(page.getByTestId('transport')).toBeVisible();
});
