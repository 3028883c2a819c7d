/**
 * Live sessions: commands and the socket (routed to the caller's own
 * UserSession object), and history, statistics and CSV export read from
 * Postgres through the cache, falling back to the object's recent sessions
 * when Postgres cannot answer.
 */
import { inArray } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { LIMITS } from '../../core/errors.ts';
import {
  type SessionCommandInput,
  activityBody,
  idleAnswerBody,
  sessionGuardBody,
  sessionSettingsBody,
  startSessionBody,
  updateSessionBody,
} from '../../core/protocol.ts';
import { type Cursor, decodeCursor, mergePage } from '../../core/sessions/history.ts';
import { sessionStats } from '../../core/sessions/stats.ts';
import { longestPause } from '../../core/sessions/entries.ts';
import { instantQuery } from '../../core/sessions/entry-protocol.ts';
import { usersTable } from '../../drizzle/schema.ts';
import { type EntryFilter, entryLists } from '../lib/entry-source.ts';
import type { AppEnv } from '../app-types.ts';
import { readEntries } from '../lib/entry-calls.ts';
import { csvResponse, iso, toCsv } from '../lib/csv.ts';
import { accessHeaderValue } from '../lib/access.ts';
import { unwrap } from '../lib/answer.ts';
import { ApiError } from '../lib/errors.ts';
import { openDb } from '../../durable-objects/platform/mirrors/clients.ts';
import { opsStub, sessionStub } from '../../durable-objects/platform/stubs.ts';
import { peerHeader } from '../../durable-objects/platform/limits-config.ts';
import { requireAdmin, requireUser, sessionHeaders } from '../middleware/auth.ts';
import { cacheResponse } from '../middleware/cache.ts';
import { readJson, readQuery } from '../middleware/validate.ts';

const DAY_MS = 86_400_000;
/** Statistics look this far back at least, so a streak can be longer than the period. */
const STREAK_LOOKBACK_DAYS = 366;
const EXPORT_LIMIT = 100_000;

const userIdParam = z.string().min(1).max(64);
/** Session tokens may come as ?token= (for simple clients); the auth middleware reads them. */
const tokenParam = z.string().max(4096).optional();
/** Filters history and CSV share: project, task, tag, and a range on the start time ([from, to)). */
const filterFields = {
  projectId: z.string().min(1).max(64).optional(),
  taskId: z.string().min(1).max(64).optional(),
  tag: z.string().trim().min(1).max(80).optional(),
  from: instantQuery.optional(),
  to: instantQuery.optional(),
};
const historyQuery = z.strictObject({
  userId: userIdParam.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(200).optional(),
  token: tokenParam,
  ...filterFields,
});
const filterOf = (q: { projectId?: string; taskId?: string; tag?: string; from?: number; to?: number }) => {
  if (q.from !== undefined && q.to !== undefined && q.to <= q.from)
    throw new ApiError('validation_failed', 'to: must be after from');
  return {
    projectId: q.projectId ?? null,
    taskId: q.taskId ?? null,
    tag: q.tag ?? null,
    from: q.from ?? null,
    to: q.to ?? null,
  } satisfies Omit<EntryFilter, 'limit'>;
};
/** The cache key part of the filters. */
const filterKey = (q: Parameters<typeof filterOf>[0]) =>
  [q.projectId, q.taskId, q.tag?.toLowerCase(), q.from, q.to].map((v) => encodeURIComponent(String(v ?? ''))).join(':');
const statsQuery = z.strictObject({
  userId: userIdParam.optional(),
  days: z.coerce.number().int().min(1).max(365).default(7),
  /** Minutes, as `Date#getTimezoneOffset()` returns them (UTC−5 is 300). */
  tzOffset: z.coerce.number().int().min(-840).max(840).default(0),
  token: tokenParam,
});
const ownerQuery = z.strictObject({ userId: userIdParam.optional(), token: tokenParam });
const exportQuery = z.strictObject({ userId: userIdParam.optional(), token: tokenParam, ...filterFields });

/** Whose sessions the caller may read: their own; admins, anyone's. */
function readableUser(c: Context<AppEnv>, requested: string | undefined): string {
  const user = requireUser(c);
  if (requested === undefined || requested === user.id) return user.id;
  if (user.role !== 'admin') throw new ApiError('forbidden', 'You can only read your own sessions');
  return requested;
}

function idempotencyKey(c: Context<AppEnv>): string | null {
  const key = c.req.header('Idempotency-Key');
  if (key === undefined) return null;
  if (key.length === 0 || key.length > LIMITS.idempotencyKey)
    throw new ApiError('validation_failed', `Idempotency-Key must be 1–${LIMITS.idempotencyKey} characters`);
  return key;
}

/** The device a command came from: the body's `device`, else the X-Keeptime-Device header (at most 80 characters). */
function deviceOf(c: Context<AppEnv>, body: { device?: string | undefined }): string | null {
  const name = (body.device ?? c.req.header('X-Keeptime-Device') ?? '').trim().slice(0, 80);
  return name || null;
}

/**
 * The command a body names: start takes {label?, projectId?, taskId?, tags?, focus?}; pause, resume
 * and stop take no body or {sessionId?, baseVersion?}; PUT current takes what changes; idle takes {choice}.
 */
async function readCommand(
  c: Context<AppEnv>,
  type: SessionCommandInput['type'],
): Promise<{ input: SessionCommandInput; device: string | null }> {
  switch (type) {
    case 'start': {
      const { device, ...b } = await readJson(c, startSessionBody);
      return { input: { type, ...b }, device: deviceOf(c, { device }) };
    }
    case 'update': {
      const { device, ...b } = await readJson(c, updateSessionBody);
      return { input: { type, ...b }, device: deviceOf(c, { device }) };
    }
    case 'idle-answer': {
      const { device, ...b } = await readJson(c, idleAnswerBody);
      return { input: { type, ...b }, device: deviceOf(c, { device }) };
    }
    default: {
      const { device, ...b } = await readJson(c, sessionGuardBody);
      return { input: { type, ...b }, device: deviceOf(c, { device }) };
    }
  }
}

/** POST /sessions/{start|pause|resume|stop|idle}, PUT /sessions/current: the same handler the socket reaches. */
const command = (type: SessionCommandInput['type']) => async (c: Context<AppEnv>) => {
  const user = requireUser(c);
  const { input, device } = await readCommand(c, type);
  const answer = await sessionStub(c.env, user.id).command(user.id, input, idempotencyKey(c), device);
  if (!answer.ok) throw new ApiError(answer.code, answer.message, answer.details);
  return c.json(answer.value, type === 'start' ? 201 : 200);
};

function parseCursor(raw: string | undefined): Cursor | null {
  if (raw === undefined) return null;
  const cursor = decodeCursor(raw);
  if (!cursor) throw new ApiError('validation_failed', 'cursor: not a cursor this API issued');
  return cursor;
}

/**
 * The user's history version (it moves on every stop). Cache keys carry it, so
 * a page cached before a stop is never served after it, even before the
 * mirror catches up and invalidates the tag.
 */
const historyVersion = (c: Context<AppEnv>, userId: string) => sessionStub(c.env, userId).historyVersion(userId);

/** Today's date at the caller's offset, so a cached statistics answer never outlives its day. */
const localDate = (now: number, tzOffset: number) => new Date(now - tzOffset * 60_000).toISOString().slice(0, 10);

/** Names and emails of users, from the mirrored users table; empty when Postgres is unavailable. */
async function userNames(c: Context<AppEnv>, ids: string[]): Promise<Map<string, { name: string; email: string }>> {
  const db = ids.length ? openDb(c.env) : null;
  if (!db) return new Map();
  try {
    const rows = await db
      .select({ id: usersTable.id, name: usersTable.name, email: usersTable.email })
      .from(usersTable)
      .where(inArray(usersTable.id, ids));
    return new Map(rows.map((r) => [r.id, { name: r.name, email: r.email }]));
  } catch {
    return new Map();
  } finally {
    db.$client.end().catch(() => {});
  }
}

export const sessionRoutes = new Hono<AppEnv>()
  // ── Commands ─────────────────────────────────────────────────────────
  .post('/sessions/start', command('start'))
  .post('/sessions/pause', command('pause'))
  .post('/sessions/resume', command('resume'))
  .post('/sessions/stop', command('stop'))
  // ── Live clock (issue 14): what the session is for, activity, "Still working?", idle settings ──
  .put('/sessions/current', command('update'))
  .post('/sessions/idle', command('idle-answer'))
  .post('/sessions/activity', async (c) => {
    const user = requireUser(c);
    idempotencyKey(c); // Validated like every session POST; activity is idempotent by nature.
    const { at } = await readJson(c, activityBody);
    return c.json(unwrap(await sessionStub(c.env, user.id).activity(user.id, at ?? null)));
  })
  .get('/sessions/settings', async (c) => {
    const user = requireUser(c);
    readQuery(c, z.strictObject({ token: tokenParam }));
    return c.json(unwrap(await sessionStub(c.env, user.id).idleSettings(user.id)));
  })
  .put('/sessions/settings', async (c) => {
    const user = requireUser(c);
    const change = await readJson(c, sessionSettingsBody);
    return c.json(unwrap(await sessionStub(c.env, user.id).updateIdleSettings(user.id, change)));
  })
  .get('/sessions/current', async (c) => {
    const userId = readableUser(c, readQuery(c, ownerQuery).userId);
    const state = await sessionStub(c.env, userId).current(userId);
    if (!state) throw new ApiError('forbidden', 'This is another user’s session');
    return c.json(state);
  })
  // ── Live connection: always the caller's own object ─────────────────
  .get('/sessions/ws', async (c) => {
    if (c.req.header('Upgrade')?.toLowerCase() !== 'websocket')
      throw new ApiError('upgrade_required', 'Open this route as a WebSocket', undefined, 426);
    const user = requireUser(c);
    const device = c.req.query('device')?.slice(0, 80);
    const access = { userId: user.id, ticks: c.req.query('ticks') === '1', ...(device ? { device } : {}) };
    return sessionStub(c.env, user.id).fetch(
      new Request(c.req.url, {
        headers: {
          Upgrade: 'websocket',
          'X-KT-Access': accessHeaderValue(access),
          ...sessionHeaders(c),
          ...peerHeader(c.req.header('CF-Connecting-IP')),
        },
      }),
    );
  })
  // ── Admins: everyone's sessions in progress ──────────────────────────
  .get('/sessions/active', async (c) => {
    requireAdmin(c);
    const userIds = await opsStub(c.env).activeSessions();
    const states = await Promise.all(userIds.map((id) => sessionStub(c.env, id).current(id)));
    const active = states.filter(
      (s): s is NonNullable<typeof s> => s !== null && (s.status === 'running' || s.status === 'paused'),
    );
    const users = await userNames(
      c,
      active.map((s) => s.userId),
    );
    const sessions = active.map((s) => ({ ...s, user: users.get(s.userId) ?? null }));
    return c.json({ sessions, serverTime: Date.now() });
  })
  // ── History ──────────────────────────────────────────────────────────
  .get(
    '/sessions',
    async function authorise(c, next) {
      // Before the cache: a hit must never skip the access check.
      readableUser(c, readQuery(c, historyQuery).userId);
      await next();
    },
    cacheResponse({
      tier: 'medium',
      key: async (c) => {
        const q = readQuery(c, historyQuery);
        const userId = readableUser(c, q.userId);
        return `sessions:list:${userId}:${await historyVersion(c, userId)}:${q.limit}:${q.cursor ?? ''}:${filterKey(q)}`;
      },
      tags: (c) => [`sessions:${readableUser(c, readQuery(c, historyQuery).userId)}`],
    }),
    async (c) => {
      const q = readQuery(c, historyQuery);
      const userId = readableUser(c, q.userId);
      const after = parseCursor(q.cursor);
      const { lists, partial } = await entryLists(c, userId, { ...filterOf(q), before: after, limit: q.limit + 1 });
      const page = mergePage(lists, q.limit, after);
      return c.json({
        userId,
        sessions: page.sessions,
        nextCursor: page.nextCursor,
        cached: false,
        ...(partial ? { partial: true } : {}),
      });
    },
  )
  .get(
    '/sessions/stats',
    async function authorise(c, next) {
      readableUser(c, readQuery(c, statsQuery).userId);
      await next();
    },
    cacheResponse({
      tier: 'medium',
      key: async (c) => {
        const q = readQuery(c, statsQuery);
        const userId = readableUser(c, q.userId);
        return `sessions:stats:${userId}:${await historyVersion(c, userId)}:${q.days}:${q.tzOffset}:${localDate(Date.now(), q.tzOffset)}`;
      },
      tags: (c) => [`sessions:${readableUser(c, readQuery(c, statsQuery).userId)}`],
    }),
    async (c) => {
      const q = readQuery(c, statsQuery);
      const userId = readableUser(c, q.userId);
      const now = Date.now();
      // Whole local days: the period and the one before it, or the streak's reach, plus a day of slack for the offset.
      const since = now - (Math.max(2 * q.days, STREAK_LOOKBACK_DAYS) + 1) * DAY_MS;
      const [{ lists, partial }, extra] = await Promise.all([
        entryLists(c, userId, { from: since, limit: 50_000, overlaps: false }),
        readEntries(c.env, userId, 'reportData', { from: now, to: now }),
      ]);
      const rule = extra.breakRule;
      const sessions = mergePage(lists, Number.MAX_SAFE_INTEGER, null).sessions.map((s) => ({
        startTime: s.startTime,
        elapsedMs: s.elapsedTime,
        pausedMs: s.pausedTime,
        label: s.label,
        autoStopped: s.autoStopped,
        projectId: s.projectId,
        longestPauseMs: longestPause(s),
        qualifyingBreakMs: s.pauseSegments
          .map((p) => (p.resumedAt ?? p.pausedAt) - p.pausedAt)
          .filter((ms) => ms >= (rule?.minPauseMs ?? 0))
          .reduce((n, ms) => n + ms, 0),
      }));
      const stats = sessionStats(sessions, {
        now,
        days: q.days,
        tzOffsetMinutes: q.tzOffset,
        breakRule: rule,
        projects: extra.projects,
      });
      return c.json({ userId, ...stats, cached: false, ...(partial ? { partial: true } : {}) });
    },
  )
  .get('/sessions/export.csv', async (c) => {
    const q = readQuery(c, exportQuery);
    const userId = readableUser(c, q.userId);
    const [{ lists, partial }, names] = await Promise.all([
      entryLists(c, userId, { ...filterOf(q), limit: EXPORT_LIMIT, overlaps: false }),
      readEntries(c.env, userId, 'reportData', { from: 0, to: 0 }),
    ]);
    const projects = new Map(names.projects.map((p) => [p.id, p]));
    const tasks = new Map(names.tasks.map((t) => [t.id, t]));
    const { sessions } = mergePage(lists, EXPORT_LIMIT, null);
    const rows = sessions.map((s) => [
      s.id,
      s.label,
      iso(s.startTime),
      iso(s.endTime),
      s.duration,
      s.elapsedTime,
      s.pausedTime,
      s.pauseSegments.length,
      s.autoStopped,
      JSON.stringify(s.pauseSegments.map((p) => [iso(p.pausedAt), iso(p.resumedAt)])),
      s.projectId ? (projects.get(s.projectId)?.name ?? '') : '',
      s.projectId ? (projects.get(s.projectId)?.client ?? '') : '',
      s.taskId ? (tasks.get(s.taskId)?.title ?? '') : '',
      s.tags.join('; '),
      s.version,
      s.editedAt === null ? '' : iso(s.editedAt),
    ]);
    const res = csvResponse(
      `sessions-${userId}.csv`,
      toCsv(
        [
          'id',
          'label',
          'start_time',
          'end_time',
          'duration_ms',
          'elapsed_ms',
          'paused_ms',
          'pauses',
          'auto_stopped',
          'pause_segments',
          'project',
          'client',
          'task',
          'tags',
          'version',
          'edited_at',
        ],
        rows,
      ),
    );
    // Postgres could not answer: this is only what the session object keeps (its most recent sessions).
    if (partial) res.headers.set('X-Keeptime-Partial', 'true');
    return res;
  });
