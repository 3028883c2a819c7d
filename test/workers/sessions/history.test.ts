import { describe, expect, it } from 'vitest';
import { RECENT_SESSIONS } from '../../../durable-objects/sessions/recent.ts';
import { type Session, adminSession, call, expectError, signup } from '../../support/workers.ts';
import { does, sessionStub } from '../../support/sessions.ts';
import { clockAhead } from '../../support/clock.ts';

/** Runs `n` short sessions for `who`; returns the stop messages, oldest first. */
async function sessions(who: Session, n: number, label: (i: number) => string | null = () => null): Promise<any[]> {
  const out = [];
  for (let i = 0; i < n; i++) {
    await does(who, 'start', { label: label(i) });
    out.push(await does(who, 'stop'));
  }
  return out;
}

describe('history', () => {
  // These tests run without Postgres: the session object keeps every entry, so the answers are whole (not partial).
  it('lists stopped sessions newest first with the contract’s fields, from the object when Postgres is down', async () => {
    const user = await signup();
    const stops = await sessions(user, 3, (i) => `s${i}`);
    await does(user, 'start', { label: 'in progress' });
    const a = await call('/api/sessions', { auth: user.token });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ userId: user.user.id, nextCursor: null, cached: false });
    expect(a.body.partial).toBeUndefined();
    expect(a.body.sessions.map((s: { label: string }) => s.label)).toEqual(['s2', 's1', 's0']);
    const stop = stops[2];
    expect(a.body.sessions[0]).toEqual({
      id: stop.id,
      userId: user.user.id,
      startTime: stop.startTime,
      endTime: stop.endTime,
      duration: stop.endTime - stop.startTime,
      elapsedTime: stop.elapsedTime,
      pausedTime: stop.pausedTime,
      label: 's2',
      createdAt: stop.startTime,
      pauseSegments: [],
      autoStopped: false,
      stopReason: 'user',
      projectId: null,
      taskId: null,
      tags: [],
      version: stop.version,
      source: 'live',
      editedAt: null,
      overlaps: [],
    });
  });

  it('pages with an opaque cursor, each session once', async () => {
    const user = await signup();
    const stops = await sessions(user, 5);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 5; page++) {
      const q: string = `limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const a = await call(`/api/sessions?${q}`, { auth: user.token });
      expect(a.status, JSON.stringify(a.body)).toBe(200);
      expect(a.body.sessions.length).toBeLessThanOrEqual(2);
      seen.push(...a.body.sessions.map((s: { id: string }) => s.id));
      cursor = a.body.nextCursor;
      if (!cursor) break;
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    }
    expect(seen).toEqual(stops.map((s) => s.id).reverse());
  });

  it(`the object keeps every stopped session (up to ${RECENT_SESSIONS}), past the 200 it used to keep`, async () => {
    const user = await signup();
    const stub = sessionStub(user.user.id);
    const ids: string[] = [];
    for (let i = 0; i < 203; i++) {
      // Session starts are limited per hour (QUOTA_SESSION_STARTS_PER_HOUR, default 120): an hour passes every 100.
      if (i > 0 && i % 100 === 0) await clockAhead(stub, 3_600_000 + 60_000);
      await stub.command(user.user.id, { type: 'start', label: null }, null);
      const stopped = await stub.command(user.user.id, { type: 'stop' }, null);
      if (!stopped.ok) throw new Error(stopped.code);
      ids.push(stopped.value.id as string);
    }
    expect((await stub.inspect()).recent).toBe(203);
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const a: { body: any } = await call(`/api/sessions?limit=200${cursor ? `&cursor=${cursor}` : ''}`, {
        auth: user.token,
      });
      all.push(...a.body.sessions.map((s: { id: string }) => s.id));
      cursor = a.body.nextCursor;
    } while (cursor);
    expect(all).toEqual(ids.reverse());
    // 203 start/stop pairs: generous on a loaded 2-core machine.
  }, 120_000);

  it('admins may read anyone’s history; members get 403 for others', async () => {
    const alice = await signup();
    const bob = await signup();
    await sessions(alice, 1, () => 'alice');
    expectError(await call(`/api/sessions?userId=${alice.user.id}`, { auth: bob.token }), 403, 'forbidden');
    const admin = await adminSession();
    const a = await call(`/api/sessions?userId=${alice.user.id}`, { auth: admin.token });
    expect(a.body).toMatchObject({ userId: alice.user.id, sessions: [{ label: 'alice', userId: alice.user.id }] });
    expect((await call('/api/sessions?userId=nobody-at-all', { auth: admin.token })).body).toMatchObject({
      userId: 'nobody-at-all',
      sessions: [],
      nextCursor: null,
    });
  });
});

describe('statistics', () => {
  it('totals, per-day rows, averages, streak, labels and insights', async () => {
    const user = await signup();
    const stops = await sessions(user, 3, (i) => (i < 2 ? 'Milking' : 'Feeding'));
    const a = await call('/api/sessions/stats', { auth: user.token });
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    const active = stops.reduce((n, s) => n + s.elapsedTime, 0);
    expect(a.body).toMatchObject({
      userId: user.user.id,
      days: 7,
      totals: { sessions: 3, activeMs: active, pausedMs: 0 },
      averageMs: Math.round(active / 3),
      longestMs: Math.max(...stops.map((s) => s.elapsedTime)),
      streakDays: 1,
      cached: false,
    });
    expect(a.body.perDay).toHaveLength(7);
    expect(a.body.perDay[6]).toMatchObject({
      date: new Date().toISOString().slice(0, 10),
      sessions: 3,
      activeMs: active,
      netMs: active,
      breakMs: 0,
      breakHint: null,
    });
    expect(a.body.perDay[6].grossMs).toBe(stops.reduce((n, s) => n + s.endTime - s.startTime, 0));
    expect(a.body.labels.map((l: { label: string }) => l.label).sort()).toEqual(['Feeding', 'Milking']);
    expect(a.body.insights[0]).toMatch(/^This week: 3 sessions, .* on average; nothing last week to compare with\.$/);
    const month = await call('/api/sessions/stats?days=30&tzOffset=-60', { auth: user.token });
    expect(month.body).toMatchObject({ days: 30, totals: { sessions: 3 } });
    expect(month.body.perDay).toHaveLength(30);
  });

  it('a user with no sessions gets zeros', async () => {
    const user = await signup();
    const a = await call('/api/sessions/stats?days=1', { auth: user.token });
    expect(a.body).toMatchObject({
      totals: { sessions: 0, activeMs: 0, pausedMs: 0 },
      averageMs: 0,
      longestMs: 0,
      streakDays: 0,
      labels: [],
      insights: ['No sessions today.'],
    });
  });
});

describe('export', () => {
  it('exports the whole history as CSV, guarding against spreadsheet formulas', async () => {
    const user = await signup();
    const stops = await sessions(user, 2, (i) => (i === 0 ? '=HYPERLINK("x")' : 'Plain, with "quotes"'));
    const res = await call('/api/sessions/export.csv', { auth: user.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/csv/);
    expect(res.headers.get('Content-Disposition')).toBe(`attachment; filename="sessions-${user.user.id}.csv"`);
    // The object keeps every entry: the export is whole even without Postgres.
    expect(res.headers.get('X-Keeptime-Partial')).toBeNull();
    const lines = (res.body as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'id,label,start_time,end_time,duration_ms,elapsed_ms,paused_ms,pauses,auto_stopped,pause_segments,project,client,task,tags,version,edited_at',
    );
    expect(lines).toHaveLength(3);
    // Every text cell is quoted (worker/lib/csv.test.ts covers the hostile cells).
    expect(lines[1]).toContain(
      `"${stops[1].id}","Plain, with ""quotes""","${new Date(stops[1].startTime).toISOString()}"`,
    );
    expect(lines[2]).toContain(`"${stops[0].id}","'=HYPERLINK(""x"")"`);
  });
});
