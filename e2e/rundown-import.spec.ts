/** Rundown import and export through the control panel (issue 12). */
import { readFile } from 'node:fs/promises';
import { parseRundownCsv, rundownTemplate } from '../core/rooms/rundown-csv.ts';
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
const COLUMNS = 'label,duration,mode,trigger,plannedStart,warn,danger,notes';

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

  // The template downloads from the same serializer, and parses cleanly.
  const templating = page.waitForEvent('download');
  await page.getByTestId('import-template').click();
  const template = await readFile(await (await templating).path(), 'utf8');
  expect(template).toBe(rundownTemplate());
  expect(parseRundownCsv(template, ctx).rows).toHaveLength(3);

  // Fixing the rows enables Apply; Escape closes without importing and gives focus back.
  await page.getByTestId('import-paste').fill(paste.replace('soon', '3m').replace('1,5', '1.5'));
  await expect(page.getByTestId('import-apply')).toBeEnabled();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('import-dialog')).toBeHidden();
  await expect(page.getByTestId('import-open')).toBeFocused();
  await expect(page.getByTestId('rundown-empty')).toBeVisible();
});

/**
 * The scenario: import a 20-cue rundown through the panel, run three cues with one overrun, and the agenda
 * and presenter views in other contexts show the shifted projected times and the show behind plan.
 */
test('an imported rundown runs three cues with one overrun; agenda and presenter show the shift', async ({
  page,
  openPage,
}) => {
  test.slow();
  const OVERRUN_S = 6;
  const room = await createRoomViaApi(page, 'Overrun show');
  await openControl(page, room.id);
  // Cues 1 and 2 run 3 s, cue 3 runs 30 s (it is live while we look), then 17 cues of 4 s: their planned starts
  // span more than a minute, so whatever the time, one sits within 4 s before a minute boundary and a delay of
  // 6 s moves its projected start to the next minute on the agenda (which shows minutes).
  const rows = Array.from({ length: 20 }, (_, i) => {
    const duration = i < 2 ? '0:03' : i === 2 ? '0:30' : '0:04';
    return `"Cue ${i + 1}",${duration},countdown,manual,,,,"${i === 2 ? 'Wrap up at ten seconds' : ''}"`;
  });
  await page.getByTestId('import-open').click();
  await page.getByTestId('import-paste').fill([COLUMNS, ...rows].join('\n'));
  await expect(page.getByTestId('import-summary')).toHaveText('20 rows, ready');
  await page.getByTestId('import-mode-replace').check();
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('rundown-row')).toHaveCount(20);

  const token = /\/r\/([^?]+)/.exec(await viewerLink(page))?.[1];
  const agenda = await openPage();
  await agenda.goto(`/r/${token}?view=agenda`);
  await expect(agenda.getByTestId('agenda-row')).toHaveCount(20);
  const presenter = await openPage();
  await presenter.goto(`/r/${token}?view=presenter`);
  await expect(presenter.getByTestId('display-label')).toHaveText('Cue 1');

  // Cue 1 starts; the show's planned start is that instant, so the plan is on time from here.
  const preview = page.getByTestId('preview-display');
  await page.getByTestId('ctl-start').click();
  await expect(preview).toHaveAttribute('data-state', 'running');
  const snap = await (await page.request.get(`/api/rooms/${room.id}`)).json();
  const startedAt = snap.timers[0].startedAt as number;
  const put = await page.request.put(`/api/rooms/${room.id}`, { data: { plannedStart: startedAt } });
  expect(put.status()).toBe(200);
  await expect(agenda.getByTestId('agenda-overunder')).toBeVisible();

  // Cue 1 on time; cue 2 overruns by OVERRUN_S seconds before the operator moves on; cue 3 is live.
  await expect(preview).toHaveAttribute('data-state', 'finished', { timeout: 10_000 });
  await page.getByTestId('ctl-next').click();
  await expect(page.getByTestId('display-label').first()).toHaveText('Cue 2');
  await expect(preview).toHaveAttribute('data-state', 'finished', { timeout: 10_000 });
  await page.waitForTimeout(OVERRUN_S * 1000);
  await page.getByTestId('ctl-next').click();
  await expect(page.getByTestId('display-label').first()).toHaveText('Cue 3');

  const seconds = (text: string | null) => {
    const m = /(?:(\d+):)?(\d+):(\d{2}) behind/.exec(text ?? '');
    return m ? Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) : Number.NaN;
  };
  // Agenda: two cues played, the third current, upcoming cues projected later than planned, the show behind.
  await expect(agenda.locator('[data-testid="agenda-row"][data-status="played"]')).toHaveCount(2);
  await expect(agenda.getByTestId('agenda-row').nth(2)).toHaveAttribute('data-status', 'current');
  await expect(agenda.getByTestId('agenda-overunder')).toHaveAttribute('data-tone', 'behind');
  const late = agenda.locator(
    '[data-testid="agenda-row"][data-status="upcoming"] [data-testid="agenda-projected"][data-drift="late"]',
  );
  await expect(late.first()).toBeVisible();
  await expect(late.first()).toContainText('now ');
  const agendaBehind = seconds(await agenda.getByTestId('agenda-overunder').textContent());
  expect(agendaBehind).toBeGreaterThanOrEqual(OVERRUN_S);
  expect(agendaBehind).toBeLessThanOrEqual(OVERRUN_S + 10);
  // Presenter: the live cue, its notes, and the same over/under.
  await expect(presenter.getByTestId('display-label')).toHaveText('Cue 3');
  await expect(presenter.getByTestId('presenter-notes')).toContainText('Wrap up at ten seconds');
  await expect(presenter.getByTestId('presenter-overunder')).toHaveAttribute('data-tone', 'behind');
  const presenterBehind = seconds(await presenter.getByTestId('presenter-overunder').textContent());
  expect(Math.abs(presenterBehind - agendaBehind)).toBeLessThanOrEqual(1);
  await agenda.screenshot({ path: 'e2e/screenshots/rundown-overrun-agenda.png' });
  await presenter.screenshot({ path: 'e2e/screenshots/rundown-overrun-presenter.png' });
});
