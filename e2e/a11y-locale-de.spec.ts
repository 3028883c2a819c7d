/**
 * Local formats in a German browser in Berlin: times and dates come from Intl in the browser's locale (24-hour
 * clock, German weekdays and months, German unit words), and time-of-day displays use the room's own zone.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { createRoomViaApi, openControl, signUpViaApi } from './helpers.ts';
import { openTrack, sessionCommand } from './track-helpers.ts';

test.use({ locale: 'de-DE', timezoneId: 'Europe/Berlin' });

const ZONE = 'Asia/Kathmandu';
const BODY_LESS = { headers: { 'X-Keeptime': '1' } };
const NO_ENGLISH_CLOCK = /\b(AM|PM)\b/;

/** What Intl in this page writes for the last minute in `zone` (a loaded machine may read the display late). */
async function zoneReadings(p: Page, zone: string, opts: Intl.DateTimeFormatOptions): Promise<string[]> {
  return p.evaluate(
    ([z, o]) => {
      const f = new Intl.DateTimeFormat(undefined, { ...o, timeZone: z });
      const now = Date.now();
      return Array.from({ length: 60 }, (_, i) => f.format(now + 1000 - i * 1000));
    },
    [zone, opts] as const,
  );
}

test('the browser is German: the control panel, the studio clock in the room’s zone and Track read in German', async ({
  page,
  openPage,
}) => {
  test.setTimeout(180_000);
  expect(await page.evaluate(() => navigator.language)).toBe('de-DE');
  await signUpViaApi(page, 'Deutsche Regie');
  const room = await createRoomViaApi(page, 'Stadthalle');
  const base = `/api/rooms/${room.id}`;
  expect((await page.request.put(base, { data: { timeZone: ZONE, plannedStart: Date.now() } })).status()).toBe(200);
  const res = await page.request.post(`${base}/timers`, { data: { label: 'Begrüßung', durationMs: 5 * 60_000 } });
  const timerId = ((await res.json()) as { timer: { id: string } }).timer.id;
  expect((await page.request.post(`${base}/timers/${timerId}/start`, BODY_LESS)).status()).toBe(200);

  // The control panel: every clock time is 24-hour, no AM/PM anywhere.
  await openControl(page, room.id);
  await expect(page.getByTestId('preview-display')).toHaveAttribute('data-state', 'running');
  expect(await page.getByTestId('control-panel').innerText()).not.toMatch(NO_ENGLISH_CLOCK);

  // The studio clock: the time of day in the room's zone (Kathmandu), written the German way; the date in German.
  const clock = await openPage({
    locale: 'de-DE',
    timezoneId: 'Europe/Berlin',
    viewport: { width: 1280, height: 720 },
  });
  await clock.goto(`/r/${room.viewer}?view=clock`);
  await expect(clock.getByTestId('clock-view')).toHaveAttribute('data-zone', ZONE);
  const shown = (await clock.getByTestId('clock-time').textContent()) ?? '';
  expect(shown).toMatch(/^\d{1,2}:\d\d:\d\d$/);
  expect(await zoneReadings(clock, ZONE, { hour: 'numeric', minute: '2-digit', second: '2-digit' })).toContain(shown);
  const germanDay = await clock.evaluate(
    (z) => new Intl.DateTimeFormat('de-DE', { weekday: 'long', timeZone: z }).format(Date.now()),
    ZONE,
  );
  await expect(clock.getByTestId('clock-date')).toContainText(germanDay);

  // Track: the day chart's weekdays and its units are German.
  await sessionCommand(page, 'start', 'Probe');
  await sessionCommand(page, 'stop');
  await openTrack(page);
  const today = page.locator('[data-testid="chart-day"] text.is-today');
  await expect(today).toHaveCount(1);
  const weekday = await page.evaluate(() =>
    new Intl.DateTimeFormat('de-DE', { weekday: 'short', timeZone: 'UTC' }).format(
      new Date(`${new Date().toLocaleDateString('sv')}T00:00:00Z`),
    ),
  );
  await expect(today).toHaveText(weekday);
  // The ticks are German weekdays; the axis speaks German units.
  const ticks = await page.locator('[data-testid="chart-day"] text').allTextContents();
  expect(ticks.length).toBeGreaterThan(0);
  for (const t of ticks) expect(t).not.toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)$/);
  expect(await page.getByTestId('day-chart').innerText()).toMatch(/\d (Sek\.|Min\.|Std\.)/);
  // The statistics' durations too (Intl.DurationFormat): no English "min"/" s" units.
  const stats = await page.getByTestId('stats-panel').innerText();
  expect(stats).toMatch(/\d\s?(Sek\.|Min\.|Std\.)/);
  expect(stats).not.toMatch(/\d (s|min|h)\b/);
});
