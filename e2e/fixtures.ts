/**
 * Test fixtures. Every page, the default one and any opened with `openPage`
 * (another person or device, in its own browser context), fails the test on an
 * uncaught page error or a console error, unless the test declared that error
 * expected with `allowConsoleError`.
 */
import { type BrowserContext, type BrowserContextOptions, type Page, test as base, expect } from '@playwright/test';

interface Watchdog {
  watch: (page: Page, name: string) => void;
  allow: (pattern: RegExp) => void;
}

export interface Fixtures {
  /** Opens a page in a fresh browser context. */
  openPage: (options?: BrowserContextOptions) => Promise<Page>;
  /** Declares a console error the test provokes on purpose (e.g. a 403). */
  allowConsoleError: (pattern: RegExp) => void;
  watchdog: Watchdog;
}

export const test = base.extend<Fixtures>({
  // Torn down last: by then every page has closed, so every problem has been seen.
  watchdog: [
    async ({}, use, testInfo) => {
      const problems: string[] = [];
      const allowed: RegExp[] = [];
      await use({
        allow: (re) => allowed.push(re),
        watch: (page, name) => {
          page.on('pageerror', (err) => problems.push(`${name} pageerror: ${err.message}`));
          page.on('console', (msg) => {
            if (msg.type() !== 'error') return;
            const text = `${msg.text()} (${msg.location().url ?? ''})`;
            if (!allowed.some((re) => re.test(text))) problems.push(`${name} console error: ${text}`);
          });
        },
      });
      expect(problems, `page or console errors during "${testInfo.title}"`).toEqual([]);
    },
    { auto: true },
  ],
  allowConsoleError: async ({ watchdog }, use) => {
    await use(watchdog.allow);
  },
  page: async ({ page, watchdog }, use) => {
    watchdog.watch(page, 'page');
    await use(page);
  },
  openPage: async ({ browser, watchdog, serviceWorkers }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (options) => {
      // Same service-worker rule as the test's own page (blocked unless the spec allows it).
      const ctx = await browser.newContext({ serviceWorkers, ...options });
      contexts.push(ctx);
      const p = await ctx.newPage();
      watchdog.watch(p, `page#${contexts.length}`);
      return p;
    });
    await Promise.all(contexts.map((c) => c.close()));
  },
});

export { expect };
