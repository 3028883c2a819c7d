import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adminSession, call, expectError, signup, type Session } from '../../support/workers.ts';
import { does, openSessionSocket } from '../../support/sessions.ts';

const H = 3_600_000;
const MIN = 60_000;
/** Yesterday at 09:00 UTC: every entry here is safely in the past. */
const DAY0 = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000 + 9 * H;

const create = (who: Session, json: unknown) => call('/api/sessions/entries', { auth: who.token, json });
const put = (who: Session, id: string, json: unknown) =>
  call(`/api/sessions/${id}`, { auth: who.token, method: 'PUT', json });
const del = (who: Session, id: string, q = '') =>
  call(`/api/sessions/${id}${q}`, { auth: who.token, method: 'DELETE' });
const history = async (who: Session, q = '') => (await call(`/api/sessions?limit=200${q}`, { auth: who.token })).body;

async function entry(who: Session, json: Record<string, unknown> = {}): Promise<any> {
  const a = await create(who, { startTime: DAY0, endTime: DAY0 + H, ...json });
  expect(a.status, JSON.stringify(a.body)).toBe(201);
  return a.body.entry;
}

describe('manual entries and edits', () => {
  it('creates an entry with pauses (ISO or ms), and history, stats and CSV show it', async () => {
    const user = await signup();
    const e = await entry(user, {
      startTime: new Date(DAY0).toISOString(),
      endTime: DAY0 + 2 * H,
      label: ' Milking ',
      tags: ['barn', 'Barn', ' morning '],
      pauses: [{ pausedAt: DAY0 + 30 * MIN, resumedAt: DAY0 + 45 * MIN }],
    });
    expect(e).toMatchObject({
      startTime: DAY0,
      endTime: DAY0 + 2 * H,
      duration: 2 * H,
      elapsedTime: 2 * H - 15 * MIN,
      pausedTime: 15 * MIN,
      label: 'Milking',
      tags: ['barn', 'morning'],
      version: 1,
      source: 'manual',
      deletedAt: null,
      overlaps: [],
    });
    const h = await history(user);
    expect(h.sessions).toHaveLength(1);
    expect(h.sessions[0]).toMatchObject({ id: e.id, label: 'Milking', version: 1, source: 'manual' });
    const stats = await call('/api/sessions/stats?days=7', { auth: user.token });
    expect(stats.body.totals).toMatchObject({ grossMs: 2 * H, netMs: 2 * H - 15 * MIN, breakMs: 15 * MIN });
    expect(stats.body.totals.longestBreakMs).toBe(15 * MIN);
    const csv = await call('/api/sessions/export.csv', { auth: user.token });
    expect(csv.body.split('\n')[0]).toContain('project,client,task,tags');
    expect(csv.body).toContain('barn; morning');
  });

  it('an edit bumps the version, a stale baseVersion gets 409 with the current entry, and the trail records both edits', async () => {
    const user = await signup();
    const e = await entry(user, { label: 'first' });
    const a = await put(user, e.id, { baseVersion: 1, label: 'second', endTime: DAY0 + 90 * MIN });
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(a.body.entry).toMatchObject({
      version: 2,
      label: 'second',
      duration: 90 * MIN,
      editedAt: expect.any(Number),
    });
    const stale = await put(user, e.id, { baseVersion: 1, label: 'lost' });
    expectError(stale, 409, 'stale_version');
    expect(stale.body.error.details.current).toMatchObject({ id: e.id, version: 2, label: 'second' });
    const trail = await call(`/api/sessions/${e.id}/trail`, { auth: user.token });
    expect(trail.status).toBe(200);
    expect(trail.body.trail.map((t: any) => [t.op, t.version])).toEqual([
      ['create', 1],
      ['update', 2],
    ]);
    expect(trail.body.trail[1]).toMatchObject({
      actor: { id: user.user.id, role: 'user' },
      before: { label: 'first', version: 1 },
      after: { label: 'second', version: 2 },
      at: expect.any(Number),
    });
    expect((await history(user)).sessions[0]).toMatchObject({ label: 'second', version: 2 });
  });

  it('edits a stopped live session; the running one is refused', async () => {
    const user = await signup();
    await does(user, 'start', { label: 'live' });
    const stopped = await does(user, 'stop');
    const [item] = (await history(user)).sessions;
    expect(item).toMatchObject({ id: stopped.id, source: 'live' });
    const edit = await put(user, stopped.id, { baseVersion: item.version, label: 'fixed', tags: ['x'] });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    expect(edit.body.entry).toMatchObject({ label: 'fixed', tags: ['x'], version: item.version + 1 });
    const running = await does(user, 'start', { label: 'now' });
    expectError(await put(user, running.id, { baseVersion: running.version, label: 'no' }), 409, 'session_running');
    expectError(await del(user, running.id), 409, 'session_running');
  });

  it('delete hides the entry, restore within a minute brings it back, and both are in the trail', async () => {
    const user = await signup();
    const e = await entry(user);
    const d = await del(user, e.id);
    expect(d.status).toBe(200);
    expect(d.body.entry).toMatchObject({ version: 2, deletedAt: expect.any(Number) });
    expect(d.body.undoUntil).toBe(d.body.entry.deletedAt + 60_000);
    expect((await history(user)).sessions).toHaveLength(0);
    expect((await call('/api/sessions/stats', { auth: user.token })).body.totals.sessions).toBe(0);
    expectError(await put(user, e.id, { baseVersion: 2, label: 'x' }), 404, 'entry_not_found');
    const r = await call(`/api/sessions/${e.id}/restore`, { auth: user.token, method: 'POST' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.entry).toMatchObject({ version: 3, deletedAt: null });
    expect((await history(user)).sessions.map((s: any) => s.id)).toEqual([e.id]);
    expectError(await call(`/api/sessions/${e.id}/restore`, { auth: user.token, method: 'POST' }), 409, 'not_deleted');
    const trail = await call(`/api/sessions/${e.id}/trail`, { auth: user.token });
    expect(trail.body.trail.map((t: any) => t.op)).toEqual(['create', 'delete', 'restore']);
    // A stale delete is refused too.
    expectError(await del(user, e.id, '?baseVersion=1'), 409, 'stale_version');
  });

  it('refuses bad entries with invalid_entry and changes nothing', async () => {
    const user = await signup();
    const cases: unknown[] = [
      { startTime: DAY0, endTime: DAY0 },
      { startTime: DAY0 + H, endTime: DAY0 },
      { startTime: DAY0, endTime: Date.now() + 3_600_000 },
      { startTime: DAY0, endTime: DAY0 + H, pauses: [{ pausedAt: DAY0 - MIN, resumedAt: DAY0 + MIN }] },
      {
        startTime: DAY0,
        endTime: DAY0 + H,
        pauses: [
          { pausedAt: DAY0 + MIN, resumedAt: DAY0 + 10 * MIN },
          { pausedAt: DAY0 + 5 * MIN, resumedAt: DAY0 + 20 * MIN },
        ],
      },
      { startTime: DAY0, endTime: DAY0 + H, projectId: 'nope' },
      { startTime: DAY0, endTime: DAY0 + H, taskId: 'nope' },
    ];
    for (const body of cases) expectError(await create(user, body), 400, 'invalid_entry');
    expectError(await create(user, { startTime: 1_700_000_000, endTime: DAY0 }), 400, 'validation_failed');
    expect((await history(user)).sessions).toHaveLength(0);
  });

  it('overlap is allowed and flagged on both entries', async () => {
    const user = await signup();
    const a = await entry(user);
    const b = await entry(user, { startTime: DAY0 + 30 * MIN, endTime: DAY0 + 2 * H });
    expect(b.overlaps).toEqual([a.id]);
    const items = (await history(user)).sessions;
    expect(items.find((s: any) => s.id === a.id).overlaps).toEqual([b.id]);
  });

  it('another device hears SESSION_ENTRY', async () => {
    const user = await signup();
    const ws = await openSessionSocket({ auth: user.token });
    try {
      const e = await entry(user, { label: 'heard' });
      const msg = await ws.next('SESSION_ENTRY', 5_000);
      expect(msg).toMatchObject({ op: 'create', entry: { id: e.id, label: 'heard' }, serverTime: expect.any(Number) });
    } finally {
      ws.close();
    }
  });

  it('another user cannot edit, delete or read the entry; an admin can read its trail', async () => {
    const alice = await signup();
    const bob = await signup();
    const e = await entry(alice);
    expectError(await put(bob, e.id, { baseVersion: 1, label: 'x' }), 404, 'entry_not_found');
    expectError(await del(bob, e.id), 404, 'entry_not_found');
    expectError(
      await call(`/api/sessions/${e.id}/trail?userId=${alice.user.id}`, { auth: bob.token }),
      403,
      'forbidden',
    );
    const admin = await adminSession();
    const t = await call(`/api/sessions/${e.id}/trail?userId=${alice.user.id}`, { auth: admin.token });
    expect(t.status).toBe(200);
    expect(t.body.trail).toHaveLength(1);
  });

  it('fuzzed entry bodies get 2xx or 4xx, never 5xx', async () => {
    const user = await signup();
    const instant = fc.oneof(
      fc.integer({ min: DAY0 - 10 * H, max: DAY0 + 10 * H }),
      fc.constantFrom('2026-01-01T00:00:00Z', 'nope', '', 1e20, -1, 1.5),
      fc.anything(),
    );
    const body = fc.record(
      {
        startTime: instant,
        endTime: instant,
        label: fc.oneof(fc.string({ maxLength: 300 }), fc.constant(null), fc.integer()),
        projectId: fc.oneof(fc.string({ maxLength: 80 }), fc.constant(null)),
        tags: fc.oneof(fc.array(fc.string({ maxLength: 60 }), { maxLength: 30 }), fc.anything()),
        pauses: fc.oneof(
          fc.array(fc.record({ pausedAt: instant, resumedAt: instant }), { maxLength: 4 }),
          fc.anything(),
        ),
        baseVersion: fc.oneof(fc.integer(), fc.anything()),
      },
      { requiredKeys: [] },
    );
    const e = await entry(user);
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const made = await create(user, b);
        expect(made.status, JSON.stringify(made.body)).toBeLessThan(500);
        const edited = await put(user, e.id, b);
        expect(edited.status, JSON.stringify(edited.body)).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
  });
});

describe('projects and tasks', () => {
  it('CRUD, task time against its estimate, filters and the report', async () => {
    const user = await signup();
    const p = await call('/api/projects', { auth: user.token, json: { name: 'Dairy', client: 'Farm Co' } });
    expect(p.status, JSON.stringify(p.body)).toBe(201);
    const project = p.body.project;
    expect(project).toMatchObject({ name: 'Dairy', client: 'Farm Co', color: expect.stringMatching(/^#[0-9a-f]{6}$/) });
    const t = await call(`/api/projects/${project.id}/tasks`, {
      auth: user.token,
      json: { title: 'Milk cows', estimateMs: 2 * H },
    });
    expect(t.status).toBe(201);
    const task = t.body.task;
    // A task alone sets its project.
    const e1 = await entry(user, { taskId: task.id, tags: ['am'] });
    expect(e1).toMatchObject({ projectId: project.id, taskId: task.id });
    await entry(user, { startTime: DAY0 + 2 * H, endTime: DAY0 + 3 * H, tags: ['pm'] });
    const tasks = await call(`/api/projects/${project.id}/tasks`, { auth: user.token });
    expect(tasks.body.tasks[0]).toMatchObject({ id: task.id, spentMs: H, entries: 1, estimateMs: 2 * H, done: false });

    expect((await history(user, `&projectId=${project.id}`)).sessions.map((s: any) => s.id)).toEqual([e1.id]);
    expect((await history(user, '&tag=AM')).sessions.map((s: any) => s.id)).toEqual([e1.id]);
    expect((await history(user, `&from=${DAY0 + H}`)).sessions).toHaveLength(1);
    expect((await history(user, `&taskId=${task.id}`)).sessions).toHaveLength(1);
    const csv = await call(`/api/sessions/export.csv?projectId=${project.id}`, { auth: user.token });
    expect(csv.body.trim().split('\n')).toHaveLength(2);
    expect(csv.body).toContain('"Dairy","Farm Co","Milk cows","am"');

    const report = await call(`/api/sessions/report?from=${DAY0 - H}&to=${DAY0 + 23 * H}`, { auth: user.token });
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body.totals).toMatchObject({ entries: 2, grossMs: 2 * H, netMs: 2 * H, breakMs: 0 });
    expect(report.body.projects.map((r: any) => [r.name, r.netMs])).toEqual([
      ['Dairy', H],
      ['No project', H],
    ]);
    expect(report.body.tasks).toEqual([
      { projectId: project.id, taskId: task.id, title: 'Milk cows', entries: 1, netMs: H, estimateMs: 2 * H },
    ]);
    const only = await call(`/api/sessions/report?from=${DAY0 - H}&to=${DAY0 + 23 * H}&projectId=${project.id}`, {
      auth: user.token,
    });
    expect(only.body.totals.entries).toBe(1);

    const u = await call(`/api/tasks/${task.id}`, { auth: user.token, method: 'PUT', json: { done: true } });
    expect(u.body.task).toMatchObject({ done: true, spentMs: H, version: 2 });
    const up = await call(`/api/projects/${project.id}`, {
      auth: user.token,
      method: 'PUT',
      json: { name: 'Dairy 2' },
    });
    expect(up.body.project).toMatchObject({ name: 'Dairy 2', version: 2 });
    expect((await call(`/api/tasks/${task.id}`, { auth: user.token, method: 'DELETE' })).status).toBe(204);
    expect((await call(`/api/projects/${project.id}`, { auth: user.token, method: 'DELETE' })).status).toBe(204);
    expect((await call('/api/projects', { auth: user.token })).body.projects).toEqual([]);
    // Entries keep the project id, and reports still name the deleted project.
    const after = await call(`/api/sessions/report?from=${DAY0 - H}&to=${DAY0 + 23 * H}`, { auth: user.token });
    expect(after.body.projects.map((r: any) => r.name)).toEqual(['Dairy 2', 'No project']);
  });

  it('another user gets 404 for the project and its tasks, 403 for reading; admins read anyone’s', async () => {
    const alice = await signup();
    const bob = await signup();
    const project = (await call('/api/projects', { auth: alice.token, json: { name: 'Secret' } })).body.project;
    const task = (await call(`/api/projects/${project.id}/tasks`, { auth: alice.token, json: { title: 'T' } })).body
      .task;
    expectError(
      await call(`/api/projects/${project.id}`, { auth: bob.token, method: 'PUT', json: { name: 'mine' } }),
      404,
      'project_not_found',
    );
    expectError(
      await call(`/api/projects/${project.id}`, { auth: bob.token, method: 'DELETE' }),
      404,
      'project_not_found',
    );
    expectError(await call(`/api/projects/${project.id}/tasks`, { auth: bob.token }), 404, 'project_not_found');
    expectError(await call(`/api/tasks/${task.id}`, { auth: bob.token, method: 'DELETE' }), 404, 'task_not_found');
    expectError(await call(`/api/projects?userId=${alice.user.id}`, { auth: bob.token }), 403, 'forbidden');
    expectError(await create(bob, { startTime: DAY0, endTime: DAY0 + H, projectId: project.id }), 400, 'invalid_entry');
    const admin = await adminSession();
    const list = await call(`/api/projects?userId=${alice.user.id}`, { auth: admin.token });
    expect(list.body).toMatchObject({ userId: alice.user.id, projects: [{ id: project.id, name: 'Secret' }] });
    const tasks = await call(`/api/projects/${project.id}/tasks?userId=${alice.user.id}`, { auth: admin.token });
    expect(tasks.body.tasks.map((t: any) => t.id)).toEqual([task.id]);
  });

  it('refuses bad project and task bodies with 400', async () => {
    const user = await signup();
    expectError(await call('/api/projects', { auth: user.token, json: { name: '' } }), 400, 'validation_failed');
    expectError(await call('/api/projects', { auth: user.token, json: { name: 'x', color: 'red' } }), 400);
    const project = (await call('/api/projects', { auth: user.token, json: { name: 'P' } })).body.project;
    expectError(
      await call(`/api/projects/${project.id}/tasks`, { auth: user.token, json: { title: 'x', estimateMs: -1 } }),
      400,
    );
    expectError(await call(`/api/projects/${project.id}`, { auth: user.token, method: 'PUT', json: {} }), 400);
  });
});

describe('break rule', () => {
  it('flags a day of more than 6 h of work with too few breaks', async () => {
    const user = await signup();
    const set = await call('/api/sessions/break-rule', {
      auth: user.token,
      method: 'PUT',
      json: { breakRule: 'de-arbzg' },
    });
    expect(set.body.breakRule).toMatchObject({ name: 'de-arbzg' });
    await entry(user, {
      startTime: DAY0,
      endTime: DAY0 + 7 * H,
      pauses: [{ pausedAt: DAY0 + 3 * H, resumedAt: DAY0 + 3 * H + 10 * MIN }],
    });
    const r = await call(`/api/sessions/report?from=${DAY0 - H}&to=${DAY0 + 12 * H}`, { auth: user.token });
    const day = r.body.days.find((d: any) => d.entries === 1);
    // The one 10 min pause is shorter than 15 min, so none of it counts.
    expect(day.breakHint).toMatchObject({ requiredMs: 30 * MIN, breakMs: 0 });
    expect(day.grossMs).toBe(day.netMs + day.breakMs);
    expect(r.body.breakRule).toBe('de-arbzg');
  });
});
