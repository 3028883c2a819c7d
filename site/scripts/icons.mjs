/**
 * Renders the app icons (192 and 512 PNG, and the 180 px Apple touch icon) from one SVG with Chromium, into
 * site/public/icons/. Run once by hand when the mark changes (`node site/scripts/icons.mjs`); the PNGs are committed.
 * The mark sits inside the central 60 %, so the same files serve as maskable icons.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
const SIZES = { 'icon-192.png': 192, 'icon-512.png': 512, 'apple-touch-icon.png': 180 };

/** The Keeptime stopwatch, white on the primary blue, full bleed. */
const svg = (size) => `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 24 24">
  <rect width="24" height="24" fill="#3563e9"/>
  <g transform="translate(12 12.4) scale(0.52) translate(-12 -12)" fill="none" stroke="#fff" stroke-width="2.4" stroke-linecap="round">
    <path d="M12 21a8 8 0 1 0 0-16 8 8 0 0 0 0 16zM12 13V9M9.5 2.5h5"/>
  </g>
</svg>`;

mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
try {
  for (const [name, size] of Object.entries(SIZES)) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(`<style>html,body{margin:0}</style>${svg(size)}`);
    await page.locator('svg').screenshot({ path: join(OUT, name), omitBackground: false });
    await page.close();
    console.log(`${name} ${size}×${size}`);
  }
} finally {
  await browser.close();
}
