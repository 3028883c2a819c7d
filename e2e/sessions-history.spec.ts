/**
 * Issue 14, editable history: yesterday's manual entry is edited in the
 * browser (end, pause, label, project); history, the per-day statistics and
 * the CSV show the new values, and the entry's trail shows the edit. History
 * filtered by project lists only that project's entries.
 */
import { readFile } from 'node:fs/promises';
import { expect as baseExpect, test } from './fixtures.ts';

// The machine running these may be loaded: first paints and socket round trips get room.
const expect = baseExpect.configure({ timeout: 15_000 });
import { signUpViaApi } from './helpers.ts';
import { createEntryViaApi, createProjectViaApi, localAt, localDay, openTrack } from './track-helpers.ts';

const H = 3_600_000;
const MIN = 60_000;

test('edit yesterday’s entry: history, statistics and CSV change; the trail shows the edit', async ({ page }, info) => {
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1440, height: 1100 });
  await signUpViaApi(page, 'Entry editor');
  const project = await createProjectViaApi(page, 'Barn roof', '#22c55e', 'Hof Meier');
  const start = localAt(1, 9);
  const entry = await createEntryViaApi(page, { startTime: start, endTime: start + H, label: 'Roof survey' });
  const yesterday = localDay(start);

  await openTrack(page);
  const row = page.getByTestId('session-row').filter({ has: page.getByTestId('row-label').getByText('Roof survey') });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('row-active')).toHaveText('1:00:00');
  const bar = page.locator(`[data-testid="chart-day"][data-date="${yesterday}"]`);
  await expect(bar).toHaveAttribute('data-active-ms', String(H));
  // The CSV lists it too (its source may lag the object by a moment: poll).
  await expect
    .poll(async () => (await page.request.get('/api/sessions/export.csv')).text(), { timeout: 20_000 })
    .toContain(`"${entry.id}","Roof survey",`);
  const csvBefore = await (await page.request.get('/api/sessions/export.csv')).text();
  expect(csvBefore).toContain(`,${H},${H},0,0,false,`);

  // Edit: end at 11:30, a pause 10:00–10:15, a new label and the project.
  await row.getByTestId('row-edit').click();
  const editor = page.getByTestId('entry-editor');
  await expect(editor).toBeVisible();
  const endLocal = `${yesterday}T11:30:00`;
  await page.getByTestId('editor-end').fill(endLocal);
  await page.getByTestId('editor-label').fill('Roof survey and quote');
  await page.getByTestId('editor-project').selectOption(project.id);
  await page.getByTestId('editor-tags').fill('site visit, billable');
  await page.getByTestId('editor-pause-add').click();
  // A pause outside the entry is refused in the form, with a message.
  await page.getByTestId('editor-pause-from').fill(`${yesterday}T12:00:00`);
  await page.getByTestId('editor-pause-to').fill(`${yesterday}T12:15:00`);
  await page.getByTestId('editor-save').click();
  await expect(page.getByTestId('editor-error')).toHaveText('Pause 1 must lie inside the entry');
  await page.getByTestId('editor-pause-from').fill(`${yesterday}T10:00:00`);
  await page.getByTestId('editor-pause-to').fill(`${yesterday}T10:15:00`);
  await page.screenshot({ path: info.outputPath('entry-editor.png') });
  await page.getByTestId('editor-save').click();
  await expect(editor).toHaveCount(0);

  // History: net 2 h 15 min, 15 min of breaks, 2 h 30 min gross, with the project and tags.
  const edited = page.getByTestId('session-row').filter({ has: page.getByText('Roof survey and quote') });
  await expect(edited.getByTestId('row-active')).toHaveText('2:15:00');
  await expect(edited.getByTestId('row-paused')).toContainText('15:00');
  await expect(edited.getByTestId('row-total')).toHaveText('2:30:00');
  await expect(edited.getByTestId('row-project')).toHaveText('Barn roof');
  await expect(edited.getByTestId('row-tag')).toHaveText(['#site visit', '#billable']);

  // Statistics: yesterday's bar and its gross/net/break figures; the split by project.
  await expect(bar).toHaveAttribute('data-active-ms', String(2 * H + 15 * MIN));
  const day = page.locator(`[data-testid="day-figure"][data-date="${yesterday}"]`);
  await expect(day).toHaveAttribute('data-net-ms', String(2 * H + 15 * MIN));
  await expect(day).toHaveAttribute('data-break-ms', String(15 * MIN));
  await expect(day).toHaveAttribute('data-gross-ms', String(150 * MIN));
  await expect(page.getByTestId('stat-break-value')).toHaveText('15 min');
  await expect(page.locator(`[data-testid="split-project"][data-project-id="${project.id}"]`)).toContainText(
    'Barn roof',
  );
  await page.screenshot({ path: info.outputPath('history-after-edit.png'), fullPage: true });

  // CSV (the link on the page): the edited values, the project, client and tags.
  const download = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const csv = await readFile((await (await download).path()) ?? '', 'utf8');
  const line = csv.split('\n').find((l) => l.startsWith(`"${entry.id}"`)) ?? '';
  expect(line).toContain('"Roof survey and quote"');
  expect(line).toContain(`,${150 * MIN},${135 * MIN},${15 * MIN},1,false,`);
  expect(line).toContain('"Barn roof","Hof Meier","","site visit; billable"');

  // The trail, one click away: created, then edited (label and times before → after).
  await edited.getByTestId('row-trail').click();
  const trail = page.getByTestId('trail-dialog');
  await expect(trail.getByTestId('trail-item')).toHaveCount(2);
  await expect(trail.getByTestId('trail-item').nth(1)).toHaveAttribute('data-op', 'update');
  await expect(trail.getByTestId('trail-item').nth(1)).toContainText('Roof survey and quote');
  await page.screenshot({ path: info.outputPath('entry-trail.png') });
  await page.keyboard.press('Escape');
  await expect(trail).toHaveCount(0);

  // Delete, then undo within the minute.
  await edited.getByTestId('row-delete').click();
  await expect(page.getByTestId('undo-bar')).toBeVisible();
  await expect(edited).toHaveCount(0);
  await page.getByTestId('undo-delete').click();
  await expect(page.getByTestId('session-row').filter({ has: page.getByText('Roof survey and quote') })).toHaveCount(1);
});

test('history filtered by project lists only that project’s entries, and the CSV follows the filter', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 1000 });
  await signUpViaApi(page, 'Filter by project');
  const barn = await createProjectViaApi(page, 'Barn', '#f5a524');
  const dairy = await createProjectViaApi(page, 'Dairy', '#a855f7');
  await createEntryViaApi(page, {
    startTime: localAt(2, 8),
    endTime: localAt(2, 9),
    label: 'Barn A',
    projectId: barn.id,
  });
  await createEntryViaApi(page, {
    startTime: localAt(1, 8),
    endTime: localAt(1, 9),
    label: 'Dairy A',
    projectId: dairy.id,
  });
  await createEntryViaApi(page, {
    startTime: localAt(1, 10),
    endTime: localAt(1, 11),
    label: 'Barn B',
    projectId: barn.id,
    tags: ['repair'],
  });
  await createEntryViaApi(page, { startTime: localAt(1, 12), endTime: localAt(1, 13), label: 'Loose end' });

  await openTrack(page);
  const labels = page.getByTestId('session-row').getByTestId('row-label');
  await expect(labels).toHaveText(['Loose end', 'Barn B', 'Dairy A', 'Barn A']);

  await page.getByTestId('filter-project').selectOption(barn.id);
  await expect(labels).toHaveText(['Barn B', 'Barn A']);
  for (const row of await page.getByTestId('session-row').all())
    await expect(row).toHaveAttribute('data-project-id', barn.id);
  await expect(page.getByTestId('export-csv')).toHaveAttribute('href', new RegExp(`projectId=${barn.id}`));
  const href = (await page.getByTestId('export-csv').getAttribute('href')) ?? '';
  await expect.poll(async () => (await page.request.get(href)).text(), { timeout: 20_000 }).toContain('Barn B');
  const csv = await (await page.request.get(href)).text();
  expect(csv).toContain('Barn A');
  expect(csv).toContain('Barn B');
  expect(csv).not.toContain('Dairy A');

  // And by tag on top; then cleared.
  await page.getByTestId('filter-tag').fill('repair');
  await page.getByTestId('filter-tag').press('Enter');
  await expect(labels).toHaveText(['Barn B']);
  await page.getByTestId('filter-clear').click();
  await expect(labels).toHaveCount(4);
});
