/** Steps for the Track page: open it live, read its clock, ask the server what the session is. */
import type { Page } from '@playwright/test';
import { expect } from './fixtures.ts';

export async function openTrack(page: Page): Promise<void> {
  await page.goto('/track/');
  // Generous: on a loaded machine the first socket can take a while.
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'live', { timeout: 30_000 });
  await expect(page.getByTestId('live-session')).not.toHaveAttribute('data-state', 'connecting', { timeout: 15_000 });
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

// ── Issue 14: projects, entries, settings (setup shortcuts over HTTP with the page's cookie) ──
export interface CreatedProject {
  id: string;
  name: string;
  color: string;
}

export async function createProjectViaApi(
  page: Page,
  name: string,
  color = '#5b8cff',
  client?: string,
): Promise<CreatedProject> {
  const res = await page.request.post('/api/projects', { data: { name, color, ...(client ? { client } : {}) } });
  expect(res.status(), 'POST /api/projects').toBe(201);
  return ((await res.json()) as { project: CreatedProject }).project;
}

export async function createTaskViaApi(
  page: Page,
  projectId: string,
  title: string,
  estimateMs?: number,
): Promise<{ id: string }> {
  const res = await page.request.post(`/api/projects/${projectId}/tasks`, {
    data: { title, ...(estimateMs ? { estimateMs } : {}) },
  });
  expect(res.status(), 'POST tasks').toBe(201);
  return ((await res.json()) as { task: { id: string } }).task;
}

export interface EntryBody {
  startTime: number;
  endTime: number;
  label?: string;
  projectId?: string;
  taskId?: string;
  tags?: string[];
  pauses?: Array<{ pausedAt: number; resumedAt: number }>;
}

export async function createEntryViaApi(page: Page, body: EntryBody): Promise<{ id: string; version: number }> {
  const res = await page.request.post('/api/sessions/entries', { data: body });
  expect(res.status(), `POST /api/sessions/entries ${await res.text()}`).toBe(201);
  return ((await res.json()) as { entry: { id: string; version: number } }).entry;
}

/** Local wall-clock time `days` days ago at h:m (the browser runs in this machine's zone). */
export function localAt(daysAgo: number, h: number, m = 0): number {
  const d = new Date();
  d.setDate(d.getDate() - daysAgo);
  d.setHours(h, m, 0, 0);
  return d.getTime();
}

/** YYYY-MM-DD of a local instant. */
export function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
