// `npm run dev`: build the site, start wrangler dev (DO storage on disk under .data/) and astro dev,
// seed the demo accounts and room, and print the URLs.
import path from 'node:path';
import { exec, run, waitForHttp, wranglerEnv } from './lib.mjs';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seed } from './seed.mjs';

const root = path.resolve(import.meta.dirname, '..');
const dataDir = path.join(root, '.data');
const port = Number(process.env.PORT ?? 8787);
const sitePort = Number(process.env.SITE_PORT ?? 4321);
const base = `http://127.0.0.1:${port}`;
const children = [];

function shutdown(code = 0) {
  for (const c of children) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 300);
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

console.log('Building the site…');
if ((await exec('npx', ['astro', 'build', '--root', 'site'], { cwd: root, env: wranglerEnv })) !== 0) process.exit(1);

children.push(
  run('wrangler', 'npx', ['wrangler', 'dev', '--port', String(port), '--ip', '127.0.0.1', '--persist-to', path.join(dataDir, 'wrangler')], {
    cwd: root,
    env: wranglerEnv,
  }),
);
try {
  await waitForHttp(`${base}/health`, 90_000);
} catch (e) {
  console.error(String(e));
  shutdown(1);
}

const demo = await seed(base, dataDir);
children.push(
  run('astro', 'npx', ['astro', 'dev', '--root', 'site', '--port', String(sitePort), '--host', '127.0.0.1'], {
    cwd: root,
    env: { ...wranglerEnv, KEEPTIME_API: base },
    quiet: true,
  }),
);

console.log(`
  Keeptime is running.

  App (Worker + built site):   ${base}
  Site with live reload:       http://127.0.0.1:${sitePort}   (proxies /api to the Worker)

  Demo accounts (password "${DEMO_PASSWORD}"): ${DEMO_ACCOUNTS.map((a) => a.email).join(', ')}
  Demo room viewer link:       ${base}/r/${demo.links.viewer}
  Demo room control link:      ${base}/control?room=${demo.id}&token=${demo.links.controller}

  Press Ctrl+C to stop.
`);
