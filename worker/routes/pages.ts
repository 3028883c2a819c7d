/** The viewer lives at /r/<viewer-token>: serve the static viewer page for any token. */
import { Hono } from 'hono';
import type { AppEnv } from '../app-types.ts';

/**
 * The viewer's own policy, used only when the asset answer came without one (`_headers`, written at build
 * time by site/scripts/security-headers.mjs, normally supplies it with the page's hashes). The viewer has no
 * inline script; its inline style's hash is only known at build time, so the fallback allows inline styles.
 * The viewer is not embeddable (`frame-ancestors 'none'`): see docs/api.md, "Pages and headers".
 */
const VIEWER_FALLBACK_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export const viewerPage = new Hono<AppEnv>().get('/r/*', async (c) => {
  if (!c.env.ASSETS) return c.text('The site is not built', 404);
  const res = await c.env.ASSETS.fetch(new Request(new URL('/r/', c.req.url)));
  const headers = new Headers(res.headers);
  if (!headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', VIEWER_FALLBACK_CSP);
  // The path carries the viewer token: never send it on as a referrer.
  headers.set('Referrer-Policy', 'no-referrer');
  headers.set('X-Content-Type-Options', 'nosniff');
  return new Response(res.body, { status: res.status, headers });
});
