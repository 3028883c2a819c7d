/**
 * Session entries through the real mirrors: an entry's edits, delete and
 * restore land in Postgres exactly once (the row at its last version, one
 * trail row per version), a deleted entry is marked, projects and tasks are
 * mirrored, and an edit is never hidden by the history cache.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, member, sleep, startHarness, waitFor } from '../../support/live/harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

const H = 3_600_000;
const DAY0 = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000 + 9 * H;

async function row(id: string) {
  const { rows } = await h.db.execute<{
    version: number;
    label: string | null;
    deleted_at: Date | null;
    project_id: string | null;
    tags: string[];
    source: string;
    duration_ms: string;
  }>(sql`select version, label, deleted_at, project_id, tags, source, duration_ms from sessions where id = ${id}`);
  return rows;
}

async function edits(id: string) {
  const { rows } = await h.db.execute<{ version: number; op: string; actor_id: string; before: any; after: any }>(
    sql`select version, op, actor_id, before, after from session_edits where session_id = ${id} order by version`,
  );
  return rows;
}

describe('session entries mirrored to Postgres', () => {
  it('create, edit, delete and restore land once each; the row ends at the last version', async () => {
    const u = await member(h, 'entries-mirror');
    const p = await h.api('POST', '/api/projects', { name: 'Dairy', client: 'Farm' }, u.token);
    expect(p.status).toBe(201);
    const project = p.json.project;
    const made = await h.api(
      'POST',
      '/api/sessions/entries',
      { startTime: DAY0, endTime: DAY0 + H, label: 'first', tags: ['barn'] },
      u.token,
    );
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    const id = made.json.entry.id as string;
    const edited = await h.api(
      'PUT',
      `/api/sessions/${id}`,
      { baseVersion: 1, label: 'second', projectId: project.id, endTime: DAY0 + 2 * H },
      u.token,
    );
    expect(edited.status, JSON.stringify(edited.json)).toBe(200);
    expect((await h.api('DELETE', `/api/sessions/${id}`, undefined, u.token)).status).toBe(200);
    const deleted = await waitFor('the deleted entry marked in Postgres', async () => {
      const r = await row(id);
      return r.length === 1 && r[0]!.version === 3 && r[0]!.deleted_at !== null ? r : null;
    });
    expect(deleted[0]).toMatchObject({ label: 'second', project_id: project.id, source: 'manual' });
    expect((await h.api('POST', `/api/sessions/${id}/restore`, undefined, u.token)).status).toBe(200);
    const restored = await waitFor('the restored entry in Postgres', async () => {
      const r = await row(id);
      return r[0]?.version === 4 ? r : null;
    });
    expect(restored).toHaveLength(1);
    expect(restored[0]).toMatchObject({ deleted_at: null, label: 'second', tags: ['barn'] });
    expect(Number(restored[0]!.duration_ms)).toBe(2 * H);

    const trail = await waitFor('four trail rows', async () => {
      const r = await edits(id);
      return r.length >= 4 ? r : null;
    });
    expect(trail.map((t) => [t.version, t.op])).toEqual([
      [1, 'create'],
      [2, 'update'],
      [3, 'delete'],
      [4, 'restore'],
    ]);
    expect(trail[1]).toMatchObject({ actor_id: u.id, before: { label: 'first' }, after: { label: 'second' } });

    // Kicking the outbox again writes nothing twice.
    await h.api('POST', '/api/ops/outbox/kick', undefined, h.adminToken);
    await sleep(1_000);
    expect(await edits(id)).toHaveLength(4);
    expect(await row(id)).toHaveLength(1);

    const projects = await waitFor('the project in Postgres', async () => {
      const { rows } = await h.db.execute<{ name: string; client: string; user_id: string }>(
        sql`select name, client, user_id from projects where id = ${project.id}`,
      );
      return rows.length ? rows : null;
    });
    expect(projects).toEqual([{ name: 'Dairy', client: 'Farm', user_id: u.id }]);
  });

  it('tasks are mirrored, a deleted task is marked', async () => {
    const u = await member(h, 'tasks-mirror');
    const project = (await h.api('POST', '/api/projects', { name: 'P' }, u.token)).json.project;
    const task = (await h.api('POST', `/api/projects/${project.id}/tasks`, { title: 'T', estimateMs: H }, u.token)).json
      .task;
    expect((await h.api('PUT', `/api/tasks/${task.id}`, { done: true }, u.token)).status).toBe(200);
    expect((await h.api('DELETE', `/api/tasks/${task.id}`, undefined, u.token)).status).toBe(204);
    const rows = await waitFor('the deleted task in Postgres', async () => {
      const { rows } = await h.db.execute<{
        version: number;
        done: boolean;
        deleted_at: Date | null;
        estimate_ms: string;
      }>(sql`select version, done, deleted_at, estimate_ms from tasks where id = ${task.id}`);
      return rows[0]?.version === 3 ? rows : null;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ done: true });
    expect(rows[0]!.deleted_at).not.toBeNull();
    expect(Number(rows[0]!.estimate_ms)).toBe(H);
  });

  it('the history cache never hides an edit', async () => {
    const u = await member(h, 'entries-cache');
    const made = await h.api(
      'POST',
      '/api/sessions/entries',
      { startTime: DAY0, endTime: DAY0 + H, label: 'old' },
      u.token,
    );
    const id = made.json.entry.id as string;
    const list = () => h.api('GET', '/api/sessions?limit=10', undefined, u.token);
    await waitFor(
      'a HIT',
      async () => {
        const r = await list();
        return r.headers.get('X-Cache') === 'HIT' ? r : null;
      },
      10_000,
      100,
    );
    expect((await h.api('PUT', `/api/sessions/${id}`, { baseVersion: 1, label: 'new' }, u.token)).status).toBe(200);
    // At once, before the mirror drains: the cache key moves with the object's revision.
    const after = await list();
    expect(after.json.sessions.map((s: { label: string }) => s.label)).toEqual(['new']);
    expect(after.headers.get('X-Cache')).not.toBe('HIT');
    expect((await h.api('DELETE', `/api/sessions/${id}`, undefined, u.token)).status).toBe(200);
    expect((await list()).json.sessions).toEqual([]);
  });
});
