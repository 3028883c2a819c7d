/**
 * Issue 11, finding 7: every page is served with its security headers and loads (scripts, styles, the live
 * socket) under its Content-Security-Policy without a single violation.
 */
import { expect, test } from './fixtures.ts';
import { APP, HTTP_COOP_NOTICE, inPage, signUpInPage } from './security-helpers.ts';

test.beforeEach(({ allowConsoleError }) => allowConsoleError(HTTP_COOP_NOTICE));

test('every page carries the CSP, nosniff and no-referrer, and loads with no CSP violation', async ({
  page,
  allowConsoleError,
}) => {
  test.setTimeout(120_000);
  // A member on admin pages (and pages opened without their query) is refused by the API: expected, and not CSP.
  allowConsoleError(/Failed to load resource: the server responded with a status of 4\d\d/);
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
  });
  const csp: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) csp.push(m.text());
  });
  await signUpInPage(page, 'pages');
  const room = await inPage<{ room: { id: string }; links: { viewer: string; controller: string } }>(
    page,
    'POST',
    '/api/rooms',
    { name: 'CSP room' },
  );
  expect(room.status).toBe(201);
  await inPage(page, 'POST', `/api/rooms/${room.body.room.id}/timers`, { label: 'Opening', durationMs: 60_000 });

  const pages: Array<{ path: string; ready?: string; status?: number }> = [
    // A signed-in visitor goes on from the landing page to My rooms.
    { path: '/', ready: 'room-row' },
    { path: '/login/', ready: 'auth-form' },
    { path: '/signup/', ready: 'auth-form' },
    { path: '/rooms/', ready: 'room-row' },
    // The control panel's live socket proves connect-src 'self' covers same-origin ws:.
    { path: `/control/?room=${room.body.room.id}`, ready: 'control-panel' },
    { path: '/track/' },
    { path: '/racks/' },
    { path: '/board/' },
    { path: '/conflicts/' },
    { path: '/warehouse/' },
    { path: '/ops/' },
    { path: '/account/' },
    { path: '/integrations/' },
    { path: `/r/${room.body.links.viewer}` },
    // Every view is its own chunk: each must load under the policy.
    { path: `/r/${room.body.links.viewer}?view=presenter` },
    { path: `/r/${room.body.links.viewer}?view=agenda` },
    { path: `/r/${room.body.links.viewer}?view=clock` },
    { path: '/no-such-page/', status: 404 },
  ];
  for (const p of pages) {
    const res = await page.goto(`${APP}${p.path}`);
    expect(res?.status(), p.path).toBe(p.status ?? 200);
    const h = res?.headers() ?? {};
    const policy = h['content-security-policy'] ?? '';
    for (const directive of [
      "frame-ancestors 'none'",
      "object-src 'none'",
      "base-uri 'none'",
      "connect-src 'self'",
      "script-src 'self'",
    ])
      expect(policy, `${p.path}: ${directive}`).toContain(directive);
    // 'wasm-unsafe-eval' (the barcode decoder's .wasm) is allowed; JavaScript eval is not.
    expect(policy, p.path).not.toContain("'unsafe-eval'");
    expect(h['x-content-type-options'], p.path).toBe('nosniff');
    expect(h['referrer-policy'], p.path).toBe('no-referrer');
    // The landing page sends a signed-in visitor on to My rooms: read the violations only once it has arrived
    // (reading during that navigation throws), and name them if the page never gets ready.
    if (p.ready) {
      const ready = page.getByTestId(p.ready).first();
      await ready.waitFor({ state: 'visible', timeout: 15_000 }).catch(async () => {
        const seen = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp).catch(() => []);
        throw new Error(`${p.path}: ${p.ready} never showed; CSP violations ${JSON.stringify(seen)}`);
      });
      await expect(ready).toBeVisible();
    }
    await page.waitForLoadState('load');
    // Time for islands to hydrate and sockets to open.
    await page.waitForTimeout(750);
    const violations = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
    expect(violations, p.path).toEqual([]);
  }
  await page.goto(`${APP}/control/?room=${room.body.room.id}`);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'live');
  // The owner's panel shows the share links, read over HTTP (the socket never carries them).
  await expect(page.getByTestId('share-viewer-url')).toHaveValue(new RegExp(`/r/${room.body.links.viewer}$`));
  expect(csp).toEqual([]);
});
