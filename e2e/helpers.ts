/** Shared steps: accounts, rooms and timers, through the UI or (for setup only) the API. */
import type { Page } from '@playwright/test';
import { expect } from './fixtures.ts';

export const PASSWORD = 'correct-horse-battery';

export function uniqueEmail(tag: string): string {
  return `${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@e2e.keeptime.test`;
}

/** Signs up through the signup form; ends on My rooms. */
export async function signUpViaUi(page: Page, name: string, email = uniqueEmail('owner')): Promise<string> {
  await page.goto('/signup/');
  await page.getByTestId('auth-name').fill(name);
  await page.getByTestId('auth-email').fill(email);
  await page.getByTestId('auth-password').fill(PASSWORD);
  await page.getByTestId('auth-submit').click();
  await expect(page).toHaveURL(/\/rooms\/$/);
  return email;
}

/** Setup shortcut: signs up over the API within the page's context (the cookie lands there); returns the email. */
export async function signUpViaApi(page: Page, name = 'Test owner'): Promise<string> {
  const email = uniqueEmail('api');
  const res = await page.request.post('/api/auth/signup', { data: { email, password: PASSWORD, name } });
  expect(res.status()).toBe(201);
  // The site's "signed in" hint, as the login form would set it.
  await page.addInitScript(() => localStorage.setItem('kt:signed-in', '1'));
  return email;
}

/** Setup shortcut: logs an existing account in within the page's context (another device of the same user). */
export async function logInViaApi(page: Page, email: string, password = PASSWORD): Promise<void> {
  const res = await page.request.post('/api/auth/login', { data: { email, password } });
  expect(res.status()).toBe(200);
  await page.addInitScript(() => localStorage.setItem('kt:signed-in', '1'));
}

export interface CreatedRoom {
  id: string;
  viewer: string;
  controller: string;
}

/** Creates a room through My rooms and opens its control panel. */
export async function createRoomViaUi(page: Page, name: string): Promise<void> {
  await page.goto('/rooms/');
  await page.getByTestId('room-name-input').fill(name);
  await page.getByTestId('room-create').click();
  const row = page.getByTestId('room-row').filter({ hasText: name });
  await expect(row).toBeVisible();
  await row.getByTestId('room-control').click();
  await expect(page.getByTestId('control-panel')).toBeVisible();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'live');
}

export async function createRoomViaApi(page: Page, name: string): Promise<CreatedRoom> {
  const res = await page.request.post('/api/rooms', { data: { name } });
  expect(res.status()).toBe(201);
  const body = (await res.json()) as { room: { id: string }; links: { viewer: string; controller: string } };
  return { id: body.room.id, ...body.links };
}

export async function openControl(page: Page, roomId: string): Promise<void> {
  await page.goto(`/control/?room=${roomId}`);
  await expect(page.getByTestId('control-panel')).toBeVisible();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'live');
}

/** Adds a timer through the editor. `duration` is what a person types, e.g. "0:10". */
export async function addTimer(page: Page, label: string, duration: string): Promise<void> {
  await page.getByTestId('add-timer').click();
  await page.getByTestId('editor-label').fill(label);
  await page.getByTestId('editor-duration').fill(duration);
  await page.getByTestId('editor-save').click();
  await expect(page.getByTestId('timer-editor')).toBeHidden();
  await expect(page.getByTestId('rundown-row').filter({ hasText: label })).toBeVisible();
}

/** The share token in the viewer link shown on the control panel. */
export async function viewerLink(page: Page): Promise<string> {
  const url = await page.getByTestId('share-viewer-url').inputValue();
  expect(url).toMatch(/\/r\/[0-9a-f]{20}_/);
  return url;
}

export { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../scripts/seed.mjs';

/** Logs in through the login form; `next` is where the form sends you after. */
export async function logInViaUi(page: Page, email: string, password: string, next: string): Promise<void> {
  await page.goto(`/login/?next=${encodeURIComponent(next)}`);
  await page.getByTestId('auth-email').fill(email);
  await page.getByTestId('auth-password').fill(password);
  await page.getByTestId('auth-submit').click();
  await expect(page).toHaveURL(new RegExp(`${next.replace(/[/.]/g, '\\$&')}$`));
}
