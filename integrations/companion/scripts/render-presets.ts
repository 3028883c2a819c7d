/**
 * Renders the preset page (presets.ts PAGE) to a PNG, as a Stream Deck would show it, for the README. There is no
 * Companion app here: this script applies the presets' styles and feedbacks itself, with variables and feedback
 * states derived by the module's own state.ts from sample rooms, and draws the keys in Chromium (Playwright).
 *
 *   node --experimental-transform-types --no-warnings integrations/companion/scripts/render-presets.ts [out.png]
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { T0, roomWith, run } from '../../../core/rooms/fixtures.ts';
import type { RoomState } from '../../../core/rooms/transition.ts';
import { PHASE_COLORS } from '../src/feedbacks.ts';
import { PAGE, presetDefinitions } from '../src/presets.ts';
import { type FeedbackState, deriveFeedback, deriveVariables, emptyView, loadSnapshot } from '../src/state.ts';

const LABEL = 'keeptime';
const out = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '../docs/presets.png'));

/** Three moments of one show: before it starts, running into its warning, and overtime with a blackout. */
function samples(): Array<{ title: string; state: RoomState; at: number }> {
  let s = roomWith([
    { id: 'a', label: 'Opening', durationMs: 5 * 60_000 },
    { id: 'b', label: 'Keynote', durationMs: 45 * 60_000 },
  ]);
  s = { ...s, room: { ...s.room, plannedStart: T0, timeZone: 'Europe/London' } };
  const idle = s;
  const running = run(s, { type: 'start' }, T0 + 75_000).state;
  const over = run(
    running,
    { type: 'set-message', text: 'Please wrap up', flash: true, blackout: true, target: 'all' },
    T0 + 400_000,
  ).state;
  return [
    { title: 'Before the show', state: idle, at: T0 - 42_000 },
    { title: 'Running, warning phase', state: running, at: T0 + 75_000 + 4 * 60_000 + 20_500 },
    { title: 'Overtime, message up, blackout on', state: over, at: T0 + 75_000 + 5 * 60_000 + 37_200 },
  ];
}

const hex = (n: number) => `#${n.toString(16).padStart(6, '0')}`;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function keyHtml(id: string, vars: Record<string, string | number>, fb: FeedbackState): string {
  const { presets } = presetDefinitions(LABEL);
  const p = presets[id];
  if (!p) throw new Error(`no preset ${id}`);
  let style = { ...p.style };
  for (const f of p.feedbacks) {
    if (f.feedbackId === 'phase_color') style = { ...style, ...PHASE_COLORS[fb.phase] };
    const on =
      (f.feedbackId === 'running' && fb.running) ||
      (f.feedbackId === 'paused' && fb.paused) ||
      (f.feedbackId === 'blackout' && fb.blackout) ||
      (f.feedbackId === 'message_shown' && fb.messageShown);
    if (on && 'style' in f && f.style) style = { ...style, ...f.style };
  }
  const text = style.text
    .replace(/\$\(([^:)]+):([^)]+)\)/g, (_, _l, v: string) => String(vars[v] ?? ''))
    .split('\\n')
    .map(esc)
    .join('<br>');
  const size = style.size === 'auto' ? 15 : Number(style.size) * 0.8;
  return `<div class="key" style="background:${hex(style.bgcolor)};color:${hex(style.color)};font-size:${size}px">${text}</div>`;
}

function pageHtml(): string {
  const pages = samples().map(({ title, state, at }) => {
    const view = loadSnapshot(emptyView(), { ...state, played: state.played });
    const vars = deriveVariables(view, at);
    const fb = deriveFeedback(view, at);
    const keys = PAGE.flat()
      .map((id) => keyHtml(id, vars, fb))
      .join('');
    return `<section><h2>${esc(title)}</h2><div class="deck">${keys}</div></section>`;
  });
  return `<!doctype html><meta charset="utf-8"><style>
    body{margin:0;padding:16px;background:#1b1b1f;font-family:'DejaVu Sans',Arial,sans-serif;color:#ddd;display:flex;gap:20px}
    h2{font-size:13px;font-weight:600;margin:0 0 8px}
    .deck{display:grid;grid-template-columns:repeat(5,72px);gap:8px;padding:12px;background:#000;border-radius:12px}
    .key{width:72px;height:72px;border-radius:6px;display:flex;align-items:center;justify-content:center;
      text-align:center;font-weight:700;line-height:1.15;overflow:hidden;word-break:break-word}
  </style>${pages.join('')}`;
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 330 }, deviceScaleFactor: 2 });
  await page.setContent(pageHtml());
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const body = await page.locator('body').boundingBox();
  await page.screenshot({
    path: out,
    clip: { x: 0, y: 0, width: Math.ceil(body?.width ?? 1400), height: Math.ceil(body?.height ?? 330) },
  });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
