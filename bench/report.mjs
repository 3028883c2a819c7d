// Reports: generation time for a year of daily sessions. One user gets 365 manual entries (one a day, 8 h with a
// 30 min pause, on one of three projects and tasks); GET /api/sessions/report over the whole year is timed 30 times
// (baseline: GET /api/sessions/break-rule, a round trip to the same object that computes nothing), and the pure
// core (buildReport over the same 365 entries) is timed alone.
import { buildReport } from '../core/sessions/report.ts';
import { api, fmt, median } from './lib.mjs';

const DAY = 86_400_000;
const H = 3_600_000;

export async function run(base, { days = 365, runs = 30 } = {}) {
  const email = `bench-r-${Date.now()}-${Math.random().toString(36).slice(2)}@keeptime.test`;
  const { json } = await api(base, 'POST', '/api/auth/signup', { email, password: 'bench-password', name: 'Bench' });
  const token = json.token;
  const projects = [];
  for (const name of ['Dairy', 'Fields', 'Office']) {
    const p = (await api(base, 'POST', '/api/projects', { name, client: 'Farm' }, token)).json.project;
    const t = (
      await api(base, 'POST', `/api/projects/${p.id}/tasks`, { title: `${name} work`, estimateMs: 500 * H }, token)
    ).json.task;
    projects.push({ p, t });
  }
  await api(base, 'PUT', '/api/sessions/break-rule', { breakRule: 'de-arbzg' }, token);
  const today = Math.floor(Date.now() / DAY) * DAY;
  const entries = [];
  for (let d = days; d >= 1; d--) {
    const start = today - d * DAY + 8 * H;
    const { p, t } = projects[d % projects.length];
    const body = {
      startTime: start,
      endTime: start + 8 * H,
      label: `Day ${d}`,
      projectId: p.id,
      taskId: t.id,
      tags: ['bench'],
      pauses: [{ pausedAt: start + 4 * H, resumedAt: start + 4 * H + 30 * 60_000 }],
    };
    const r = await api(base, 'POST', '/api/sessions/entries', body, token);
    if (r.status !== 201) throw new Error(`entry: ${r.status} ${JSON.stringify(r.json)}`);
    entries.push(r.json.entry);
  }
  const q = `from=${today - (days + 1) * DAY}&to=${today}`;
  const http = [];
  const base0 = [];
  let report;
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    const r = await api(base, 'GET', `/api/sessions/report?${q}`, undefined, token);
    http.push(performance.now() - t0);
    if (r.status !== 200) throw new Error(`report: ${r.status} ${JSON.stringify(r.json)}`);
    report = r.json;
    t0 = performance.now();
    await api(base, 'GET', '/api/sessions/break-rule', undefined, token);
    base0.push(performance.now() - t0);
  }
  const core = [];
  const input = entries.map((e) => ({
    id: e.id,
    startTime: e.startTime,
    durationMs: e.duration,
    elapsedMs: e.elapsedTime,
    pausedMs: e.pausedTime,
    pauseSegments: e.pauseSegments,
    projectId: e.projectId,
    taskId: e.taskId,
  }));
  const opts = { from: today - (days + 1) * DAY, to: today, tzOffsetMinutes: 0, projectId: null, breakRule: null };
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    buildReport(
      input,
      projects.map(({ p }) => p),
      projects.map(({ t }) => t),
      opts,
    );
    core.push(performance.now() - t0);
  }
  return {
    days,
    entries: report.totals.entries,
    rows: report.days.length,
    httpP50: median(http),
    baselineP50: median(base0),
    coreP50: median(core),
  };
}

export function print(r) {
  console.log('\n== report: a year of daily sessions ==');
  console.log(`  ${r.entries} entries, ${r.rows} day rows`);
  console.log(
    `  GET /api/sessions/report (whole year) p50 ${fmt(r.httpP50)} ms (baseline: a round trip to the same object ${fmt(r.baselineP50)} ms)`,
  );
  console.log(`  buildReport alone (365 entries, core) p50 ${fmt(r.coreP50)} ms`);
}
