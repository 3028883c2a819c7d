/** Operations: admins see dependency health, live counts and a realtime feed; members are told it is not for them. */
import { expect, test } from './fixtures.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, createRoomViaApi, logInViaUi, signUpViaApi } from './helpers.ts';

const ADMIN = DEMO_ACCOUNTS[0].email;
const MEMBER = DEMO_ACCOUNTS[1].email;

test('an admin sees health and counts, and rooms another user creates and deletes arrive live in the feed', async ({
  page,
  openPage,
}) => {
  await logInViaUi(page, ADMIN, DEMO_PASSWORD, '/rooms/');
  await page.getByTestId('nav-ops').click();
  await expect(page).toHaveURL(/\/ops\/$/);

  // Health: the webServer runs PGlite and a private Redis, so both are up.
  await expect(page.getByTestId('health-postgres')).toHaveAttribute('data-state', 'ok');
  await expect(page.getByTestId('health-redis')).toHaveAttribute('data-state', 'ok');
  await expect(page.getByTestId('health-postgres-latency')).toHaveText(/^\d+ ms$/);
  await expect(page.getByTestId('health-overall')).toHaveAttribute('data-status', 'ok');
  await expect(page.getByTestId('stat-sockets-value')).toHaveText(/^\d+$/);
  await expect(page.getByTestId('stat-dead-value')).toHaveText(/^\d+$/);
  const feedStatus = page.getByTestId('feed-panel').getByTestId('connection');
  await expect(feedStatus).toHaveAttribute('data-status', 'live');
  // This page's own socket counts as an Ops viewer at the next poll.
  await expect(page.getByTestId('stat-ops-sockets-value')).not.toHaveText(/^(0|—)$/, { timeout: 8_000 });

  // Someone else, in another browser, creates and then deletes a room.
  const other = await openPage();
  await signUpViaApi(other, 'Feed maker');
  const name = `Feed room ${Date.now().toString(36)}`;
  const room = await createRoomViaApi(other, name);
  const created = page
    .getByTestId('feed-item')
    .filter({ hasText: name })
    .and(page.locator('[data-kind="room-created"]'));
  await expect(created).toBeVisible({ timeout: 10_000 });

  expect((await other.request.delete(`/api/rooms/${room.id}`, { headers: { 'X-Keeptime': '1' } })).status()).toBe(204);
  const deleted = page
    .getByTestId('feed-item')
    .filter({ hasText: name })
    .and(page.locator('[data-kind="room-deleted"]'));
  await expect(deleted).toBeVisible({ timeout: 10_000 });
  // Newest first (other tests' rooms may interleave: compare these two only).
  const order = await page
    .getByTestId('feed-item')
    .evaluateAll(
      (items, n) => items.filter((i) => i.textContent?.includes(n)).map((i) => (i as HTMLElement).dataset.kind),
      name,
    );
  expect(order).toEqual(['room-deleted', 'room-created']);

  await page.screenshot({ path: 'e2e/screenshots/ops.png', fullPage: true });

  // Draining on demand answers, even with nothing waiting.
  await page.getByTestId('outbox-kick').click();
  await expect(page.getByTestId('toast')).toContainText(/drain/);
});

test('Operations works on a phone', async ({ openPage }) => {
  const phone = await openPage({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  await logInViaUi(phone, ADMIN, DEMO_PASSWORD, '/ops/');
  await expect(phone.getByTestId('health-postgres')).toHaveAttribute('data-state', 'ok');
  await expect(phone.getByTestId('feed-panel').getByTestId('connection')).toHaveAttribute('data-status', 'live');
  await expect(phone.getByTestId('stat-sockets-value')).toHaveText(/^\d+$/);
  // Nothing is wider than the screen.
  const overflow = await phone.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  await phone.screenshot({ path: 'e2e/screenshots/ops-phone.png', fullPage: true });
});

test('a member gets a readable "Operations is for admins", and no Operations link', async ({ page }) => {
  await logInViaUi(page, MEMBER, DEMO_PASSWORD, '/rooms/');
  await expect(page.getByTestId('nav-rooms')).toBeVisible();
  await expect(page.getByTestId('nav-ops')).toHaveCount(0);
  await page.goto('/ops/');
  await expect(page.getByTestId('error-state')).toHaveAttribute('data-kind', 'forbidden');
  await expect(page.getByTestId('error-state')).toContainText('Operations is for admins');
  // The API agrees.
  const res = await page.request.get('/api/ops/stats');
  expect(res.status()).toBe(403);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
});

test('logged out, Operations asks for a login', async ({ page }) => {
  await page.goto('/ops/');
  await expect(page.getByTestId('error-state')).toHaveAttribute('data-kind', 'unauthenticated');
  await expect(page.getByTestId('error-state').getByRole('link', { name: 'Log in' })).toHaveAttribute(
    'href',
    '/login/?next=%2Fops%2F',
  );
});

test('Replay takes a dead letter off the list at once, and puts it back with an error when the replay fails', async ({
  page,
  allowConsoleError,
}) => {
  // The API is stubbed here: this is the page's behaviour, a failed replay included (ops-dlq.spec.ts makes a real dead letter).
  allowConsoleError(/status of 500/);
  const letter = (eventId: string, deadAt: number) => ({
    eventId,
    object: { kind: 'room', name: `room-${eventId}` },
    kind: 'room.changed',
    error: 'relation "timer_runs" does not exist',
    deadAt,
  });
  let letters = [letter('ev-ok', Date.now() - 60_000), letter('ev-bad', Date.now() - 120_000)];
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/api/ops/dlq', (route) => route.fulfill({ json: { deadLetters: letters } }));
  await page.route('**/api/ops/dlq/*/replay', async (route) => {
    if (route.request().url().includes('ev-ok')) {
      await held;
      letters = letters.filter((l) => l.eventId !== 'ev-ok');
      return route.fulfill({ json: { ok: true } });
    }
    return route.fulfill({ status: 500, json: { error: { code: 'internal', message: 'Postgres is still down' } } });
  });

  await logInViaUi(page, ADMIN, DEMO_PASSWORD, '/ops/');
  const rows = page.getByTestId('dlq-row');
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId('dlq-count')).toHaveText('2');
  await expect(rows.first()).toContainText('room-ev-ok');
  await page.screenshot({ path: 'test-results/ops-dlq.png', fullPage: true });

  // Optimistic: gone before the server has answered.
  await rows.filter({ hasText: 'room-ev-ok' }).getByTestId('dlq-replay').click();
  await expect(rows).toHaveCount(1);
  release();
  await expect(page.getByTestId('toast')).toContainText('Replayed room.changed from room room-ev-ok');

  // A failed replay brings the row back and says why.
  await rows.filter({ hasText: 'room-ev-bad' }).getByTestId('dlq-replay').click();
  await expect(page.getByTestId('toast')).toContainText('Replay failed: Postgres is still down');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-event-id', 'ev-bad');
});
