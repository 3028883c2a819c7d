// `npm run dev`: build the site, start wrangler dev (DO storage on disk under .data/) and astro dev,
// seed the demo accounts and room, and print the URLs.
import path from 'node:path';
import { devVarArgs } from './dev-vars.mjs';
import { exec, run, waitForHttp, wranglerEnv } from './lib.mjs';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seed } from './seed.mjs';
import { servicesOptionsFromEnv, startLocalServices } from './local/services.mjs';

const root = path.resolve(import.meta.dirname, '..');
const dataDir = path.join(root, '.data');
const port = Number(process.env.PORT ?? 8787);
const sitePort = Number(process.env.SITE_PORT ?? 4321);
const base = `http://127.0.0.1:${port}`;
const children = [];
let services = null;

function shutdown(code = 0) {
  for (const c of children) c.kill('SIGTERM');
  Promise.resolve(services?.stop()).finally(() => setTimeout(() => process.exit(code), 300));
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

console.log('Building the site…');
if ((await exec('npx', ['astro', 'build', '--root', 'site'], { cwd: root, env: wranglerEnv })) !== 0) process.exit(1);

// Mirrors: real Neon/Upstash when their variables are set; otherwise embedded PGlite (or DATABASE_URL's
// Postgres) behind the local Neon relay, and the Upstash adapter when a Redis answers.
const mirrorVars = await mirrorEnv();
children.push(
  run(
    'wrangler',
    'npx',
    [
      'wrangler',
      'dev',
      '--port',
      String(port),
      '--ip',
      '127.0.0.1',
      '--persist-to',
      path.join(dataDir, 'wrangler'),
      // Development is stated here, never in wrangler.toml (absent = production).
      ...devVarArgs(mirrorVars),
    ],
    { cwd: root, env: wranglerEnv },
  ),
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

async function mirrorEnv() {
  const e = process.env;
  const external = {};
  if (e.DATABASE_URL && /\.neon\.tech\b/.test(e.DATABASE_URL)) external.DATABASE_URL = e.DATABASE_URL;
  if (e.UPSTASH_REDIS_REST_URL && e.UPSTASH_REDIS_REST_TOKEN) {
    external.UPSTASH_REDIS_REST_URL = e.UPSTASH_REDIS_REST_URL;
    external.UPSTASH_REDIS_REST_TOKEN = e.UPSTASH_REDIS_REST_TOKEN;
  }
  if (external.DATABASE_URL && external.UPSTASH_REDIS_REST_URL) return external;
  console.log('Starting local services:');
  services = await startLocalServices({
    dataDir,
    ...servicesOptionsFromEnv(),
    ...(external.UPSTASH_REDIS_REST_URL ? { redisUrl: false } : {}),
  });
  return { ...services.env, ...external, ...(external.DATABASE_URL ? { NEON_LOCAL_RELAY: '' } : {}) };
}

console.log(`
  Keeptime is running.

  App (Worker + built site):   ${base}
  Site with live reload:       http://127.0.0.1:${sitePort}   (proxies /api to the Worker)

  History:                     ${mirrorVars.DATABASE_URL ? 'mirrored to Postgres' : 'off'}   Caching: ${mirrorVars.UPSTASH_REDIS_REST_URL ? 'on (Upstash)' : 'off (no Redis)'}
  Demo accounts (password "${DEMO_PASSWORD}"): ${DEMO_ACCOUNTS.map((a) => a.email).join(', ')}
  Demo room viewer link:       ${base}/r/${demo.links.viewer}
  Demo room control link:      ${base}/control?room=${demo.id}&token=${demo.links.controller}

  Press Ctrl+C to stop.
`);
