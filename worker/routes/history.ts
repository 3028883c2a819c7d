/** Room history from Postgres: timer runs and the action journal, as JSON (cached) and CSV. */
import { desc, eq } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { roomActionsTable, timerRunsTable } from '../../drizzle/schema.ts';
import type { AppEnv } from '../app-types.ts';
import { ApiError } from '../lib/errors.ts';
import { csvResponse, iso, toCsv } from '../lib/csv.ts';
import { openDb } from '../../durable-objects/platform/mirrors/clients.ts';
import { cacheResponse } from '../middleware/cache.ts';
import { readQuery } from '../middleware/validate.ts';
import { roomTarget } from './rooms.ts';

const historyQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  token: z.string().max(200).optional(),
});

/** Owners and controllers may read a room's history; viewers may not. Sets the room and the caller's view. */
async function authorise(c: Context<AppEnv>): Promise<string> {
  const { stub, access, roomId } = roomTarget(c, c.req.param('id') as string);
  const role = await stub.roleOf(access);
  if ('error' in role)
    throw new ApiError(
      role.error,
      role.error === 'room_not_found' ? 'No such room' : 'You cannot read this room’s history',
    );
  if (role.role === 'viewer') throw new ApiError('forbidden', 'Viewer links cannot read history');
  c.set('roomId', roomId);
  c.set('roomView', role.role === 'owner' ? 'owner' : 'link');
  return roomId;
}

type History = NonNullable<Awaited<ReturnType<typeof loadHistory>>>;

/** History as a link holder sees it: who did what by role only, never by user id. */
function forLinkHolder(h: History): History {
  return {
    runs: h.runs.map(({ startedBy: _, ...r }) => ({ ...r, startedBy: null })),
    actions: h.actions.map(({ actorId: _, ...a }) => ({ ...a, actorId: null })),
  };
}

// Defensive: a driver that hands back a null or unparsed timestamp must not turn a history read into an outage.
const ms = (d: Date | null | undefined) => (d instanceof Date ? d.getTime() : null);

async function loadHistory(c: Context<AppEnv>, roomId: string, limit: number) {
  const db = openDb(c.env);
  if (!db) return null;
  try {
    const [runs, actions] = await Promise.all([
      db
        .select()
        .from(timerRunsTable)
        .where(eq(timerRunsTable.roomId, roomId))
        .orderBy(desc(timerRunsTable.startedAt))
        .limit(limit),
      db
        .select()
        .from(roomActionsTable)
        .where(eq(roomActionsTable.roomId, roomId))
        .orderBy(desc(roomActionsTable.at))
        .limit(limit),
    ]);
    return {
      runs: runs.map((r) => ({
        id: r.id,
        timerId: r.timerId,
        label: r.label,
        mode: r.mode,
        plannedMs: r.plannedMs,
        plannedStart: ms(r.plannedStart),
        overUnderMs: r.overUnderMs,
        startedAt: ms(r.startedAt),
        finishedAt: ms(r.finishedAt),
        endedAt: ms(r.endedAt),
        status: r.status,
        endReason: r.endReason,
        elapsedMs: r.elapsedMs,
        pausedMs: r.pausedMs,
        overtimeMs: r.overtimeMs,
        startedBy: r.startedBy,
        startedByRole: r.startedByRole,
        endedByRole: r.endedByRole,
      })),
      actions: actions.map((a) => ({
        id: a.id,
        version: a.version,
        command: a.command,
        timerId: a.timerId,
        payload: a.payload,
        actorId: a.actorId,
        actorRole: a.actorRole,
        at: ms(a.at),
      })),
    };
  } catch (err) {
    console.warn(
      JSON.stringify({
        level: 'warn',
        msg: 'history unavailable',
        requestId: c.var.requestId,
        error: String(err).slice(0, 200),
      }),
    );
    return null;
  } finally {
    db.$client.end().catch(() => {});
  }
}

export const historyRoutes = new Hono<AppEnv>()
  .get(
    '/rooms/:id/history',
    async (c, next) => {
      // Authorise before the cache: a hit must never skip the access check.
      await authorise(c);
      await next();
    },
    cacheResponse({
      tier: 'short',
      // Owners and link holders see different answers (user ids), so they are cached apart.
      key: (c) => `history:${c.var.roomId}:${c.var.roomView}:${readQuery(c, historyQuery).limit}`,
      tags: (c) => [`room:${c.var.roomId}`],
    }),
    async (c) => {
      const roomId = c.var.roomId as string;
      const { limit } = readQuery(c, historyQuery);
      const history = await loadHistory(c, roomId, limit);
      if (!history)
        return c.json({ runs: [], actions: [], cached: false, partial: true, error: 'history_unavailable' });
      return c.json({ ...(c.var.roomView === 'owner' ? history : forLinkHolder(history)), cached: false });
    },
  )
  .get('/rooms/:id/history/runs.csv', async (c) => {
    const roomId = await authorise(c);
    const history = await loadHistory(c, roomId, 10_000);
    if (!history)
      throw new ApiError('history_unavailable', 'History is unavailable right now; try again shortly', undefined, 409);
    const rows = history.runs.map((r) => [
      r.label,
      r.mode,
      r.plannedMs,
      r.elapsedMs,
      r.overtimeMs,
      r.pausedMs,
      iso(r.plannedStart),
      iso(r.startedAt),
      iso(r.finishedAt),
      iso(r.endedAt),
      r.status,
      r.endReason,
      r.startedByRole,
      r.endedByRole,
      r.overUnderMs,
    ]);
    return csvResponse(
      `room-${roomId}-runs.csv`,
      toCsv(
        [
          'label',
          'mode',
          'planned_ms',
          'actual_ms',
          'overtime_ms',
          'paused_ms',
          'planned_start',
          'started_at',
          'finished_at',
          'ended_at',
          'status',
          'end_reason',
          'started_by_role',
          'ended_by_role',
          'over_under_ms',
        ],
        rows,
      ),
    );
  })
  .get('/rooms/:id/history/actions.csv', async (c) => {
    const roomId = await authorise(c);
    const history = await loadHistory(c, roomId, 10_000);
    if (!history)
      throw new ApiError('history_unavailable', 'History is unavailable right now; try again shortly', undefined, 409);
    const rows = history.actions.map((a) => [
      iso(a.at),
      a.command,
      a.timerId,
      a.actorRole,
      a.version,
      JSON.stringify(a.payload),
    ]);
    return csvResponse(
      `room-${roomId}-actions.csv`,
      toCsv(['at', 'command', 'timer_id', 'actor_role', 'version', 'payload'], rows),
    );
  });
