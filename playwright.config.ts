/**
 * Browser tests against the real Worker: the webServer (e2e/server.mjs) builds
 * the site, starts private mirrors (PGlite, unless E2E_DATABASE_URL, and a
 * throwaway redis-server), runs `wrangler dev` on port 8791 wired to them with
 * fresh Durable Object storage, and seeds the demo accounts.
 * Chromium is Debian's (never `playwright install`).
 */
import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 8791);
const CHROMIUM = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
/** CSRF, framing, socket-hijack and redirect specs: Keeptime is app.test, attackers are evil.app.test (same site) and other.test. */
const SECURITY_SPECS = /security-.*\.spec\.ts$/;
const HOSTS =
  '--host-resolver-rules=MAP app.test 127.0.0.1, MAP evil.app.test 127.0.0.1, MAP other.test 127.0.0.1, MAP * ~NOTFOUND';

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  // Bounds for a loaded 2-core machine (CI may run three times slower than a quiet one): a spec that passes in 15 s
  // quiet gets 90 s, and a state that shows in a second gets 10 s; slow specs set their own.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  retries: 0,
  workers: 2,
  fullyParallel: true,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'retain-on-failure',
    // The site's service worker precaches ~60 files per fresh context and takes requests from page.route:
    // off by default; e2e/pwa-*.spec.ts turn it on (test.use({ serviceWorkers: 'allow' })).
    serviceWorkers: 'block',
    screenshot: 'only-on-failure',
    launchOptions: CHROMIUM,
  },
  projects: [
    { name: 'chromium', testIgnore: SECURITY_SPECS },
    {
      name: 'security',
      testMatch: SECURITY_SPECS,
      use: {
        baseURL: `http://app.test:${PORT}`,
        launchOptions: { ...CHROMIUM, args: [...CHROMIUM.args, HOSTS] },
      },
    },
  ],
  webServer: {
    command: 'node e2e/server.mjs',
    // Ready only once the accounts are seeded, which is after /health answers.
    wait: { stdout: /KEEPTIME_E2E_READY/ },
    reuseExistingServer: false,
    timeout: 120_000,
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      ASTRO_TELEMETRY_DISABLED: '1',
    },
  },
});
