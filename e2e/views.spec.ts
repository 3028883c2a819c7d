/**
 * The viewer's views (`/r/<token>?view=countdown|presenter|agenda|clock`): each renders its own parts, a
 * presenter-only message reaches the presenter view and no other, the agenda fits a phone, the clock reads the
 * room's time zone, an unknown view falls back to the countdown with a notice, and the owner picks the view of the
 * link they share. Screenshots of every view at desktop and phone size go to e2e/screenshots/view-<name>-<size>.png.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { createRoomViaApi, openControl, signUpViaApi } from './helpers.ts';

const ZONE = 'Asia/Kathmandu';
const MIN = 60_000;
const VIEWS = ['countdown', 'presenter', 'agenda', 'clock'] as const;
type View = (typeof VIEWS)[number];
const DESKTOP = { viewport: { width: 1280, height: 720 } };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const BODY_LESS = { headers: { 'X-Keeptime': '1' } };

interface Show {
  roomId: string;
  viewer: string;
}

/** A room in Kathmandu's zone, planned to start 3 minutes ago, whose first cue has played and second is running. */
async function runningShow(page: Page): Promise<Show> {
  await signUpViaApi(page, 'Views owner');
  const room = await createRoomViaApi(page, 'Town hall');
  const base = `/api/rooms/${room.id}`;
  const settings = await page.request.put(base, { data: { timeZone: ZONE, plannedStart: Date.now() - 3 * MIN } });
  expect(settings.status()).toBe(200);
  const cues = [
    { label: 'Welcome', durationMs: 5 * MIN, notes: 'Thank the sponsors' },
    { label: 'Keynote', durationMs: 20 * MIN, notes: 'Slides on clicker 2.\nMention the survey at the end.' },
    {
      label: 'Panel: the future of live events, hybrid stages and everything that comes after them',
      durationMs: 30 * MIN,
    },
    { label: 'Q&A', durationMs: 10 * MIN },
  ];
  const ids: string[] = [];
  for (const cue of cues) {
    const res = await page.request.post(`${base}/timers`, { data: cue });
    expect(res.status()).toBe(201);
    ids.push(((await res.json()) as { timer: { id: string } }).timer.id);
  }
  expect((await page.request.post(`${base}/timers/${ids[0]}/start`, BODY_LESS)).status()).toBe(200);
  expect((await page.request.post(`${base}/next`, BODY_LESS)).status()).toBe(200);
  const snap = (await (await page.request.get(base)).json()) as {
    room: { activeTimerId: string };
    timers: Array<{ id: string; state: string }>;
  };
  expect(snap.room.activeTimerId).toBe(ids[1]);
  if (snap.timers.find((t) => t.id === ids[1])?.state !== 'running') {
    expect((await page.request.post(`${base}/timers/${ids[1]}/start`, BODY_LESS)).status()).toBe(200);
  }
  return { roomId: room.id, viewer: room.viewer };
}

async function setMessage(page: Page, roomId: string, body: object): Promise<void> {
  expect((await page.request.post(`/api/rooms/${roomId}/message`, { data: body })).status()).toBe(200);
}

async function openView(
  openPage: (o?: object) => Promise<Page>,
  token: string,
  view: View,
  size: object,
): Promise<Page> {
  const p = await openPage(size);
  await p.goto(`/r/${token}?view=${view}`);
  await expect(p.getByTestId('connection')).toHaveAttribute('data-status', 'live');
  return p;
}

/** The parts each view must show for the running show. */
async function expectParts(p: Page, view: View): Promise<void> {
  // Every view has a keyboard-reachable full-screen button.
  await expect(p.getByRole('button', { name: 'Full screen' })).toBeVisible();
  if (view === 'countdown') {
    await expect(p.getByTestId('viewer-display')).toHaveAttribute('data-state', 'running');
    await expect(p.getByTestId('display-label')).toHaveText('Keynote');
    await expect(p.getByTestId('display-digits')).toHaveText(/^1\d:\d\d$/);
    await expect(p.getByTestId('display-next')).toContainText('Panel');
    await expect(p.getByText('Slides on clicker 2')).toHaveCount(0);
  }
  if (view === 'presenter') {
    await expect(p.getByTestId('presenter-view')).toHaveAttribute('data-state', 'running');
    await expect(p.getByTestId('display-label')).toHaveText('Keynote');
    await expect(p.getByTestId('display-digits')).toHaveText(/^1\d:\d\d$/);
    await expect(p.getByTestId('presenter-notes')).toContainText('Slides on clicker 2.');
    await expect(p.getByTestId('display-next')).toContainText('Panel');
    await expect(p.getByTestId('display-next')).toContainText(/at \d/);
    await expect(p.getByTestId('presenter-clock')).toHaveText(/\d:\d\d:\d\d/);
    // The room has a planned start, so the show is measured against it.
    await expect(p.getByTestId('presenter-overunder')).toHaveAttribute('data-tone', /behind|ahead|on-time/);
    await expect(p.getByTestId('presenter-overunder')).toContainText(/behind|ahead|On time/);
  }
  if (view === 'agenda') {
    const rows = p.getByTestId('agenda-row');
    await expect(rows).toHaveCount(4);
    await expect(rows.nth(0)).toHaveAttribute('data-status', 'played');
    await expect(rows.nth(1)).toHaveAttribute('data-status', 'current');
    await expect(rows.nth(1)).toHaveAttribute('aria-current', 'step');
    await expect(rows.nth(2)).toHaveAttribute('data-status', 'upcoming');
    const struck = await rows
      .nth(0)
      .getByTestId('agenda-label')
      .evaluate((el) => getComputedStyle(el).textDecorationLine);
    expect(struck).toContain('line-through');
    const current = await rows
      .nth(1)
      .getByTestId('agenda-label')
      .evaluate((el) => getComputedStyle(el).textDecorationLine);
    expect(current).not.toContain('line-through');
    // Every cue has a planned start (the room has one); the agenda's clock reads hours and minutes.
    for (let i = 0; i < 4; i++) await expect(rows.nth(i).getByTestId('agenda-planned')).toHaveText(/\d:\d\d/);
    await expect(p.getByTestId('agenda-clock')).toHaveText(/\d:\d\d/);
    await expect(p.getByTestId('agenda-overunder')).toBeVisible();
  }
  if (view === 'clock') {
    await expect(p.getByTestId('clock-view')).toHaveAttribute('data-zone', ZONE);
    await expect(p.getByTestId('clock-zone')).toHaveText('Asia/Kathmandu');
    await expectZoneTime(p);
  }
}

/** The clock shows the time of day in the room's zone (Kathmandu, UTC+5:45): one of the last few seconds' readings. */
async function expectZoneTime(p: Page): Promise<void> {
  const shown = await p.getByTestId('clock-time').textContent();
  const candidates = await p.evaluate((zone) => {
    const f = new Intl.DateTimeFormat(undefined, {
      timeZone: zone,
      hour: 'numeric',
      minute: '2-digit',
      second: '2-digit',
    });
    const now = Date.now();
    return Array.from({ length: 8 }, (_, i) => f.format(now + 1000 - i * 1000));
  }, ZONE);
  expect(candidates).toContain(shown);
}

test('each view renders its parts; a presenter-only message reaches the presenter view alone', async ({
  page,
  openPage,
}) => {
  // Four viewers plus four phone pages with screenshots, on a loaded 2-core machine.
  test.slow();
  const show = await runningShow(page);
  await setMessage(page, show.roomId, { text: 'Wrap up in 2 minutes', target: 'presenter' });

  const desktop = {} as Record<View, Page>;
  for (const view of VIEWS) desktop[view] = await openView(openPage, show.viewer, view, DESKTOP);
  for (const view of VIEWS) await expectParts(desktop[view], view);

  // The presenter-only message: on the presenter view, tagged for the speaker; nowhere else.
  const presenterMsg = desktop.presenter.getByTestId('display-message');
  await expect(presenterMsg).toContainText('Wrap up in 2 minutes');
  await expect(presenterMsg).toContainText('For you only');
  await expect(presenterMsg).toHaveAttribute('data-target', 'presenter');
  for (const view of ['countdown', 'agenda', 'clock'] as const) {
    await expect(desktop[view].getByTestId('display-message')).toHaveCount(0);
    await expect(desktop[view].getByText('Wrap up in 2 minutes')).toHaveCount(0);
  }
  for (const view of VIEWS) await desktop[view].screenshot({ path: `e2e/screenshots/view-${view}-desktop.png` });

  // A message for all screens reaches every view, the presenter's included.
  await setMessage(page, show.roomId, { text: 'Back in five', target: 'all' });
  for (const view of VIEWS) await expect(desktop[view].getByTestId('display-message')).toContainText('Back in five');
  await expect(presenterMsg).toContainText('On all screens');

  // Phones: the same parts; the agenda scrolls down, never sideways.
  await setMessage(page, show.roomId, { text: 'Wrap up in 2 minutes', target: 'presenter' });
  for (const view of VIEWS) {
    const phone = await openView(openPage, show.viewer, view, PHONE);
    await expectParts(phone, view);
    await expect(phone.getByTestId('display-message')).toHaveCount(view === 'presenter' ? 1 : 0);
    const overflow = await phone.evaluate(() => {
      const doc = document.documentElement;
      const agenda = document.querySelector<HTMLElement>('.kt-agenda');
      return {
        page: doc.scrollWidth - doc.clientWidth,
        agenda: agenda ? agenda.scrollWidth - agenda.clientWidth : 0,
      };
    });
    expect(overflow, `${view} scrolls sideways on a phone`).toEqual({ page: 0, agenda: 0 });
    if (view === 'agenda') {
      // The long panel title wraps inside the phone's width.
      const box = await phone.getByTestId('agenda-row').nth(2).boundingBox();
      expect(box && box.x + box.width).toBeLessThanOrEqual(390);
    }
    await phone.screenshot({ path: `e2e/screenshots/view-${view}-phone.png` });
  }
});

test('an unknown view falls back to the countdown with a notice', async ({ page, openPage }) => {
  await signUpViaApi(page, 'Views owner');
  const room = await createRoomViaApi(page, 'Fallback room');
  const viewer = await openPage(DESKTOP);
  await viewer.goto(`/r/${room.viewer}?view=teleprompter`);
  await expect(viewer.getByTestId('connection')).toHaveAttribute('data-status', 'live');
  await expect(viewer.getByTestId('viewer-display')).toBeVisible();
  await expect(viewer.getByTestId('display-empty')).toHaveText('Waiting for the first timer');
  const notice = viewer.getByTestId('view-notice');
  await expect(notice).toContainText('“teleprompter”');
  await expect(notice).toContainText('showing the countdown');
  await viewer.screenshot({ path: 'e2e/screenshots/view-unknown-desktop.png' });
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);

  // A known view carries no notice; the view name is read case-insensitively.
  const clock = await openPage(DESKTOP);
  await clock.goto(`/r/${room.viewer}?view=Clock`);
  await expect(clock.getByTestId('clock-view')).toBeVisible();
  await expect(clock.getByTestId('view-notice')).toHaveCount(0);
});

test('the owner picks the view of the shared link, and sends a message to the presenter only', async ({
  page,
  openPage,
}) => {
  test.slow();
  await signUpViaApi(page, 'Views owner');
  const room = await createRoomViaApi(page, 'Share room');
  await openControl(page, room.id);
  const url = page.getByTestId('share-viewer-url');
  await expect(url).toHaveValue(new RegExp(`/r/${room.viewer}$`));
  await page.getByTestId('share-viewer-view').selectOption('presenter');
  await expect(url).toHaveValue(new RegExp(`/r/${room.viewer}\\?view=presenter$`));
  await expect(page.getByTestId('share-viewer-view-hint')).toContainText('For the speaker');
  await page.getByTestId('share-viewer-view').selectOption('agenda');
  await expect(url).toHaveValue(new RegExp(`/r/${room.viewer}\\?view=agenda$`));
  await page.getByTestId('share-viewer-view').selectOption('presenter');
  const link = await url.inputValue();

  const presenter = await openPage(DESKTOP);
  await presenter.goto(link);
  await expect(presenter.getByTestId('presenter-view')).toBeVisible();

  // "Presenter only": the panel says where it shows; the preview (the countdown) does not show it.
  await page.getByTestId('msg-text').fill('Five minutes left');
  await page.getByTestId('msg-target-presenter').check();
  await page.getByTestId('msg-send').click();
  await expect(page.getByTestId('msg-current')).toContainText('On the presenter view only: “Five minutes left”');
  await expect(page.getByTestId('msg-current')).toHaveAttribute('data-target', 'presenter');
  await expect(presenter.getByTestId('display-message')).toContainText('Five minutes left');
  await expect(page.getByTestId('preview').getByTestId('display-message')).toHaveCount(0);

  await page.getByTestId('msg-target-all').check();
  await page.getByTestId('msg-send').click();
  await expect(page.getByTestId('msg-current')).toContainText('On all screens: “Five minutes left”');
  await expect(page.getByTestId('preview').getByTestId('display-message')).toContainText('Five minutes left');
  await expect(presenter.getByTestId('display-message')).toContainText('On all screens');
  await page.screenshot({ path: 'e2e/screenshots/view-control-share.png', fullPage: true });
});
