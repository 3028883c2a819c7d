/**
 * Issue 11, findings 5 and 6, in a real browser: a page on a sibling subdomain (evil.app.test, same site as
 * app.test, so the Lax session cookie goes along) can neither start anything with auto-submitting forms or
 * fetch, nor read the room over a WebSocket opened with the victim's cookie.
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

/** What the attacker's socket saw. */
interface Tried {
  opened: boolean;
  code: number;
  seen: unknown[];
}

interface Room {
  room: { id: string };
  links: { viewer: string; controller: string };
}

async function victimRoom(page: import('@playwright/test').Page) {
  await signUpInPage(page, 'victim');
  const created = await inPage<Room>(page, 'POST', '/api/rooms', { name: 'Victim room' });
  expect(created.status).toBe(201);
  const id = created.body.room.id;
  const timer = await inPage<{ timer: { id: string } }>(page, 'POST', `/api/rooms/${id}/timers`, {
    label: 'Keynote',
    durationMs: 600_000,
  });
  expect(timer.status).toBe(201);
  return { id, timerId: timer.body.timer.id, links: created.body.links };
}

test('a sibling-subdomain page auto-submitting forms starts nothing and changes nothing', async ({
  page,
  allowConsoleError,
}) => {
  const { id, timerId } = await victimRoom(page);
  const before = await inPage<{ timers: Array<{ state: string }>; version: number }>(page, 'GET', `/api/rooms/${id}`);
  const targets = [
    `${APP}/api/rooms/${id}/timers/${timerId}/start`,
    `${APP}/api/rooms/${id}/next`,
    `${APP}/api/sessions/start`,
    `${APP}/api/rooms/${id}/message`,
  ];
  // Every form type a page can send without a preflight: text/plain (JSON-looking), urlencoded, multipart.
  const forms = [
    `<form method="POST" target="f0" action="${targets[0]}" enctype="text/plain"><input name='{"a":"' value='"}'></form>`,
    `<form method="POST" target="f1" action="${targets[1]}"></form>`,
    `<form method="POST" target="f2" action="${targets[2]}" enctype="multipart/form-data"><input name="label" value="x"></form>`,
    `<form method="POST" target="f3" action="${targets[3]}" enctype="text/plain"><input name='{"text":"pwned","x":"' value='"}'></form>`,
  ];
  const url = attacker.page(
    'evil.app.test',
    '/csrf-forms',
    `${forms.map((_, i) => `<iframe name="f${i}"></iframe>`).join('')}${forms.join('')}
     <script>for (const f of document.forms) f.submit();</script>`,
  );
  const answers = targets.map((t) => page.waitForResponse((r) => r.url() === t && r.request().method() === 'POST'));
  // The refused answers load into the attacker's frames; Chromium reports the framing refusal.
  allowConsoleError(/Refused to (display|frame)|status of 415|frame-ancestors|X-Frame-Options/);
  await page.goto(url);
  for (const a of answers) expect((await a).status()).toBe(415);

  // A fetch with a JSON type needs a preflight, which no foreign origin passes: the request never goes.
  allowConsoleError(/CORS|Access-Control|net::ERR_FAILED|Failed to load resource/);
  const fetched = await page.evaluate(async (target) => {
    try {
      await fetch(target, {
        method: 'POST',
        credentials: 'include',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      return 'sent';
    } catch {
      return 'blocked';
    }
  }, targets[0] as string);
  expect(fetched).toBe('blocked');

  await page.goto(`${APP}/login/`);
  const after = await inPage<{ timers: Array<{ state: string }>; version: number; message: unknown }>(
    page,
    'GET',
    `/api/rooms/${id}`,
  );
  expect(after.body.version).toBe(before.body.version);
  expect(after.body.timers.map((t) => t.state)).toEqual(['idle']);
  expect(after.body.message).toBeNull();
  const session = await inPage<{ status: string; version: number }>(page, 'GET', '/api/sessions/current');
  expect(session).toMatchObject({ status: 200, body: { status: 'idle', version: 0 } });
});

test("a same-site page cannot open the room's socket with the victim's cookie; the site itself can, without links", async ({
  page,
  allowConsoleError,
}) => {
  const { id } = await victimRoom(page);
  const probe = `
    <script>
      window.tryRoom = (url) => new Promise((resolve) => {
        const seen = [];
        let opened = false;
        const ws = new WebSocket(url);
        ws.onopen = () => { opened = true; };
        ws.onmessage = (e) => seen.push(JSON.parse(e.data));
        ws.onclose = (e) => resolve({ opened, code: e.code, seen });
        setTimeout(() => { ws.close(); }, 3000);
      });
    </script>`;
  const wsUrl = `${APP.replace('http:', 'ws:')}/api/rooms/${id}/ws`;
  allowConsoleError(/WebSocket connection to .* failed/);
  await page.goto(attacker.page('evil.app.test', '/hijack', probe));
  const hijack = await page.evaluate(
    (u) => (window as unknown as { tryRoom: (u: string) => Promise<Tried> }).tryRoom(u),
    wsUrl,
  );
  expect(hijack.opened).toBe(false);
  expect(hijack.seen).toEqual([]);
  for (const other of ['/api/sessions/ws', '/api/ops/ws']) {
    const r = await page.evaluate(
      (u) => (window as unknown as { tryRoom: (u: string) => Promise<Tried> }).tryRoom(u),
      `${APP.replace('http:', 'ws:')}${other}`,
    );
    expect(r.opened, other).toBe(false);
  }

  // From Keeptime's own origin the same cookie opens the socket, and its room-state carries no share links.
  await page.goto(`${APP}/login/`);
  const own = await page.evaluate(
    (u) =>
      new Promise<{ role?: string; hasLinks: boolean }>((resolve, reject) => {
        const ws = new WebSocket(u);
        ws.onmessage = (e) => {
          const m = JSON.parse(e.data);
          if (m.type === 'room-state') {
            ws.close();
            resolve({ role: m.role, hasLinks: 'links' in m });
          }
        };
        ws.onclose = () => reject(new Error('closed before room-state'));
      }),
    wsUrl,
  );
  expect(own).toEqual({ role: 'owner', hasLinks: false });
});
