/** Keyboard-only steps: reach a control with Tab (never a click or a programmatic focus), then press keys. */
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures.ts';

/**
 * Presses Tab until `target` has the focus, or Shift+Tab when it comes before the focused element in the page;
 * fails after `max` presses.
 */
export async function tabTo(page: Page, target: Locator, opts: { max?: number } = {}): Promise<void> {
  const max = opts.max ?? 80;
  await expect(target).toBeVisible();
  const handle = await target.elementHandle();
  const where = () =>
    page.evaluate((el) => {
      const at = document.activeElement;
      if (el === at) return 'here';
      if (!at || at === document.body) return 'after';
      // biome-ignore lint/suspicious/noBitwiseOperators: DOM position flags
      return at.compareDocumentPosition(el as Node) & Node.DOCUMENT_POSITION_PRECEDING ? 'before' : 'after';
    }, handle);
  const first = await where();
  if (first === 'here') return;
  const key = first === 'before' ? 'Shift+Tab' : 'Tab';
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    if ((await where()) === 'here') return;
  }
  const focused = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 160) ?? 'nothing');
  throw new Error(`Tab never reached ${target} in ${max} presses; focus is on ${focused}`);
}

/** Tabs to a control and presses a key on it (Enter by default). */
export async function tabAndPress(page: Page, target: Locator, key = 'Enter'): Promise<void> {
  await tabTo(page, target);
  await page.keyboard.press(key);
}

/** Tabs to a field, selects what is there and types over it. */
export async function tabAndType(page: Page, target: Locator, text: string): Promise<void> {
  await tabTo(page, target);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
}
