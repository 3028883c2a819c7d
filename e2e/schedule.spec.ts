/** The live schedule on the control panel (issue 12): planned / projected / actual times, over/under and the end. */
import { expect, test } from './fixtures.ts';
import { createRoomViaApi, openControl, signUpViaApi } from './helpers.ts';

test.beforeEach(async ({ page }) => {
  await signUpViaApi(page);
});

test('a late start shows behind in words, the buffer holds the end, and the editor sets plan fields', async ({
  page,
}) => {
  const room = await createRoomViaApi(page, 'Schedule');
  // The show was planned to start two minutes ago, in a fixed zone so the times read the same everywhere.
  const plannedStart = Date.now() - 120_000;
  expect((await page.request.put(`/api/rooms/${room.id}`, { data: { plannedStart, timeZone: 'UTC' } })).ok()).toBe(
    true,
  );
  for (const t of [
    { label: 'Opening', durationMs: 300_000 },
    { label: 'Buffer', durationMs: 600_000, buffer: { minDurationMs: 60_000 } },
    { label: 'Closing', durationMs: 300_000 },
  ])
    expect((await page.request.post(`/api/rooms/${room.id}/timers`, { data: t })).status()).toBe(201);

  await openControl(page, room.id);
  const status = page.getByTestId('schedule-status');
  const badge = page.getByTestId('schedule-badge');
  // Not started, two minutes past the plan: behind, said in words.
  await expect(badge).toHaveAttribute('data-tone', 'behind');
  await expect(badge).toHaveText(/^\+2:0\d behind$/);
  const utc = (ms: number) => new Date(ms).toISOString().slice(11, 19);
  // The buffer absorbs the delay: the show still ends on plan.
  await expect(page.getByTestId('schedule-end')).toHaveText(`Ends ${utc(plannedStart + 1_200_000)}`);
  const rows = page.getByTestId('rundown-row');
  await expect(rows.nth(0).getByTestId('row-planned')).toHaveText(`Plan ${utc(plannedStart)}`);
  await expect(rows.nth(2).getByTestId('row-planned')).toHaveText(`Plan ${utc(plannedStart + 900_000)}`);
  await expect(rows.nth(2).getByTestId('row-projected')).toHaveText(`Proj ${utc(plannedStart + 900_000)}`);

  // Start: the opening gets an actual start; the badge still reads behind.
  await page.getByTestId('ctl-start').click();
  await expect(rows.nth(0).getByTestId('row-actual')).toHaveText(/^Act \d\d:\d\d:\d\d–$/);
  await expect(rows.nth(0).getByTestId('row-drift')).toHaveText(/behind$/);
  await expect(status).toBeVisible();
  await page.screenshot({ path: 'e2e/screenshots/schedule-control.png', fullPage: true });

  // The editor sets a fixed planned start, notes and a buffer; the row shows the new plan.
  await rows.nth(2).getByTestId('row-edit').click();
  await page.getByTestId('editor-planned-start').fill('23:59:00');
  await page.getByTestId('editor-notes').fill('Thank the sponsors');
  await page.getByTestId('editor-buffer').check();
  await page.getByTestId('editor-buffer-min').fill('1:00');
  await page.getByTestId('editor-save').click();
  await expect(page.getByTestId('timer-editor')).toHaveCount(0);
  await expect(rows.nth(2).getByTestId('row-planned')).toHaveText('Plan 23:59:00');
  await expect(rows.nth(2).getByTestId('row-notes')).toHaveText('Thank the sponsors');
  const closing = await page.request.get(`/api/rooms/${room.id}`);
  const timer = (await closing.json()).timers[2];
  expect(timer.buffer).toEqual({ minDurationMs: 60_000 });
  expect(new Date(timer.plannedStart).toISOString().slice(11, 19)).toBe('23:59:00');

  // A buffer minimum over the duration is refused in the editor, and nothing changes.
  await rows.nth(0).getByTestId('row-edit').click();
  await page.getByTestId('editor-buffer').check();
  await page.getByTestId('editor-buffer-min').fill('9:00');
  await page.getByTestId('editor-save').click();
  await expect(page.getByTestId('editor-error')).toContainText('minimum');
  await page.getByTestId('editor-cancel').click();

  // History: the opening's run carries its planned start and how far behind plan it runs.
  await page.getByTestId('tab-history').click();
  const run = page.getByTestId('run-row').first();
  await expect(async () => {
    await page.getByTestId('history-refresh').click();
    await expect(run.getByTestId('run-vs-plan')).toHaveAttribute('data-tone', 'behind', { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(run.getByTestId('run-vs-plan')).toHaveText(/^\+\d+:\d\d behind$/);
  await expect(run.getByTestId('run-planned-start')).not.toHaveText('—');
  await page.screenshot({ path: 'e2e/screenshots/schedule-history.png', fullPage: true });
});
