/**
 * WCAG 2.2 contrast of the site's palette, computed from the CSS variables in src/styles/base.css:
 * the dark palette (`:root`) and the light one (`html[data-theme="light"]`, which inherits what it does not set).
 * Text pairs need 4.5:1 (AA, 1.4.3); control borders and focus rings against what surrounds them need 3:1 (1.4.11).
 * `node site/scripts/contrast.mjs` prints every pair and exits 1 if one falls short; `contrastReport()` returns them.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BASE_CSS = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'styles', 'base.css');

/** `#rgb`, `#rrggbb` or `rgb(r g b / a)` → [r, g, b, a] (0–255, alpha 0–1). */
export function parseColor(text) {
  const t = text.trim();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(t);
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join('') : hex[1];
    return [0, 2, 4].map((i) => Number.parseInt(h.slice(i, i + 2), 16)).concat(1);
  }
  const rgb = /^rgb\(\s*(\d+)\s+(\d+)\s+(\d+)\s*(?:\/\s*([\d.]+))?\s*\)$/i.exec(t);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), rgb[4] === undefined ? 1 : Number(rgb[4])];
  throw new Error(`not a colour: ${text}`);
}

/** A translucent colour laid over an opaque one. */
const over = ([r, g, b, a], [R, G, B]) => [r * a + R * (1 - a), g * a + G * (1 - a), b * a + B * (1 - a), 1];

/** Relative luminance (WCAG 2.x). */
export function luminance([r, g, b]) {
  const lin = (c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** The contrast ratio of two opaque colours, 1–21. */
export function contrastRatio(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The custom properties declared in the first block whose selector is `selector`. */
function variables(css, selector) {
  const at = css.indexOf(`${selector} {`);
  if (at < 0) throw new Error(`no ${selector} block in base.css`);
  const body = css.slice(at, css.indexOf('}', at));
  return Object.fromEntries([...body.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]));
}

/** [foreground, background, minimum, what]; a background may be `a@b` (translucent a laid over b). */
const PAIRS = [
  ...['--bg', '--panel', '--panel-2', '--field'].flatMap((bg) => [
    ['--text', bg, 4.5, 'text'],
    ['--muted', bg, 4.5, 'secondary text'],
  ]),
  ...['--bg', '--panel', '--panel-2'].flatMap((bg) => [
    ['--accent', bg, 4.5, 'link'],
    ['--green', bg, 4.5, 'status text (ok)'],
    ['--amber', bg, 4.5, 'status text (warning)'],
    ['--red', bg, 4.5, 'status text (error)'],
    ['--control-border', bg, 3, 'control border'],
    ['--accent', bg, 3, 'focus ring'],
  ]),
  ['--faint', '--panel', 3, 'idle clock digits (large text)'],
  ['--text-2', '--panel', 4.5, 'chart labels'],
  ['--control-border', '--field', 3, 'input border'],
  ['--control-border', '--hover', 3, 'control border (hovered)'],
  ['--on-accent', '--accent-fill', 4.5, 'primary button'],
  ['--on-accent', '--accent-2', 4.5, 'primary button (hovered)'],
  ['--on-accent', '--danger-fill', 4.5, 'danger button (confirm)'],
  ['--on-accent', '--danger-fill-2', 4.5, 'danger button (confirm, hovered)'],
  ['--danger-text', '--panel-2', 4.5, 'danger button'],
  ['--danger-text', '--hover', 4.5, 'danger button (hovered)'],
  ['--text', '--hover', 4.5, 'button (hovered)'],
  ['--text', '--chip', 4.5, 'count badge'],
  ['--danger-soft-text', 'rgb(239 68 68 / 0.12)@--panel', 4.5, 'error alert'],
  ['--danger-soft-text', '--danger-soft-bg', 4.5, 'error toast'],
  ['--info-text', '--accent-soft', 4.5, 'info toast'],
  ['--warn-text', 'rgb(245 165 36 / 0.1)@--panel', 4.5, 'warning alert'],
  ['--warn-text', 'rgb(245 165 36 / 0.26)@--panel-2', 4.5, 'pause button (hovered)'],
  ['--ok-text', '--panel', 4.5, 'running state'],
  ['--bg', '--amber', 4.5, 'conflict badge'],
  ['--text', '--accent-soft', 4.5, 'selected choice'],
  ['--text', '--warn-soft-bg', 4.5, 'paused rack'],
];

/** Every pair of both palettes with its ratio. */
export function contrastReport(css = readFileSync(BASE_CSS, 'utf8')) {
  const dark = variables(css, ':root');
  const light = { ...dark, ...variables(css, 'html[data-theme="light"]') };
  const rows = [];
  for (const [theme, vars] of [
    ['dark', dark],
    ['light', light],
  ]) {
    const colour = (ref) => {
      const [top, under] = ref.split('@');
      const c = parseColor(top.startsWith('--') ? vars[top] : top);
      if (under) return over(c, colour(under));
      // An opaque colour stays as it is; a translucent one without a base sits on the page.
      return c[3] === 1 ? c : over(c, colour('--bg'));
    };
    for (const [fg, bg, min, what] of PAIRS) {
      const ratio = contrastRatio(colour(fg), colour(bg));
      rows.push({ theme, fg, bg, what, min, ratio: Math.floor(ratio * 100) / 100, ok: ratio >= min });
    }
  }
  return rows;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = contrastReport();
  for (const r of rows)
    console.log(
      `${r.ok ? 'ok  ' : 'FAIL'} ${r.theme.padEnd(5)} ${r.ratio.toFixed(2).padStart(5)}:1 (≥${r.min})  ${r.fg} on ${r.bg}  ${r.what}`,
    );
  const bad = rows.filter((r) => !r.ok);
  console.log(`${rows.length - bad.length}/${rows.length} pairs meet their minimum`);
  process.exit(bad.length ? 1 : 0);
}
