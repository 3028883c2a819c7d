// Seeds the demo accounts and a demo room with three timers (idempotent across restarts).
import fs from 'node:fs';
import path from 'node:path';

export const DEMO_PASSWORD = 'keeptime-demo';
export const DEMO_ACCOUNTS = [
  { email: 'admin@keeptime.test', name: 'Demo Admin' },
  { email: 'member@keeptime.test', name: 'Demo Member' },
];

async function call(base, method, route, body, token) {
  const res = await fetch(base + route, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = res.status === 204 ? null : await res.json();
  return { status: res.status, json };
}

/** Ensures the demo accounts and room exist; returns the room's links. */
export async function seed(base, dataDir) {
  for (const a of DEMO_ACCOUNTS) {
    const r = await call(base, 'POST', '/api/auth/signup', { ...a, password: DEMO_PASSWORD });
    if (r.status !== 201 && r.status !== 409)
      throw new Error(`seeding ${a.email}: ${r.status} ${JSON.stringify(r.json)}`);
  }
  const login = await call(base, 'POST', '/api/auth/login', { email: DEMO_ACCOUNTS[0].email, password: DEMO_PASSWORD });
  if (login.status !== 200) throw new Error(`demo login failed: ${login.status}`);
  const token = login.json.token;

  const file = path.join(dataDir, 'demo-room.json');
  if (fs.existsSync(file)) {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    const snap = await call(base, 'GET', `/api/rooms/${saved.id}`, undefined, token);
    if (snap.status === 200) return { id: saved.id, links: snap.json.links };
  }
  const created = await call(base, 'POST', '/api/rooms', { name: 'Demo rundown' }, token);
  if (created.status !== 201) throw new Error(`demo room: ${created.status} ${JSON.stringify(created.json)}`);
  const id = created.json.room.id;
  const timers = [
    { label: 'Welcome & doors', durationMs: 5 * 60_000 },
    { label: 'Keynote', durationMs: 20 * 60_000, trigger: 'linked' },
    { label: 'Q&A', durationMs: 10 * 60_000, trigger: 'linked', warnMs: 120_000 },
  ];
  for (const t of timers) await call(base, 'POST', `/api/rooms/${id}/timers`, t, token);
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ id }));
  return { id, links: created.json.links };
}
