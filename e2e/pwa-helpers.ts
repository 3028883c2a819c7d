/** Service-worker steps shared by the offline and update specs. */
import type { Page } from '@playwright/test';
import { expect } from './fixtures.ts';

/** Waits until the page is controlled by an activated service worker (the first visit installs it). */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 20_000 })
    .toBe(true);
}

/** The controlling worker's script URL and precache version. */
export function controllerInfo(page: Page): Promise<{ url: string; version: string; files: number }> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const sw = navigator.serviceWorker.controller;
        if (!sw) return reject(new Error('no controller'));
        // A worker that is being replaced may never answer: give up after a few seconds (callers poll).
        setTimeout(() => reject(new Error('the service worker did not answer')), 5_000);
        const ch = new MessageChannel();
        ch.port1.onmessage = (e) => resolve({ url: sw.scriptURL, ...(e.data as { version: string; files: number }) });
        sw.postMessage({ type: 'kt-version' }, [ch.port2]);
      }),
  );
}
