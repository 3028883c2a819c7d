/**
 * Webhooks on the site (issue 13): register an endpoint on /integrations for a room's timer.started, start the
 * timer over the API, see the delivery (HTTP 200) in the log, redeliver it and see the receiver get the same
 * webhook-id twice; then the same for my sessions. The receiver is a real HTTP server in this test process
 * (test/support/webhook-receiver.ts); the e2e server allows loopback receivers (WEBHOOK_ALLOW_LOOPBACK, development).
 */
import { type Received, startReceiver } from '../test/support/webhook-receiver.ts';
import { expect, test } from './fixtures.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, createRoomViaApi, logInViaApi, signUpViaApi } from './helpers.ts';

let receiver: Awaited<ReturnType<typeof startReceiver>>;
test.beforeAll(async () => {
  receiver = await startReceiver();
});
test.afterAll(async () => {
  await receiver?.close();
});

async function received(key: string): Promise<Received[]> {
  return (await (await fetch(`${receiver.url}/received/${key}`)).json()) as Received[];
}

const CMD = { 'X-Keeptime': '1' };

test('a room webhook: register, see the delivery, redeliver with the same webhook-id', async ({
  page,
  allowConsoleError,
}) => {
  // The refused URL below is a 400 on purpose (the browser logs the failed request).
  allowConsoleError(/status of 400/);
  await signUpViaApi(page, 'Hook owner');
  const room = await createRoomViaApi(page, 'Webhook room');
  const made = await page.request.post(`/api/rooms/${room.id}/timers`, {
    data: { label: 'Opening', durationMs: 300_000 },
  });
  expect(made.status()).toBe(201);
  const timerId = ((await made.json()) as { timer: { id: string } }).timer.id;

  await page.goto('/rooms/');
  await page.getByTestId('nav-integrations').click();
  await expect(page).toHaveURL(/\/integrations\/$/);
  const rooms = page.getByTestId('webhooks-rooms');
  await expect(page.getByTestId('hooks-room')).toHaveValue(room.id);

  // A refused URL reads as the API's message and adds nothing.
  await rooms.getByTestId('webhook-url-input').fill('http://example.com/hook');
  await rooms.getByTestId('webhook-event-timer.started').check();
  await rooms.getByTestId('webhook-add').click();
  await expect(rooms.getByTestId('webhook-form-error')).toContainText('url must use https');
  await expect(rooms.getByTestId('webhook-card')).toHaveCount(0);

  const key = `room-${Date.now()}`;
  await rooms.getByTestId('webhook-url-input').fill(`${receiver.url}/hook/${key}`);
  await rooms.getByTestId('webhook-add').click();
  await expect(rooms.getByTestId('webhook-secret')).toHaveValue(/^whsec_/);
  await rooms.getByTestId('webhook-secret-done').click();
  const card = rooms.getByTestId('webhook-card');
  await expect(card).toHaveCount(1);
  await expect(card.getByTestId('webhook-state')).toHaveText('Enabled');
  await card.getByTestId('webhook-deliveries-toggle').click();

  const start = await page.request.post(`/api/rooms/${room.id}/timers/${timerId}/start`, { headers: CMD });
  expect(start.status()).toBeLessThan(300);
  await expect.poll(async () => (await received(key)).length, { timeout: 15_000 }).toBe(1);

  // The log polls: the delivery shows without a reload.
  const row = card.getByTestId('delivery-row');
  await expect(row).toHaveCount(1, { timeout: 10_000 });
  await expect(row).toHaveAttribute('data-status', 'delivered');
  await expect(row.getByTestId('delivery-http')).toHaveText('200');
  await page.screenshot({ path: 'e2e/screenshots/webhooks-log.png', fullPage: true });

  await row.getByTestId('delivery-redeliver').click();
  await expect(card.getByTestId('delivery-notice')).toContainText('queued again');
  await expect.poll(async () => (await received(key)).length, { timeout: 15_000 }).toBe(2);
  const [first, again] = await received(key);
  expect(again?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
  expect(again?.body).toBe(first?.body);
  expect(JSON.parse(first?.body ?? '{}')).toMatchObject({ type: 'timer.started', data: { timerId } });
  await expect(card.getByTestId('delivery-row')).toHaveCount(2, { timeout: 10_000 });

  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'e2e/screenshots/webhooks-phone.png', fullPage: true });
});

test('a session webhook: a test event and a session start reach the receiver', async ({ page }) => {
  await signUpViaApi(page, 'Session hooks');
  const res = await page.goto('/integrations/');
  expect(res?.headers()['content-security-policy'] ?? '').toContain("script-src 'self'");
  // Floors are for admins: a member does not see the section.
  await expect(page.getByTestId('webhooks-sessions')).toBeVisible();
  await expect(page.getByTestId('hooks-floor')).toHaveCount(0);
  const sessions = page.getByTestId('webhooks-sessions');
  const key = `session-${Date.now()}`;
  await sessions.getByTestId('webhook-url-input').fill(`${receiver.url}/hook/${key}`);
  await sessions.getByTestId('webhook-event-session.started').check();
  await sessions.getByTestId('webhook-add').click();
  await sessions.getByTestId('webhook-secret-done').click();
  const card = sessions.getByTestId('webhook-card');
  await card.getByTestId('webhook-test').click();
  await expect.poll(async () => (await received(key)).length, { timeout: 15_000 }).toBe(1);
  expect(JSON.parse((await received(key))[0]?.body ?? '{}').type).toBe('webhook.test');

  const start = await page.request.post('/api/sessions/start', { data: {} });
  expect(start.status()).toBeLessThan(300);
  await expect.poll(async () => (await received(key)).length, { timeout: 15_000 }).toBe(2);
  expect(JSON.parse((await received(key))[1]?.body ?? '{}').type).toBe('session.started');
  await expect(card.getByTestId('delivery-row')).toHaveCount(2, { timeout: 10_000 });
});

test('a floor webhook (admin): a rack claim shows in the log', async ({ page }) => {
  await logInViaApi(page, DEMO_ACCOUNTS[0]!.email, DEMO_PASSWORD);
  await page.goto('/integrations/');
  await page.getByTestId('hooks-floor').selectOption('first');
  const floors = page.getByTestId('webhooks-floors');
  const key = `floor-${Date.now()}`;
  await floors.getByTestId('webhook-url-input').fill(`${receiver.url}/hook/${key}`);
  await floors.getByTestId('webhook-event-rack.claimed').check();
  await floors.getByTestId('webhook-add').click();
  await floors.getByTestId('webhook-secret-done').click();
  const card = floors.getByTestId('webhook-card');
  await card.getByTestId('webhook-deliveries-toggle').click();

  // Any rack of the floor nobody holds now (other specs claim racks too).
  const available = await page.request.get('/api/racks/available?floor=first');
  const rackId = ((await available.json()) as { racks: Array<{ rack_id: string }> }).racks[0]?.rack_id;
  expect(rackId).toBeTruthy();
  const lease = await page.request.post(`/api/racks/${rackId}/claim`, { data: { floor: 'first' } });
  expect(lease.status()).toBe(200);
  const held = (await lease.json()) as { session_id: string; fencing_token: number };
  try {
    await expect.poll(async () => (await received(key)).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    const body = JSON.parse((await received(key))[0]?.body ?? '{}');
    expect(body).toMatchObject({ type: 'rack.claimed', data: { rackId, floor: 'first', sessionId: held.session_id } });
    await expect(card.getByTestId('delivery-row').first()).toHaveAttribute('data-status', 'delivered', {
      timeout: 10_000,
    });
  } finally {
    await page.request.post(`/api/racks/${rackId}/release`, { data: held });
    await card.getByTestId('webhook-delete').click();
    await card.getByTestId('webhook-delete-confirm').click();
    await expect(floors.getByTestId('webhook-card')).toHaveCount(0);
  }
});
