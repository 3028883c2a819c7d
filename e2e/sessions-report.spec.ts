/**
 * Issue 14, reports: a week of entries over two projects, the report page for
 * that range, printed to PDF by the browser. The PDF is turned into page
 * images (pdftoppm) to look at, its text (pdftotext) carries the same totals
 * as the API's report, and it fits on at most two pages.
 */
import { execFileSync } from 'node:child_process';
import { expect as baseExpect, test } from './fixtures.ts';

// The machine running these may be loaded: first paints and socket round trips get room.
const expect = baseExpect.configure({ timeout: 15_000 });
import { signUpViaApi } from './helpers.ts';
import { createEntryViaApi, createProjectViaApi, createTaskViaApi, localAt, localDay } from './track-helpers.ts';

const H = 3_600_000;
const MIN = 60_000;

test('the printed report: clean pages, at most two, with the totals of the report', async ({ page }, info) => {
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1280, height: 1000 });
  await signUpViaApi(page, 'Report printer');
  const barn = await createProjectViaApi(page, 'Barn roof', '#22c55e', 'Hof Meier');
  const dairy = await createProjectViaApi(page, 'Dairy', '#a855f7');
  const quote = await createTaskViaApi(page, barn.id, 'Quote', 4 * H);
  // Six days back to yesterday: 2 h on the barn (with a 15 min break), 1 h 30 min dairy on even days.
  let net = 0;
  let breaks = 0;
  for (let d = 6; d >= 1; d--) {
    const s = localAt(d, 8);
    await createEntryViaApi(page, {
      startTime: s,
      endTime: s + 2 * H + 15 * MIN,
      label: `Barn day ${d}`,
      projectId: barn.id,
      ...(d % 3 === 0 ? { taskId: quote.id } : {}),
      pauses: [{ pausedAt: s + H, resumedAt: s + H + 15 * MIN }],
    });
    net += 2 * H;
    breaks += 15 * MIN;
    if (d % 2 === 0) {
      const t = localAt(d, 13);
      await createEntryViaApi(page, { startTime: t, endTime: t + 90 * MIN, label: `Dairy ${d}`, projectId: dairy.id });
      net += 90 * MIN;
    }
  }
  const from = localDay(localAt(6, 12));
  const to = localDay(localAt(0, 12));

  await page.goto(`/reports/?from=${from}&to=${to}`);
  const report = page.getByTestId('report');
  await expect(report).toHaveAttribute('data-loading', 'false');
  await expect(page.getByTestId('report-net')).toHaveAttribute('data-value', String(net));
  await expect(page.getByTestId('report-break')).toHaveAttribute('data-value', String(breaks));
  await expect(page.getByTestId('report-project-row')).toHaveCount(2);
  await expect(page.getByTestId('report-day')).toHaveCount(7);
  await expect(page.getByTestId('report-task-row')).toHaveCount(1);
  const netText = (await page.getByTestId('report-net-value').textContent()) ?? '';
  const breakText = (await page.getByTestId('report-break-value').textContent()) ?? '';
  const grossText = (await page.getByTestId('report-gross-value').textContent()) ?? '';
  expect(netText).toBe('16 h 30 min');
  expect(breakText).toBe('1 h 30 min');
  expect(grossText).toBe('18 h');
  await page.screenshot({ path: info.outputPath('report-screen.png'), fullPage: true });

  // The CSV of the same range.
  const csvHref = (await page.getByTestId('report-csv').getAttribute('href')) ?? '';
  await expect
    .poll(async () => (await (await page.request.get(csvHref)).text()).trim().split('\n').length, { timeout: 20_000 })
    .toBe(1 + 6 + 3);

  // Print to PDF (print media: no header, no controls, black on white).
  const pdfPath = info.outputPath('report.pdf');
  await page.pdf({ path: pdfPath, format: 'A4', printBackground: true });
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' }))?.[1]);
  expect(pages).toBeGreaterThanOrEqual(1);
  expect(pages).toBeLessThanOrEqual(2);
  execFileSync('pdftoppm', ['-png', '-r', '60', pdfPath, info.outputPath('report-page')]);
  const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
  expect(text).toContain('Time report');
  expect(text).toContain(netText);
  expect(text).toContain(breakText);
  expect(text).toContain(grossText);
  expect(text).toContain('Barn roof');
  expect(text).toContain('Hof Meier');
  expect(text).toContain('Quote');
  // Controls and navigation are not printed.
  expect(text).not.toContain('Print or save as PDF');
  expect(text).not.toContain('Export CSV');
  expect(text).not.toContain('Log out');
});
