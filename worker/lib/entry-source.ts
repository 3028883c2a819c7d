/**
 * Where history, statistics, CSV and reports read entries from: the user's
 * object, which keeps every entry since its horizon (authoritative, edits
 * included), and Postgres for entries older than the horizon (the object
 * dropped them past its cap, or kept only its recent ones before it kept all).
 * With no horizon, Postgres is not asked at all.
 */
import { and, desc, eq, gte, isNull, lt, or, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { type Cursor, type HistoryItem, type StoppedSession, historyItem } from '../../core/sessions/history.ts';
import { sessionsTable } from '../../drizzle/schema.ts';
import { openDb } from '../../durable-objects/platform/mirrors/clients.ts';
import { sessionStub } from '../../durable-objects/platform/stubs.ts';
import type { AppEnv } from '../app-types.ts';

export interface EntryFilter {
  before?: Cursor | null;
  /** Start time at or after (ms). */
  from?: number | null;
  /** Start time before (ms). */
  to?: number | null;
  projectId?: string | null;
  taskId?: string | null;
  tag?: string | null;
  limit: number;
  /** Whether items list their overlaps (default true; statistics, CSV and reports skip them). */
  overlaps?: boolean;
}

type Row = typeof sessionsTable.$inferSelect;
const fromRow = (r: Row): StoppedSession => ({
  id: r.id,
  label: r.label,
  startTime: r.startTime.getTime(),
  endTime: (r.endTime ?? r.startTime).getTime(),
  durationMs: r.durationMs ?? 0,
  elapsedMs: r.elapsedMs,
  pausedMs: r.pausedMs,
  pauseSegments: r.pauseSegments,
  autoStopped: r.autoStopped,
  version: r.version,
  projectId: r.projectId,
  taskId: r.taskId,
  tags: r.tags,
  source: r.source,
  createdAt: r.createdAt.getTime(),
  editedAt: r.editedAt?.getTime() ?? null,
  stopReason: r.stopReason,
});

/** Completed, not deleted rows of `userId` starting before `horizon`, matching `f`; null when Postgres cannot answer. */
async function fromDb(c: Context<AppEnv>, userId: string, horizon: number, f: EntryFilter) {
  const db = openDb(c.env);
  if (!db) return null;
  const t = sessionsTable;
  const upper = Math.min(horizon, f.to ?? Number.MAX_SAFE_INTEGER);
  try {
    const rows = await db
      .select()
      .from(t)
      .where(
        and(
          eq(t.userId, userId),
          eq(t.status, 'completed'),
          isNull(t.deletedAt),
          lt(t.startTime, new Date(upper)),
          f.from ? gte(t.startTime, new Date(f.from)) : undefined,
          f.before
            ? or(
                lt(t.startTime, new Date(f.before.startTime)),
                and(eq(t.startTime, new Date(f.before.startTime)), lt(t.id, f.before.id)),
              )
            : undefined,
          f.projectId ? eq(t.projectId, f.projectId) : undefined,
          f.taskId ? eq(t.taskId, f.taskId) : undefined,
          f.tag
            ? sql`exists (select 1 from jsonb_array_elements_text(${t.tags}) as g where lower(g) = ${f.tag.toLowerCase()})`
            : undefined,
        ),
      )
      .orderBy(desc(t.startTime), desc(t.id))
      .limit(f.limit);
    return rows.map(fromRow);
  } catch (err) {
    console.warn(
      JSON.stringify({
        level: 'warn',
        msg: 'session history unavailable',
        requestId: c.var.requestId,
        error: String(err).slice(0, 200),
      }),
    );
    return null;
  } finally {
    db.$client.end().catch(() => {});
  }
}

/**
 * Entries matching `f` from both sources, as history items (one list per
 * source, for mergePage). `partial` when Postgres had to answer and could not.
 */
export async function entryLists(
  c: Context<AppEnv>,
  userId: string,
  f: EntryFilter,
): Promise<{ lists: HistoryItem[][]; partial: boolean }> {
  const page = await sessionStub(c.env, userId).entryPage(userId, {
    before: f.before ?? null,
    from: f.from ?? null,
    to: f.to ?? null,
    projectId: f.projectId ?? null,
    taskId: f.taskId ?? null,
    tag: f.tag ?? null,
    limit: f.limit,
    overlaps: f.overlaps ?? true,
  });
  const own = page.entries.map((e) => historyItem(userId, e));
  const needDb = page.horizon > 0 && (f.from ?? 0) < page.horizon;
  if (!needDb) return { lists: [own], partial: false };
  const db = await fromDb(c, userId, page.horizon, f);
  return { lists: [own, (db ?? []).map((s) => historyItem(userId, s))], partial: db === null };
}
