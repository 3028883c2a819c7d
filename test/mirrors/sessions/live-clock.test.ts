/**
 * The live clock (issue 14) through the real mirrors: what a session is for (project, task, tags) set at start and
 * changed while running reaches its Postgres row, with each event mirrored exactly once.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, member, startHarness, waitFor } from '../../support/live/harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

describe('live clock mirrored to Postgres', () => {
  it('project, task, tags and label changes land on the session row; stop_reason says how it ended', async () => {
    const u = await member(h, 'live-clock');
    const project = await h.api('POST', '/api/projects', { name: 'Dairy' }, u.token);
    expect(project.status).toBe(201);
    const projectId = (project.json as { project: { id: string } }).project.id;
    const task = await h.api('POST', `/api/projects/${projectId}/tasks`, { title: 'Milking' }, u.token);
    const taskId = (task.json as { task: { id: string } }).task.id;
    const start = await h.api('POST', '/api/sessions/start', { label: 'Morning', projectId, tags: ['barn'] }, u.token);
    expect(start.status).toBe(201);
    const upd = await h.api(
      'PUT',
      '/api/sessions/current',
      { taskId, label: 'Morning milking', tags: ['barn', 'cows'] },
      u.token,
    );
    expect(upd.status).toBe(200);
    expect((await h.api('POST', '/api/sessions/stop', undefined, u.token)).status).toBe(200);
    const row = await waitFor(
      'the stopped session with its project in Postgres',
      async () => {
        const { rows } = await h.db.execute<{
          status: string;
          label: string;
          project_id: string | null;
          task_id: string | null;
          tags: string[];
          stop_reason: string | null;
        }>(sql`select status, label, project_id, task_id, tags, stop_reason from sessions where user_id = ${u.id}`);
        return rows.length === 1 && rows[0]?.status === 'completed' ? rows[0] : null;
      },
      60_000,
      500,
    );
    expect(row).toMatchObject({
      label: 'Morning milking',
      project_id: projectId,
      task_id: taskId,
      tags: ['barn', 'cows'],
      stop_reason: 'user',
    });
    const events = await waitFor('the three session events', async () => {
      const { rows } = await h.db.execute<{ kind: string }>(
        sql`select type as kind from events where aggregate_type = 'user-session' and aggregate_id = ${u.id}
            and type in ('session.started', 'session.updated', 'session.stopped')`,
      );
      return rows.length >= 3 ? rows.map((r) => r.kind) : null;
    });
    // Exactly once each.
    expect(events.sort()).toEqual(['session.started', 'session.stopped', 'session.updated']);
  });
});
