/** Issue 11, finding 8: after login, `next` never leaves Keeptime's origin. */
import { expect, test } from './fixtures.ts';
import { APP, signUpInPage } from './security-helpers.ts';

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

test('login with an off-site next stays on Keeptime (My rooms); an on-site next is honoured', async ({
  page,
  openPage,
}) => {
  const email = await signUpInPage(page, 'redirect');
  for (const next of [...OFFSITE, '/track/']) {
    const p = await openPage();
    await p.goto(`${APP}/login/?next=${next}`);
    await p.getByTestId('auth-email').fill(email);
    await p.getByTestId('auth-password').fill(PASSWORD);
    await p.getByTestId('auth-submit').click();
    const want = next === '/track/' ? `${APP}/track/` : `${APP}/rooms/`;
    await expect(p, next).toHaveURL(want);
    await p.close();
  }
});
