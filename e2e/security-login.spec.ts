/** Issue 11, finding 8: after login, `next` never leaves Keeptime's origin. */
import { expect, test } from './fixtures.ts';
import { APP, HTTP_COOP_NOTICE, signUpInPage } from './security-helpers.ts';

test.beforeEach(({ allowConsoleError }) => allowConsoleError(HTTP_COOP_NOTICE));

const PASSWORD = 'correct-horse-battery';

// Each as it appears in the address bar.
const OFFSITE = [
  '/\\other.test/x',
  '/%5Cother.test/x',
  '/%09/other.test',
  '/%0A/other.test',
  '//other.test',
  '%2F%2Fother.test',
  '///other.test',
  'javascript:alert(document.domain)',
  'http://other.test/',
];

test('login with an off-site next stays on Keeptime (My rooms); an on-site next is honoured', async ({ page }) => {
  test.setTimeout(120_000);
  const email = await signUpInPage(page, 'redirect');
  for (const next of [...OFFSITE, '/track/']) {
    // Signed out again: no cookie and no "signed in" hint (which would make the login page ask /api/me).
    await page.context().clearCookies();
    await page.evaluate(() => localStorage.removeItem('kt:signed-in'));
    await page.goto(`${APP}/login/?next=${next}`);
    await page.getByTestId('auth-email').fill(email);
    await page.getByTestId('auth-password').fill(PASSWORD);
    await page.getByTestId('auth-submit').click();
    const want = next === '/track/' ? `${APP}/track/` : `${APP}/rooms/`;
    await expect(page, next).toHaveURL(want);
    // Let the page settle before the next round signs out under it.
    if (want.endsWith('/rooms/')) await expect(page.getByTestId('rooms-empty')).toBeVisible();
  }
});
