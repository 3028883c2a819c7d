/** The viewer lives at /r/<viewer-token>: serve the static viewer page for any token. */
import { Hono } from 'hono';
import type { AppEnv } from '../app-types.ts';

export const viewerPage = new Hono<AppEnv>().get('/r/*', async (c) => {
  if (!c.env.ASSETS) return c.text('The site is not built', 404);
  const res = await c.env.ASSETS.fetch(new Request(new URL('/r/', c.req.url)));
  return new Response(res.body, { status: res.status, headers: res.headers });
});
