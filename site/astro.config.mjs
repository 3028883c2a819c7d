// Static site served by Workers Static Assets; in `astro dev`, /api (WebSockets too) goes to wrangler dev.
import { defineConfig } from 'astro/config';
import preact from '@astrojs/preact';
import { securityHeaders } from './scripts/security-headers.mjs';
import { serviceWorker } from './scripts/pwa.mjs';

const api = process.env.KEEPTIME_API ?? 'http://127.0.0.1:8787';

/** In dev, /r/<token> is served by the viewer page, as the Worker does in production. */
const viewerRewrite = {
  name: 'keeptime-viewer-rewrite',
  configureServer(server) {
    server.middlewares.use((req, _res, next) => {
      if (req.url && /^\/r\/[^/?]+/.test(req.url)) req.url = '/r/';
      next();
    });
  },
};

export default defineConfig({
  output: 'static',
  // securityHeaders writes dist/_headers (CSP with the inline scripts' hashes, nosniff, no-referrer) after the build.
  // serviceWorker writes dist/sw.js with the precache list (the offline pages and every file they load).
  integrations: [preact(), securityHeaders(), serviceWorker()],
  trailingSlash: 'ignore',
  build: { format: 'directory' },
  vite: {
    plugins: [viewerRewrite],
    server: { proxy: { '/api': { target: api, ws: true, changeOrigin: true }, '/health': { target: api } } },
  },
});
