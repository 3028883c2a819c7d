/**
 * Issue 11, finding 7: a cross-site page cannot frame Keeptime's pages (the owner's control panel above all);
 * `frame-ancestors 'none'` comes from `_headers` (the viewer's from the Worker). The viewer is not embeddable
 * either: docs/api.md, "Pages and headers".
 */
import { expect, test } from './fixtures.ts';
import { APP, type Attacker, HTTP_COOP_NOTICE, inPage, signUpInPage, startAttacker } from './security-helpers.ts';

test.beforeEach(({ allowConsoleError }) => allowConsoleError(HTTP_COOP_NOTICE));

let attacker: Attacker;
test.beforeAll(async () => {
  attacker = await startAttacker();
});
test.afterAll(async () => {
  await attacker.close();
});

test('a cross-site page cannot frame the control panel, My rooms, login or the viewer', async ({
  page,
  allowConsoleError,
}) => {
  await signUpInPage(page, 'framed');
  const created = await inPage<{ room: { id: string }; links: { viewer: string } }>(page, 'POST', '/api/rooms', {
    name: 'Framed room',
  });
  expect(created.status).toBe(201);
  const targets = [
    `${APP}/control/?room=${created.body.room.id}`,
    `${APP}/rooms/`,
    `${APP}/login/`,
    `${APP}/r/${created.body.links.viewer}`,
  ];
  const refusals: string[] = [];
  page.on('console', (m) => {
    if (/frame-ancestors/.test(m.text())) refusals.push(m.text());
  });
  allowConsoleError(/frame-ancestors|Refused to frame/);
  for (const [i, target] of targets.entries()) {
    const before = refusals.length;
    await page.goto(attacker.page('other.test', `/frame-${i}`, `<iframe id="victim" src="${target}"></iframe>`));
    await expect.poll(() => refusals.length, { message: target }).toBeGreaterThan(before);
    // The frame shows Chromium's error page, never Keeptime's markup.
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(frame, target).toBeDefined();
    expect(frame?.url().startsWith(APP), target).toBe(false);
    await expect(page.frameLocator('#victim').locator('[data-testid]')).toHaveCount(0);
  }
});
