// `npm test`: typecheck, lint (Biome), the layering check, the generated Env is current, the Worker bundle size
// (wrangler deploy --dry-run) and the viewer views' JS sizes (scripts/view-sizes.mjs), core unit tests (Node), DO and route
// tests (workerd), integration tests (real Postgres and Redis through the real Neon and Upstash clients), the mirrors'
// fault tests, the resilience suite (`npm run test:resilience`), the Companion module (`npm run test:companion`), then
// Playwright in Chromium.
// `node scripts/test.mjs <step> …` runs only the named steps (`npm run test:quick`: typecheck lint layers env-types
// core workers). The vitest configs are in test/vitest/.
// Without Chromium the e2e step is skipped loudly; with CI=true that is a failure instead.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exec, wranglerEnv } from './lib.mjs';

const root = path.resolve(import.meta.dirname, '..');
const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-test-'));
const ci = process.env.CI === 'true' || process.env.CI === '1';
const only = process.argv.slice(2);
const results = [];

function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  return candidates.find((p) => fs.existsSync(p)) ?? null;
}

/** Sums passed/failed from a vitest or Playwright JSON report, if it was written. */
function countsFrom(file) {
  try {
    const j = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (typeof j.numPassedTests === 'number') return { passed: j.numPassedTests, failed: j.numFailedTests };
    if (j.stats) return { passed: j.stats.expected ?? 0, failed: (j.stats.unexpected ?? 0) + (j.stats.flaky ?? 0) };
  } catch {
    /* no report */
  }
  return null;
}

async function step(name, cmd, args, opts = {}) {
  if (only.length && !only.includes(name)) return;
  const started = Date.now();
  console.log(`\n━━ ${opts.label ?? name} ━━`);
  const code = await exec(cmd, args, { cwd: root, ...opts, env: { ...wranglerEnv, ...(opts.env ?? {}) } });
  const counts = opts.report ? countsFrom(opts.report) : null;
  results.push({ name: opts.label ?? name, ok: code === 0, seconds: (Date.now() - started) / 1000, counts });
}

/**
 * The Postgres the integration, mirror and resilience tests use: TEST_DATABASE_URL, else the machine's own server when
 * one answers as `postgres` on 127.0.0.1:5432 without a password, else embedded PGlite (slower to drain after an
 * outage: one backend for every object's pool).
 */
function localPostgres() {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  const url = 'postgres://postgres@127.0.0.1:5432/postgres';
  const probe = spawnSync('psql', [url, '-tAc', 'select 1'], { encoding: 'utf8', timeout: 5_000 });
  return probe.status === 0 && probe.stdout.trim() === '1' ? url : null;
}
const testDatabase = localPostgres();
if (testDatabase) process.env.TEST_DATABASE_URL = testDatabase;
console.log(
  `Postgres for the tests: ${testDatabase ? testDatabase.replace(/:[^:@/]*@/, ':***@') : 'embedded PGlite (set TEST_DATABASE_URL to use a server)'}`,
);

const vitestJson = (name) => [
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${path.join(reports, name + '.json')}`,
];

const config = (name) => path.join('test', 'vitest', `${name}.config.ts`);

await step('typecheck', 'npm', ['run', '--silent', 'typecheck']);
await step('lint', 'npx', ['biome', 'check', '.']);
await step('layers', process.execPath, ['scripts/check-layers.mjs']);
await step('env-types', process.execPath, ['scripts/check-env-types.mjs']);
await step('bundle', process.execPath, ['scripts/bundle-size.mjs']);
// The viewer's views, each under 30 kB of gzipped JS: the site is built into a temp dir (never site/dist, which a running
// `wrangler dev` serves), then measured. Both run with the bundle step.
const siteDist = path.join(reports, 'site-dist');
await step('bundle', path.join(root, 'node_modules/.bin/astro'), ['build', '--root', 'site', '--outDir', siteDist], {
  label: 'site-build',
  env: { ASTRO_TELEMETRY_DISABLED: '1' },
});
await step('bundle', process.execPath, ['scripts/view-sizes.mjs', siteDist], { label: 'view-sizes' });
fs.rmSync(siteDist, { recursive: true, force: true });
await step('core', 'npx', ['vitest', 'run', '--config', config('core'), ...vitestJson('core')], {
  report: path.join(reports, 'core.json'),
});
await step('workers', 'npx', ['vitest', 'run', '--config', config('workers'), ...vitestJson('workers')], {
  report: path.join(reports, 'workers.json'),
});
await step('integration', 'npx', ['vitest', 'run', '--config', config('integration'), ...vitestJson('integration')], {
  report: path.join(reports, 'integration.json'),
});
await step('mirrors', 'npx', ['vitest', 'run', '--config', config('mirrors'), ...vitestJson('mirrors')], {
  report: path.join(reports, 'mirrors.json'),
});

// `npm run test:resilience`: lock safety at scale, alarm retries, fuzzing and the authorisation matrix (workerd),
// then the reconnect storm and the all-domain outage against a real wrangler dev, Postgres and Redis.
await step(
  'resilience-workers',
  'npx',
  ['vitest', 'run', '--config', config('resilience-workers'), ...vitestJson('resilience-workers')],
  {
    report: path.join(reports, 'resilience-workers.json'),
  },
);
await step(
  'resilience-live',
  'npx',
  ['vitest', 'run', '--config', config('resilience-live'), ...vitestJson('resilience-live')],
  {
    report: path.join(reports, 'resilience-live.json'),
  },
);

// The Bitfocus Companion module (integrations/companion): its pure parts, then the module class with a fake Companion
// host against a real wrangler dev (about a minute).
await step('companion', 'npx', ['vitest', 'run', '--config', config('companion'), ...vitestJson('companion')], {
  report: path.join(reports, 'companion.json'),
});

if (!only.length || only.includes('e2e')) {
  const chromium = chromiumPath();
  if (!chromium) {
    const banner = '!'.repeat(72);
    console.log(
      `\n${banner}\n!! No Chromium found (set CHROMIUM_PATH or apt-get install -y chromium).\n!! The Playwright end-to-end tests were NOT run.\n${banner}`,
    );
    results.push({
      name: 'e2e',
      ok: !ci,
      seconds: 0,
      counts: null,
      note: ci ? 'missing Chromium (CI)' : 'SKIPPED: no Chromium',
    });
  } else {
    const report = path.join(reports, 'e2e.json');
    await step('e2e', 'npx', ['playwright', 'test', '--reporter=list,json'], {
      env: { CHROMIUM_PATH: chromium, PLAYWRIGHT_JSON_OUTPUT_NAME: report },
      report,
    });
  }
}

let passed = 0;
let failed = 0;
console.log('\n━━ summary ━━');
for (const r of results) {
  if (r.counts) {
    passed += r.counts.passed;
    failed += r.counts.failed;
  }
  if (!r.ok && (!r.counts || r.counts.failed === 0)) failed += 1;
  const counts = r.counts ? ` (${r.counts.passed} passed, ${r.counts.failed} failed)` : '';
  console.log(
    `${r.ok ? 'ok  ' : 'FAIL'}  ${r.name.padEnd(12)} ${r.seconds.toFixed(1).padStart(6)} s${counts}${r.note ? '  ' + r.note : ''}`,
  );
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
