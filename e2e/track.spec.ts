/**
 * Track: one user's live session on every device they have open. The clock
 * runs locally from the session's instants; commands made offline wait in the
 * browser and apply once when the connection returns.
 */
import { expect, test } from './fixtures.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, logInViaApi, logInViaUi, signUpViaApi } from './helpers.ts';
import { clockSeconds, currentSession, openTrack, sessionCommand } from './track-helpers.ts';

const ADMIN = DEMO_ACCOUNTS[0]?.email ?? '';

test('two devices of one user: a start shows on the other within a second, a pause there freezes both', async ({
  page,
  openPage,
}) => {
  const email = await signUpViaApi(page, 'Two devices');
  const other = await openPage();
  await logInViaApi(other, email);
  await openTrack(page);
  await openTrack(other);
  await expect(page.getByTestId('live-session')).toHaveAttribute('data-state', 'idle');
  await expect(page.getByTestId('nav-track')).toBeVisible();

  await page.getByTestId('label-input').fill('Morning milking');
  await page.getByTestId('session-start').click();
  // Within a second on the other device.
  await expect(other.getByTestId('live-session')).toHaveAttribute('data-state', 'running', { timeout: 1_000 });
  await expect(other.getByTestId('session-label')).toHaveText('Morning milking');
  await expect(other.getByTestId('session-digits')).not.toHaveText('0:00', { timeout: 2_500 });

  // Pause on the other device: both freeze at the same reading.
  await other.getByTestId('session-pause').click();
  for (const p of [page, other]) await expect(p.getByTestId('live-session')).toHaveAttribute('data-state', 'paused');
  const first = [
    await page.getByTestId('session-digits').textContent(),
    await other.getByTestId('session-digits').textContent(),
  ];
  await page.waitForTimeout(1_200);
  const second = [
    await page.getByTestId('session-digits').textContent(),
    await other.getByTestId('session-digits').textContent(),
  ];
  expect(second).toEqual(first);
  expect(first[1]).toBe(first[0]);
  for (const p of [page, other])
    await expect(p.getByTestId('pause-bar-part').and(p.locator('[data-kind="pause"]'))).toHaveCount(1);

  // Space resumes (from the keyboard, on the first device); S stops.
  await page.locator('body').press('Space');
  for (const p of [page, other]) await expect(p.getByTestId('live-session')).toHaveAttribute('data-state', 'running');
  await other.locator('body').press('s');
  for (const p of [page, other]) await expect(p.getByTestId('live-session')).toHaveAttribute('data-state', 'idle');
  await expect(page.getByTestId('last-session')).toContainText('Morning milking');
});

test('stopping a session adds it to history and to today’s bar in the chart', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signUpViaApi(page, 'History keeper');
  await openTrack(page);
  await expect(page.getByTestId('history-empty')).toBeVisible();
  const today = page.getByTestId('chart-day').last();
  await expect(today).toHaveAttribute('data-sessions', '0');
  await expect(page.getByTestId('stat-sessions-value')).toHaveText('0');

  await page.getByTestId('label-input').fill('Evening milking');
  await page.getByTestId('session-start').click();
  await expect(page.getByTestId('live-session')).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('session-digits')).toHaveText('0:01', { timeout: 3_000 });
  await page.getByTestId('session-stop').click();
  await expect(page.getByTestId('live-session')).toHaveAttribute('data-state', 'idle');

  const row = page.getByTestId('session-row');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('row-label')).toHaveText('Evening milking');
  await expect(row.getByTestId('row-active')).toHaveText(/^0:0[1-9]$/);
  await expect(today).toHaveAttribute('data-sessions', '1');
  expect(Number(await today.getAttribute('data-active-ms'))).toBeGreaterThanOrEqual(1_000);
  await expect(page.getByTestId('stat-sessions-value')).toHaveText('1');
  await expect(page.getByTestId('insight').first()).toContainText('1 session');
  await expect(page.getByTestId('label-row')).toHaveAttribute('data-label', 'Evening milking');
  // The label is offered again for the next session.
  await expect(page.getByTestId('label-chip')).toHaveText(['Evening milking']);

  // 30 days: a bar per day, today's still counted.
  await page.getByTestId('stats-days-30').click();
  await expect(page.getByTestId('chart-day')).toHaveCount(30);
  await expect(page.getByTestId('chart-day').last()).toHaveAttribute('data-sessions', '1');

  const csv = await page.request.get((await page.getByTestId('export-csv').getAttribute('href')) ?? '');
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
  expect(await csv.text()).toContain('Evening milking');
});

test('a reload mid-session carries on counting from where it was', async ({ page }) => {
  await signUpViaApi(page, 'Reloader');
  await openTrack(page);
  await page.getByTestId('music-toggle').click();
  await expect(page.getByTestId('music-toggle')).toHaveAttribute('data-music', 'on');
  await page.getByTestId('session-start').click();
  await expect(page.getByTestId('session-digits')).toHaveText('0:02', { timeout: 4_000 });
  const before = await clockSeconds(page);

  await page.reload();
  await expect(page.getByTestId('live-session')).toHaveAttribute('data-state', 'running');
  expect(await clockSeconds(page)).toBeGreaterThanOrEqual(before);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'live');
  // The music choice is remembered.
  await expect(page.getByTestId('music-toggle')).toHaveAttribute('data-music', 'on');
});

test('a pause made offline waits on the device, then applies exactly once when it is back online', async ({
  page,
  openPage,
}) => {
  const email = await signUpViaApi(page, 'Offline');
  const other = await openPage();
  await logInViaApi(other, email);
  await openTrack(page);
  await openTrack(other);
  await page.getByTestId('session-start').click();
  for (const p of [page, other]) await expect(p.getByTestId('live-session')).toHaveAttribute('data-state', 'running');
  const started = await currentSession(page);
  expect(started.status).toBe('running');

  await page.context().setOffline(true);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'offline');
  await page.getByTestId('session-pause').click();
  const pending = page.getByTestId('pending-command');
  await expect(pending).toHaveCount(1);
  await expect(pending).toHaveAttribute('data-type', 'pause');
  await expect(pending).toHaveAttribute('data-sent', 'false');
  // The button already offers what comes next; the server has not heard of it.
  await expect(page.getByTestId('session-resume')).toBeVisible();
  await other.waitForTimeout(800);
  await expect(other.getByTestId('live-session')).toHaveAttribute('data-state', 'running');
  expect(await currentSession(other)).toMatchObject({ status: 'running', version: started.version });

  await page.context().setOffline(false);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'live', { timeout: 10_000 });
  await expect(pending).toHaveCount(0);
  for (const p of [page, other]) await expect(p.getByTestId('live-session')).toHaveAttribute('data-state', 'paused');
  const paused = await currentSession(other);
  expect(paused).toMatchObject({ status: 'paused', version: started.version + 1 });
  expect(paused.pauseSegments).toHaveLength(1);
  // Nothing is applied twice later either.
  await page.waitForTimeout(1_000);
  expect((await currentSession(other)).version).toBe(started.version + 1);
});

test('a command queued while the server is out of reach survives a reload and is sent once with its id', async ({
  page,
}) => {
  await signUpViaApi(page, 'Queue keeper');
  await sessionCommand(page, 'start', 'Survives reloads');
  const started = await currentSession(page);
  let down = true;
  const frames: string[] = [];
  await page.routeWebSocket(/\/api\/sessions\/ws/, (ws) => {
    if (down) {
      void ws.close({ code: 1011, reason: 'test: unreachable' });
      return;
    }
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      frames.push(String(m));
      server.send(m);
    });
  });

  await page.goto('/track/');
  await expect(page.getByTestId('live-session')).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', /reconnecting|offline/);
  await page.getByTestId('session-pause').click();
  await expect(page.getByTestId('pending-command')).toHaveAttribute('data-type', 'pause');

  await page.reload();
  await expect(page.getByTestId('pending-command')).toHaveAttribute('data-type', 'pause');
  await expect(page.getByTestId('pending-command')).toHaveAttribute('data-sent', 'false');
  expect((await currentSession(page)).status).toBe('running');

  down = false;
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'live', { timeout: 20_000 });
  await expect(page.getByTestId('pending-command')).toHaveCount(0);
  await expect(page.getByTestId('live-session')).toHaveAttribute('data-state', 'paused');
  expect(await currentSession(page)).toMatchObject({ status: 'paused', version: started.version + 1 });
  const pauses = frames
    .map((f) => JSON.parse(f) as { type: string; id?: string })
    .filter((f) => f.type === 'SESSION_PAUSE');
  expect(pauses).toHaveLength(1);
  expect(pauses[0]?.id).toMatch(/^[0-9a-f]{24}$/);
});

test('history scrolls: the next page loads as its end comes into view', async ({ page }) => {
  await signUpViaApi(page, 'Many sessions');
  for (let i = 0; i < 23; i++) {
    await sessionCommand(page, 'start', `Session ${i + 1}`);
    await sessionCommand(page, 'stop');
  }
  await openTrack(page);
  const rows = page.getByTestId('session-row');
  await expect(rows).toHaveCount(20);
  await expect(rows.first().getByTestId('row-label')).toHaveText('Session 23');
  await page.getByTestId('history-more').scrollIntoViewIfNeeded();
  await expect(rows).toHaveCount(23);
  await expect(rows.last().getByTestId('row-label')).toHaveText('Session 1');
  await expect(page.getByTestId('history-end')).toBeVisible();
});

test('logged out, Track asks for a login', async ({ page }) => {
  await page.goto('/track/');
  await expect(page.getByTestId('error-state')).toHaveAttribute('data-kind', 'unauthenticated');
  await expect(page.getByTestId('error-state').getByRole('link', { name: 'Log in' })).toHaveAttribute(
    'href',
    '/login/?next=%2Ftrack%2F',
  );
});

test('Track looks right on a desktop and on a phone', async ({ page, openPage }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  const email = await signUpViaApi(page, 'Sam Farmer');
  for (const [label, ms] of [
    ['Morning milking', 1_600],
    ['Cleaning', 700],
    ['Evening milking', 1_300],
    ['Morning milking', 1_100],
  ] as const) {
    await sessionCommand(page, 'start', label);
    await page.waitForTimeout(ms);
    await sessionCommand(page, 'stop');
  }
  // A session in progress with one pause, so the bar has something to show.
  await sessionCommand(page, 'start', 'Morning milking');
  await page.waitForTimeout(1_100);
  await sessionCommand(page, 'pause');
  await page.waitForTimeout(500);
  await sessionCommand(page, 'resume');

  await openTrack(page);
  await expect(page.getByTestId('live-session')).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('session-row')).toHaveCount(4);
  await expect(page.getByTestId('chart-day').last()).toHaveAttribute('data-sessions', '4');
  await page.screenshot({ path: 'e2e/screenshots/track.png', fullPage: true });

  const phone = await openPage({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  await logInViaApi(phone, email);
  await openTrack(phone);
  await expect(phone.getByTestId('live-session')).toHaveAttribute('data-state', 'running');
  await expect(phone.getByTestId('session-row')).toHaveCount(4);
  const overflow = await phone.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  await phone.screenshot({ path: 'e2e/screenshots/track-phone.png', fullPage: true });
});

test('an admin sees everyone’s sessions in progress on Track; a member does not get the panel', async ({
  page,
  openPage,
}) => {
  const worker = await openPage();
  await signUpViaApi(worker, 'Busy worker');
  const me = (await (await worker.request.get('/api/me')).json()) as { user: { id: string } };
  await sessionCommand(worker, 'start', 'Night shift');

  await logInViaUi(page, ADMIN, DEMO_PASSWORD, '/track/');
  const row = page.getByTestId('active-row').and(page.locator(`[data-user-id="${me.user.id}"]`));
  await expect(row).toHaveAttribute('data-status', 'running');
  await expect(row).toContainText('Night shift');
  // Named from the mirrored users table (the account reaches Postgres within moments of the signup).
  await expect(row).toContainText('Busy worker', { timeout: 12_000 });
  await sessionCommand(worker, 'pause');
  await expect(row).toHaveAttribute('data-status', 'paused', { timeout: 8_000 });

  await openTrack(worker);
  await expect(worker.getByTestId('live-session')).toHaveAttribute('data-state', 'paused');
  await expect(worker.getByTestId('active-sessions')).toHaveCount(0);
});
