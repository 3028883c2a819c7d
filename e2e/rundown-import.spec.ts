/** Rundown import and export through the control panel (issue 12). */
import { readFile } from 'node:fs/promises';
import { parseRundownCsv } from '../core/rooms/rundown-csv.ts';
import { expect, test } from './fixtures.ts';
import { createRoomViaApi, openControl, signUpViaApi, viewerLink } from './helpers.ts';

const HEADER = 'Title,Duration,Mode,Trigger,Start,Warning,Danger,Notes';
/** A 20-cue rundown as a spreadsheet would export it: quoted commas, a quoted line break, mixed duration forms. */
const CUES = Array.from({ length: 20 }, (_, i) => {
  const n = i + 1;
  const duration = ['5:00', '1h 30m', '90s', '45m', '0:10:00'][i % 5];
  const notes = n === 3 ? '"Mic check, then\nwalk-in"' : `"Cue ${n}, crew note"`;
  return `"Cue ${n}",${duration},countdown,${n % 4 === 0 ? 'linked' : 'manual'},,1:00,0:15,${notes}`;
});
const CSV = [HEADER, ...CUES].join('\r\n');
const ctx = { timeZone: 'UTC', day: Date.UTC(2026, 0, 1) };

test.beforeEach(async ({ page }) => {
  await signUpViaApi(page);
});

test('import a 20-cue CSV, preview it, apply it, and export the same rundown', async ({ page, openPage }) => {
  const room = await createRoomViaApi(page, 'Import show');
  await openControl(page, room.id);
  const opener = page.getByTestId('import-open');
  await opener.click();
  const dialog = page.getByTestId('import-dialog');
  await expect(dialog).toBeVisible();

  await page.getByTestId('import-file').setInputFiles({
    name: 'show.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`\uFEFF${CSV}`),
  });
  await expect(page.getByTestId('import-row')).toHaveCount(20);
  await expect(page.getByTestId('import-summary')).toHaveText('20 rows, ready');
  await expect(page.getByTestId('import-row').nth(2)).toContainText('Mic check, then');
  await page.getByTestId('import-mode-replace').check();
  await page.screenshot({ path: 'e2e/screenshots/rundown-import-preview.png' });

  await page.getByTestId('import-apply').click();
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
  await expect(page.getByTestId('rundown-row')).toHaveCount(20);
  await expect(page.getByTestId('row-label').first()).toHaveText('Cue 1');
  await expect(page.getByTestId('row-label').last()).toHaveText('Cue 20');
  // Notes show in the control panel, never on the public countdown.
  await expect(page.getByTestId('row-notes').first()).toHaveText('Cue 1, crew note');
  const viewer = await openPage();
  await viewer.goto(await viewerLink(page));
  await expect(viewer.getByTestId('display-label').first()).toHaveText('Cue 1');
  await expect(viewer.getByText('crew note')).toHaveCount(0);

  // The export holds the same definitions as the file that was imported.
  const downloading = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const file = await (await downloading).path();
  const exported = await readFile(file, 'utf8');
  expect(exported.split('\r\n')[0]).toBe('label,duration,mode,trigger,plannedStart,warn,danger,notes');
  const again = parseRundownCsv(exported, ctx);
  expect(again.errors).toEqual([]);
  expect(again.rows.map((r) => r.timer)).toEqual(parseRundownCsv(CSV, ctx).rows.map((r) => r.timer));
});

test('a row with an error shows its message and Apply stays disabled; Escape closes', async ({ page }) => {
  const room = await createRoomViaApi(page, 'Broken file');
  await openControl(page, room.id);
  await page.getByTestId('import-open').click();
  // A paste from a spreadsheet: tab-separated; row 3 has a duration nobody can read.
  const paste = ['label\tduration\tnotes', 'Intro\t2:00\tok', 'Talk\tsoon\t', 'Outro\t1,5\t'].join('\n');
  await page.getByTestId('import-paste').fill(paste);
  await expect(page.getByTestId('import-row')).toHaveCount(3);
  await expect(page.getByTestId('import-summary')).toContainText('3 rows, 2 with errors');
  const bad = page.locator('[data-testid="import-row"][data-row="3"]');
  await expect(bad).toHaveAttribute('aria-invalid', 'true');
  await expect(bad.getByTestId('import-row-error')).toContainText('duration: soon is not a duration');
  await expect(page.locator('[data-row="4"]').getByTestId('import-row-error')).toContainText('decimal comma');
  await expect(page.getByTestId('import-apply')).toBeDisabled();
  await page.screenshot({ path: 'e2e/screenshots/rundown-import-errors.png' });

  // Fixing the rows enables Apply; Escape closes without importing and gives focus back.
  await page.getByTestId('import-paste').fill(paste.replace('soon', '3m').replace('1,5', '1.5'));
  await expect(page.getByTestId('import-apply')).toBeEnabled();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('import-dialog')).toBeHidden();
  await expect(page.getByTestId('import-open')).toBeFocused();
  await expect(page.getByTestId('rundown-empty')).toBeVisible();
});
