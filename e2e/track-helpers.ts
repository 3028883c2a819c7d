/** Steps for the Track page: open it live, read its clock, ask the server what the session is. */
import type { Page } from '@playwright/test';
import { expect } from './fixtures.ts';

export async function openTrack(page: Page): Promise<void> {
  await page.goto('/track/');
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'live');
  await expect(page.getByTestId('live-session')).not.toHaveAttribute('data-state', 'connecting');
}

/** The big clock's reading in whole seconds ("1:02:03" → 3723). */
export async function clockSeconds(page: Page): Promise<number> {
  const text = (await page.getByTestId('session-digits').textContent()) ?? '';
  expect(text).toMatch(/^(\d+:)?\d+:\d\d$/);
  return text.split(':').reduce((n, part) => n * 60 + Number(part), 0);
}

export interface CurrentSession {
  status: string;
  version: number;
  label: string | null;
  pauseSegments: Array<{ pausedAt: number; resumedAt: number | null }>;
}

/** GET /api/sessions/current with the page's cookie. */
export async function currentSession(page: Page): Promise<CurrentSession> {
  const res = await page.request.get('/api/sessions/current');
  expect(res.status()).toBe(200);
  return (await res.json()) as CurrentSession;
}

/** Setup shortcut: a session command over HTTP. */
export async function sessionCommand(
  page: Page,
  command: 'start' | 'pause' | 'resume' | 'stop',
  label?: string,
): Promise<void> {
  const res = await page.request.post(`/api/sessions/${command}`, {
    data: command === 'start' ? { label: label ?? null } : {},
  });
  expect(res.status(), `POST /api/sessions/${command}`).toBe(command === 'start' ? 201 : 200);
}
