// Latency against viewers for both designs: an SVG, converted to PNG with the system's Chromium (never downloaded).
// node bench/chart.mjs [bench/RESULTS.md] [out.png]   (re-renders from the results embedded in RESULTS.md)
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const W = 960;
const H = 560;
const M = { left: 90, right: 300, top: 60, bottom: 70 };
const DESIGNS = [
  { design: 'workerd', label: 'Keeptime, one workerd', color: '#1f6feb' },
  { design: 'workerd+', label: 'Keeptime, variant (workerd+)', color: '#0b7285' },
  { design: 'wrangler', label: 'Keeptime, wrangler dev', color: '#8957e5' },
  { design: 'baseline', label: 'Socket.IO baseline', color: '#d9480f' },
  { design: 'floor', label: 'bare ws (floor)', color: '#2f9e44' },
  { design: 'workerd-floor', label: 'bare DO (workerd floor)', color: '#868e96' },
];
const SERIES = DESIGNS.flatMap((d) => [
  { ...d, q: 'p50', label: `${d.label} p50`, dash: '' },
  { ...d, q: 'p99', label: `${d.label} p99`, dash: '8 6' },
]);
const NAMES = Object.fromEntries(DESIGNS.map((d) => [d.design, d.label]));

const esc = (/** @type {string} */ s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const label = (/** @type {number} */ v) =>
  v >= 1000 ? `${(v / 1000).toFixed(v >= 10_000 ? 0 : 1)} s` : `${v >= 10 ? v.toFixed(0) : v.toFixed(1)} ms`;

/**
 * Log–log chart of control-to-viewer latency (p50 and p99) against viewers in one room.
 * @param {{ sizes: number[], rows: Array<{ design: string, viewers: number, joined?: number, p50: number, p99: number }>, started: string }} result
 */
export function svgChart(result) {
  const sizes = [...result.sizes].sort((a, b) => a - b);
  const values = result.rows.flatMap((r) => [r.p50, r.p99]).filter((v) => Number.isFinite(v) && v > 0);
  // Padded so that no point or label sits on the frame.
  const lo = Math.min(...values) / 1.8;
  const hi = Math.max(...values) * 1.8;
  const xLo = Math.log10(sizes[0]) - 0.15;
  const xHi = Math.log10(sizes[sizes.length - 1]) + 0.15;
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const x = (/** @type {number} */ n) => M.left + ((Math.log10(n) - xLo) / (xHi - xLo)) * pw;
  const y = (/** @type {number} */ v) =>
    M.top + ph - ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * ph;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${M.left}" y="30" font-size="20" font-weight="bold">Control-to-viewer latency against viewers in one room</text>`,
    `<text x="${M.left}" y="50" font-size="13" fill="#555">From the controller's HTTP POST to the last viewer holding the new version; loopback, ${esc(result.started.slice(0, 10))}</text>`,
  ];
  // Grid and y ticks: 1-2-5 per decade.
  for (let d = 10 ** Math.floor(Math.log10(lo)); d <= hi; d *= 10) {
    for (const m of [1, 2, 5]) {
      const v = d * m;
      if (v < lo || v > hi) continue;
      out.push(
        `<line x1="${M.left}" x2="${M.left + pw}" y1="${y(v)}" y2="${y(v)}" stroke="${m === 1 ? '#ccc' : '#eee'}"/>`,
      );
      out.push(
        `<text x="${M.left - 8}" y="${y(v) + 4}" font-size="12" text-anchor="end" fill="#333">${label(v)}</text>`,
      );
    }
  }
  for (const n of sizes) {
    out.push(`<line x1="${x(n)}" x2="${x(n)}" y1="${M.top}" y2="${M.top + ph}" stroke="#eee"/>`);
    out.push(
      `<text x="${x(n)}" y="${M.top + ph + 20}" font-size="13" text-anchor="middle">${n.toLocaleString('en')}</text>`,
    );
  }
  out.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`);
  out.push(
    `<text x="${M.left + pw / 2}" y="${H - 20}" font-size="14" text-anchor="middle">viewers in the room (log scale)</text>`,
  );
  out.push(
    `<text transform="translate(22 ${M.top + ph / 2}) rotate(-90)" font-size="14" text-anchor="middle">latency (log scale)</text>`,
  );
  SERIES.forEach((s, k) => {
    const pts = sizes
      .map((n) => ({
        n,
        v: /** @type {number} */ (
          result.rows.find((r) => r.design === s.design && r.viewers === n)?.[/** @type {'p50' | 'p99'} */ (s.q)]
        ),
      }))
      .filter((p) => Number.isFinite(p.v) && p.v > 0);
    out.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="2.5" stroke-dasharray="${s.dash}" points="${pts.map((p) => `${x(p.n)},${y(p.v)}`).join(' ')}"/>`,
    );
    for (const p of pts) {
      out.push(
        `<circle cx="${x(p.n)}" cy="${y(p.v)}" r="4.5" fill="${s.dash ? '#fff' : s.color}" stroke="${s.color}" stroke-width="2"/>`,
      );
      // Values are labelled for one workerd and the baseline only (four designs' labels would collide).
      if (s.design !== 'workerd' && s.design !== 'baseline') continue;
      const dx = s.design === 'workerd' ? -8 : 8;
      const dy = s.q === 'p99' ? -9 : 17;
      out.push(
        `<text x="${x(p.n) + dx}" y="${y(p.v) + dy}" font-size="11" fill="${s.color}" text-anchor="${dx < 0 ? 'end' : 'start'}">${label(p.v)}</text>`,
      );
    }
    const ly = M.top + 10 + k * 22;
    const lx = M.left + pw + 20;
    out.push(
      `<line x1="${lx}" x2="${lx + 34}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2.5" stroke-dasharray="${s.dash}"/>`,
    );
    out.push(
      `<circle cx="${lx + 17}" cy="${ly}" r="4.5" fill="${s.dash ? '#fff' : s.color}" stroke="${s.color}" stroke-width="2"/>`,
    );
    out.push(`<text x="${lx + 42}" y="${ly + 4}" font-size="13">${esc(s.label)}</text>`);
  });
  // Say where a design did not reach the size it is plotted at.
  const short = result.rows.filter((r) => r.joined !== undefined && r.joined < r.viewers);
  short.forEach((r, k) => {
    const who = NAMES[r.design] ?? r.design;
    out.push(
      `<text x="${M.left + pw + 20}" y="${M.top + 200 + k * 36}" font-size="12" fill="#555"><tspan x="${M.left + pw + 20}">${who} at ${r.viewers.toLocaleString('en')}:</tspan><tspan x="${M.left + pw + 20}" dy="15">${r.joined.toLocaleString('en')} joined in the deadline</tspan></text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}

/** Renders `svg` to a PNG file with headless Chromium (CHROMIUM_PATH, default /usr/bin/chromium). */
export async function renderPng(/** @type {string} */ svg, /** @type {string} */ outPath) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
  });
  try {
    const page = await browser.newPage({ viewport: { width: W, height: H }, deviceScaleFactor: 2 });
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    await page.locator('svg').screenshot({ path: outPath });
  } finally {
    await browser.close();
  }
}

/** The results object embedded in RESULTS.md by bench/results-md.mjs. */
export function resultsFromMarkdown(/** @type {string} */ md) {
  const m = /<!-- results-json\n([\s\S]*?)\n-->/.exec(md);
  if (!m) throw new Error('no embedded results in RESULTS.md');
  return JSON.parse(m[1]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const md = process.argv[2] ?? path.join(import.meta.dirname, 'RESULTS.md');
  const out = process.argv[3] ?? path.join(import.meta.dirname, 'latency-vs-viewers.png');
  await renderPng(svgChart(resultsFromMarkdown(fs.readFileSync(md, 'utf8'))), out);
  console.log(`wrote ${out}`);
}
