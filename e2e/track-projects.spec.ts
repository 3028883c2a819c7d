/**
 * Issue 14, projects on the Track page: a project is created, renamed and
 * recoloured; its tasks are edited and deleted; two projects get entries and
 * the day chart, split by project, shows each day's stack in the projects'
 * colours with a legend whose totals match the entries. Deleting a project
 * keeps its entries' time (legend "(deleted)", history "Deleted project").
 * Then stale-device safety: a stop queued offline on one device does not stop
 * the new session started on another, and the first device is told so.
 */
import { expectAccessible } from './axe.ts';
import { expect as baseExpect, test } from './fixtures.ts';
import { logInViaApi, signUpViaApi } from './helpers.ts';
import { createEntryViaApi, currentSession, localAt, localDay, openTrack } from './track-helpers.ts';

// The machine running these may be loaded: first paints and socket round trips get room.
const expect = baseExpect.configure({ timeout: 15_000 });

const MIN = 60_000;

interface ApiProject {
  id: string;
  name: string;
  color: string;
  client: string | null;
}

test('projects: create, rename and recolour, tasks edited, chart split by project, delete keeps the time', async ({
  page,
  allowConsoleError,
}) => {
  test.setTimeout(180_000);
  // A delete the test cuts off on purpose (the page reports it in words).
  allowConsoleError(/ERR_INTERNET_DISCONNECTED|Failed to load resource/);
  await page.setViewportSize({ width: 1280, height: 1000 });
  await signUpViaApi(page, 'Project keeper');
  await openTrack(page);

  // Create two projects in the page.
  const panel = page.getByTestId('tasks-panel');
  for (const [name, client, color] of [
    ['Dairy', 'Hof Meier', '#5b8cff'],
    ['Orchard', '', '#22c55e'],
  ] as const) {
    await panel.getByTestId('project-add-open').click();
    await panel.getByTestId('project-name').fill(name);
    if (client) await panel.getByTestId('project-client').fill(client);
    await panel.locator(`[data-testid="project-color"][value="${color}"]`).check();
    await panel.getByTestId('project-save').click();
    await expect(panel.locator(`[data-testid="project-item"][data-name="${name}"]`)).toHaveCount(1);
  }
  const list = async () =>
    ((await (await page.request.get('/api/projects')).json()) as { projects: ApiProject[] }).projects;
  const created = await list();
  const dairy = created.find((p) => p.name === 'Dairy');
  const orchard = created.find((p) => p.name === 'Orchard');
  expect(dairy).toMatchObject({ client: 'Hof Meier', color: '#5b8cff' });
  expect(orchard).toMatchObject({ client: null, color: '#22c55e' });
  if (!dairy || !orchard) throw new Error('projects not created');

  // Rename and recolour Dairy; clear its client.
  const dairyItem = panel.locator(`[data-testid="project-item"][data-project-id="${dairy.id}"]`);
  await dairyItem.getByTestId('project-edit').click();
  await dairyItem.getByTestId('project-edit-name').fill('Dairy barn');
  await dairyItem.getByTestId('project-edit-client').fill('');
  await dairyItem.locator('[data-testid="project-edit-color"][value="#a855f7"]').check();
  await dairyItem.getByTestId('project-edit-save').click();
  await expect(dairyItem).toHaveAttribute('data-name', 'Dairy barn');
  await expect(dairyItem).toHaveAttribute('data-color', '#a855f7');
  await expect(dairyItem.getByTestId('project-title')).toHaveText('Dairy barn');
  expect((await list()).find((p) => p.id === dairy.id)).toMatchObject({
    name: 'Dairy barn',
    color: '#a855f7',
    client: null,
  });

  // Tasks: add two, edit one's title and estimate, delete the other after a confirmation.
  for (const [title, est] of [
    ['Milking', '2'],
    ['Fence', ''],
  ]) {
    await dairyItem.getByTestId('task-title').fill(title);
    await dairyItem.getByTestId('task-estimate').fill(est);
    await dairyItem.getByTestId('task-add').click();
    await expect(dairyItem.locator(`[data-testid="task-item"][data-title="${title}"]`)).toHaveCount(1);
  }
  const milking = dairyItem.locator('[data-testid="task-item"][data-title="Milking"]');
  await milking.getByTestId('task-edit').click();
  await milking.getByTestId('task-edit-title').fill('Morning milking');
  await milking.getByTestId('task-edit-estimate').fill('1.5');
  await milking.getByTestId('task-edit-save').click();
  const morning = dairyItem.locator('[data-testid="task-item"][data-title="Morning milking"]');
  await expect(morning.getByTestId('task-spent')).toHaveText('0 s of 1 h 30 min');
  const fence = dairyItem.locator('[data-testid="task-item"][data-title="Fence"]');
  await fence.getByTestId('task-delete').click();
  const confirm = page.getByTestId('confirm-dialog');
  await expect(confirm).toBeVisible();
  await expect(page.getByTestId('confirm-cancel')).toBeFocused();
  await page.getByTestId('confirm-yes').click();
  await expect(confirm).toHaveCount(0);
  await expect(fence).toHaveCount(0);
  await expect(dairyItem.getByTestId('task-item')).toHaveCount(1);

  // Entries: yesterday 90 min for Dairy barn and 45 min for Orchard; the day before, 30 min for Orchard.
  const y9 = localAt(1, 9);
  const y11 = localAt(1, 11);
  const b14 = localAt(2, 14);
  await createEntryViaApi(page, { startTime: y9, endTime: y9 + 90 * MIN, label: 'Herd check', projectId: dairy.id });
  await createEntryViaApi(page, { startTime: y11, endTime: y11 + 45 * MIN, label: 'Pruning', projectId: orchard.id });
  await createEntryViaApi(page, { startTime: b14, endTime: b14 + 30 * MIN, label: 'Picking', projectId: orchard.id });
  // The socket tells the page about new entries; a reload makes the check independent of that.
  await openTrack(page);
  const yesterday = localDay(y9);
  const dayBefore = localDay(b14);
  const yBar = page.locator(`[data-testid="chart-day"][data-date="${yesterday}"]`);
  await expect(yBar).toHaveAttribute('data-active-ms', String(135 * MIN));

  // Split the chart by project.
  const chart = page.getByTestId('day-chart');
  await expect(chart).toHaveAttribute('data-split', 'none');
  await expect(page.getByTestId('chart-split-toggle')).toHaveAttribute('aria-pressed', 'false');
  await page.getByTestId('chart-split-toggle').click();
  await expect(page.getByTestId('chart-split-toggle')).toHaveAttribute('aria-pressed', 'true');
  await expect(chart).toHaveAttribute('data-split', 'project');
  const legend = page.getByTestId('chart-legend-item');
  await expect(legend).toHaveCount(2);
  await expect(legend.getByTestId('legend-name')).toHaveText(['Dairy barn', 'Orchard']);
  await expect(legend.getByTestId('legend-total')).toHaveText(['1 h 30 min', '1 h 15 min']);
  await expect(legend.nth(0)).toHaveAttribute('data-net-ms', String(90 * MIN));
  await expect(legend.nth(1)).toHaveAttribute('data-net-ms', String(75 * MIN));
  // Yesterday's bar is a stack of both projects (Dairy at the bottom) in their colours; the day before, Orchard alone.
  const ySegs = yBar.getByTestId('chart-seg');
  await expect(ySegs).toHaveCount(2);
  await expect(ySegs.nth(0)).toHaveAttribute('data-project-id', dairy.id);
  await expect(ySegs.nth(0)).toHaveAttribute('data-net-ms', String(90 * MIN));
  await expect(ySegs.nth(1)).toHaveAttribute('data-project-id', orchard.id);
  await expect(ySegs.nth(1)).toHaveAttribute('data-net-ms', String(45 * MIN));
  expect(await ySegs.nth(0).evaluate((e) => getComputedStyle(e).fill)).toBe('rgb(168, 85, 247)');
  expect(await ySegs.nth(1).evaluate((e) => getComputedStyle(e).fill)).toBe('rgb(34, 197, 94)');
  const top = Number(await ySegs.nth(1).getAttribute('y'));
  const bottom = Number(await ySegs.nth(0).getAttribute('y'));
  expect(top).toBeLessThan(bottom);
  const bSegs = page.locator(`[data-testid="chart-day"][data-date="${dayBefore}"] [data-testid="chart-seg"]`);
  await expect(bSegs).toHaveCount(1);
  await expect(bSegs).toHaveAttribute('data-net-ms', String(30 * MIN));
  // The per-project totals the page shows are the server's too.
  const stats = (await (await page.request.get('/api/sessions/stats?days=7')).json()) as {
    projects: Array<{ projectId: string | null; netMs: number }>;
  };
  expect(stats.projects.map((p) => [p.projectId, p.netMs])).toEqual([
    [dairy.id, 90 * MIN],
    [orchard.id, 75 * MIN],
  ]);
  // The table behind the chart says the same in text.
  await page.getByTestId('chart-split-table').locator('summary').click();
  const row = page.locator(`[data-testid="split-row"][data-date="${yesterday}"]`);
  await expect(row.locator('td')).toHaveText(['1 h 30 min', '45 min', '2 h 15 min']);
  await expectAccessible(page, 'track: chart split by project, table open');

  // Phone size: the split chart and the projects panel, looked at by a person.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('.trk-chart-card').screenshot({ path: 'e2e/screenshots/track-split-phone.png' });
  await panel.screenshot({ path: 'e2e/screenshots/track-projects-phone.png' });
  // The dark theme too (palette variables; the projects' own colours stay).
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.locator('.trk-chart-card').screenshot({ path: 'e2e/screenshots/track-split-phone-dark.png' });
  await expectAccessible(page, 'track: chart split by project, dark theme, phone');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 1000 });

  // The split stays on across a reload.
  await openTrack(page);
  await expect(page.getByTestId('day-chart')).toHaveAttribute('data-split', 'project');

  // Delete Dairy barn: a confirmation says what happens; its entries keep their time.
  const dairyAgain = panel.locator(`[data-testid="project-item"][data-project-id="${dairy.id}"]`);
  await dairyAgain.getByTestId('project-delete').click();
  await expect(confirm).toContainText('keep their time');
  await expect(confirm).toContainText('Its 1 task goes with it (1 still open)');
  await page.getByTestId('confirm-cancel').click();
  await expect(confirm).toHaveCount(0);
  await expect(dairyAgain).toHaveCount(1);
  // A failure reads as words and the dialog stays: the first try never reaches the server.
  await page.route(`**/api/projects/${dairy.id}`, (route) => route.abort('internetdisconnected'));
  await dairyAgain.getByTestId('project-delete').click();
  await page.getByTestId('confirm-yes').click();
  await expect(page.getByTestId('confirm-error')).toHaveText(/^Cannot reach Keeptime/);
  await expect(dairyAgain).toHaveCount(1);
  await page.unroute(`**/api/projects/${dairy.id}`);
  await page.getByTestId('confirm-yes').click();
  await expect(confirm).toHaveCount(0);
  await expect(dairyAgain).toHaveCount(0);
  // Orchard is deleted on another device: this page follows.
  const gone = await page.request.delete(`/api/projects/${orchard.id}`, { data: {} });
  expect(gone.status()).toBe(204);
  await expect(panel.locator(`[data-testid="project-item"][data-project-id="${orchard.id}"]`)).toHaveCount(0);
  await expect(page.getByTestId('projects-empty')).toBeVisible();
  // The time stays: the legend keeps both with their totals, marked deleted; history says "Deleted project".
  await expect(legend.getByTestId('legend-name')).toHaveText(['Dairy barn (deleted)', 'Orchard (deleted)']);
  await expect(legend.getByTestId('legend-total')).toHaveText(['1 h 30 min', '1 h 15 min']);
  await expect(yBar).toHaveAttribute('data-active-ms', String(135 * MIN));
  const herd = page.getByTestId('session-row').filter({ has: page.getByTestId('row-label').getByText('Herd check') });
  await expect(herd.getByTestId('row-project')).toHaveText('Deleted project');
  await expect(herd).toHaveAttribute('data-project-id', dairy.id);

  // Off again: the plain bars and the period's split bar.
  await page.getByTestId('chart-split-toggle').click();
  await expect(page.getByTestId('day-chart')).toHaveAttribute('data-split', 'none');
  await expect(page.getByTestId('chart-seg')).toHaveCount(0);
  await expect(page.getByTestId('project-split')).toBeVisible();
});

test('a stop queued offline on the phone does not stop the session started since on the laptop', async ({
  page,
  openPage,
}) => {
  test.setTimeout(120_000);
  const email = await signUpViaApi(page, 'Two devices');
  const laptop = await openPage();
  await logInViaApi(laptop, email);
  await openTrack(page);
  await openTrack(laptop);
  await page.getByTestId('session-start').click();
  for (const p of [page, laptop]) await expect(p.getByTestId('live-session')).toHaveAttribute('data-state', 'running');
  const first = await currentSession(laptop);

  // The phone loses its connection and stops the session: the stop waits on the phone.
  await page.context().setOffline(true);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'offline');
  await page.getByTestId('session-stop').click();
  await expect(page.getByTestId('pending-command')).toHaveAttribute('data-type', 'stop');
  await expect(page.getByTestId('pending-command')).toHaveAttribute('data-sent', 'false');

  // Meanwhile the laptop stops it and starts a new one.
  await laptop.getByTestId('session-stop').click();
  await expect(laptop.getByTestId('live-session')).toHaveAttribute('data-state', 'idle');
  await laptop.getByTestId('label-input').fill('Second session');
  await laptop.getByTestId('session-start').click();
  await expect(laptop.getByTestId('live-session')).toHaveAttribute('data-state', 'running');
  const second = (await currentSession(laptop)) as Awaited<ReturnType<typeof currentSession>> & { id?: string };
  expect(second.label).toBe('Second session');

  // The phone comes back: its late stop is refused, it says what happened, and the new session keeps running.
  await page.context().setOffline(false);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'live', { timeout: 20_000 });
  await expect(page.getByTestId('pending-command')).toHaveCount(0);
  await expect(page.getByTestId('toast')).toHaveText(/^Stopped on your .+ at .+; a new session is running$/);
  for (const p of [page, laptop]) await expect(p.getByTestId('live-session')).toHaveAttribute('data-state', 'running');
  await page.waitForTimeout(1_000);
  const now = await currentSession(laptop);
  expect(now).toMatchObject({ status: 'running', label: 'Second session', version: second.version });
  expect(now.version).toBeGreaterThanOrEqual(first.version);
});
