// Shared bench helpers: start a throwaway wrangler dev, make users and rooms, statistics.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assetsArgs } from '../scripts/assets-args.mjs';
import { devVarArgs } from '../scripts/dev-vars.mjs';
import { freePort, run, waitForHttp, wranglerEnv } from '../scripts/lib.mjs';

export const root = path.resolve(import.meta.dirname, '..');

/**
 * Starts `wrangler dev` on a free port with fresh storage; returns { base, stop }.
 * `vars` adds `--var KEY:VALUE` pairs (e.g. the mirrors' DATABASE_URL, NEON_LOCAL_RELAY, UPSTASH_*).
 * @param {{ vars?: Record<string, string> }} [options]
 */
export async function startWorker({ vars = {} } = {}) {
  const port = await freePort();
  const persist = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-bench-'));
  const extra = devVarArgs(vars);
  // wrangler's own launcher, not npx: npx does not pass SIGTERM on, so stop() used to orphan wrangler and workerd.
  const child = run(
    'wrangler',
    process.execPath,
    [
      path.join(root, 'node_modules/wrangler/bin/wrangler.js'),
      'dev',
      '--port',
      String(port),
      '--ip',
      '127.0.0.1',
      '--persist-to',
      persist,
      '--var',
      'AUTH_RATE_PER_MIN:100000',
      // Every bench client comes from 127.0.0.1, and the compare bench holds 4,500+ viewers on one room; the claim and
      // session benches reuse a few users (docs/api.md "Caps and quotas").
      ...['WS_MAX_PER_IP:100000', 'WS_MAX_PER_OBJECT:32000', 'QUOTA_RACKS_PER_USER:10000']
        .concat(['QUOTA_SESSION_STARTS_PER_HOUR:1000000', 'QUOTA_ROOMS_PER_USER:1000000'])
        .flatMap((v) => ['--var', v]),
      ...assetsArgs(root),
      ...extra,
    ],
    {
      cwd: root,
      env: wranglerEnv,
      quiet: true,
    },
  );
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/health`, 90_000);
  return {
    base,
    pid: child.pid,
    stop: async () => {
      await new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
        setTimeout(resolve, 3000);
      });
      fs.rmSync(persist, { recursive: true, force: true });
    },
  };
}

export async function api(base, method, route, body, token) {
  const res = await fetch(base + route, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

export async function makeOwnerAndRoom(base, timers = [{ label: 'Bench', durationMs: 3_600_000 }]) {
  const email = `bench-${Date.now()}-${Math.random().toString(36).slice(2)}@keeptime.test`;
  const signup = await api(base, 'POST', '/api/auth/signup', { email, password: 'bench-password', name: 'Bench' });
  const token = signup.json.token;
  const room = await api(base, 'POST', '/api/rooms', { name: 'Bench room' }, token);
  const created = [];
  for (const t of timers)
    created.push((await api(base, 'POST', `/api/rooms/${room.json.room.id}/timers`, t, token)).json.timer);
  return { token, room: room.json.room, links: room.json.links, timers: created };
}

/** Opens a WebSocket and resolves when it is open. Messages are parsed and handed to `onMessage`. */
export function openSocket(url, onMessage) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.addEventListener('message', (ev) => onMessage?.(JSON.parse(ev.data), ws));
    ws.addEventListener('open', () => resolve(ws), { once: true });
    ws.addEventListener('error', () => reject(new Error('socket error')), { once: true });
  });
}

export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i];
}
export const median = (v) => quantile(v, 0.5);
export const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
