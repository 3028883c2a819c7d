/**
 * Personal API tokens on the site (issue 13): create one on /account (the secret shown once, with a copy button and
 * a plain "you won't see this again"), use it from a script (Playwright's `request`, Bearer), see "last used",
 * revoke it, and the API refuses it.
 */
import { expect, test } from './fixtures.ts';
import { signUpViaApi } from './helpers.ts';

test('create a token, use it as a script would, see its last use, revoke it', async ({ page, request }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await signUpViaApi(page, 'Token owner');

  // The account page is one click from the header.
  await page.goto('/rooms/');
  await page.getByTestId('nav-account').click();
  await expect(page).toHaveURL(/\/account\/$/);
  await expect(page.getByTestId('tokens-empty')).toBeVisible();

  await page.getByTestId('token-name').fill('Stage laptop');
  await expect(page.getByTestId('token-scope-read')).toBeChecked();
  await page.getByTestId('token-scope-rooms').check();
  await page.getByTestId('token-create').click();

  const reveal = page.getByTestId('token-reveal');
  await expect(reveal).toBeVisible();
  await expect(page.getByTestId('token-warning')).toContainText('you won’t see this again');
  const secret = await page.getByTestId('token-secret').inputValue();
  expect(secret).toMatch(/^kt_[0-9a-f]{64}_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
  await page.getByTestId('token-copy').click();
  await expect(page.getByTestId('token-copy-status')).toHaveText('Copied to the clipboard.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

  const row = page.getByTestId('token-row');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('token-row-name')).toHaveText('Stage laptop');
  await expect(row.getByTestId('token-last-used')).toHaveText('Never used');
  await page.screenshot({ path: 'e2e/screenshots/api-tokens-created.png', fullPage: true });

  // A script with the token: no cookie, only the Bearer header.
  const auth = { Authorization: `Bearer ${secret}` };
  const me = await request.get('/api/me', { headers: auth });
  expect(me.status()).toBe(200);
  expect((await me.json()).user.name).toBe('Token owner');
  const room = await request.post('/api/rooms', { headers: auth, data: { name: 'Made by a script' } });
  expect(room.status()).toBe(201);
  // Its scopes are read and rooms: sessions stay out of reach, and so do other tokens.
  const start = await request.post('/api/sessions/start', { headers: auth, data: {} });
  expect(start.status()).toBe(403);
  expect((await start.json()).error.code).toBe('insufficient_scope');
  const mint = await request.post('/api/tokens', { headers: auth, data: { name: 'child', scopes: ['read'] } });
  expect(mint.status()).toBe(403);

  // Done with the secret: it leaves the page, and a reload never brings it back.
  await page.getByTestId('token-reveal-done').click();
  await expect(reveal).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('token-row')).toHaveCount(1);
  expect(await page.content()).not.toContain(secret.slice(-43));
  await expect(page.getByTestId('token-last-used')).toContainText('Last used');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'e2e/screenshots/api-tokens-phone.png', fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });

  // Revoke (two clicks), and the API refuses the token at once.
  await page.getByTestId('token-revoke').click();
  await page.getByTestId('token-revoke').click();
  await expect(page.getByTestId('tokens-notice')).toContainText('“Stage laptop” was revoked');
  await expect(page.getByTestId('tokens-empty')).toBeVisible();
  const refused = await request.get('/api/me', { headers: auth });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe('unauthenticated');
  // The login session itself is untouched.
  await page.reload();
  await expect(page.getByTestId('account-who')).toContainText('Token owner');
});

test('the account page asks a signed-out visitor to log in', async ({ page }) => {
  await page.goto('/account/');
  await expect(page.getByTestId('error-state')).toHaveAttribute('data-kind', 'unauthenticated');
  await expect(page.getByTestId('error-state').getByRole('link', { name: 'Log in' })).toHaveAttribute(
    'href',
    '/login/?next=%2Faccount%2F',
  );
});
