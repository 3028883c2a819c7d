/**
 * GET /api/sessions/report: totals, a per-project table, per-day rows (with
 * the break rule's hints) and per-task groups for a date range, computed
 * from the user's entries (core/sessions/report.ts).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { mergePage } from '../../core/sessions/history.ts';
import { instantQuery } from '../../core/sessions/entry-protocol.ts';
import { buildReport } from '../../core/sessions/report.ts';
import type { AppEnv } from '../app-types.ts';
import { readEntries } from '../lib/entry-calls.ts';
import { entryLists } from '../lib/entry-source.ts';
import { ApiError } from '../lib/errors.ts';
import { readableUser, tokenParam, userIdParam } from '../lib/readable-user.ts';
import { readQuery } from '../middleware/validate.ts';

const DAY_MS = 86_400_000;
/** The longest range a report covers. */
export const REPORT_MAX_DAYS = 400;
const REPORT_ENTRIES = 20_000;

const reportQuery = z.strictObject({
  userId: userIdParam.optional(),
  from: instantQuery.optional(),
  to: instantQuery.optional(),
  projectId: z.string().min(1).max(64).optional(),
  tzOffset: z.coerce.number().int().min(-840).max(840).default(0),
  token: tokenParam,
});

export const sessionReportRoutes = new Hono<AppEnv>().get('/sessions/report', async (c) => {
  const q = readQuery(c, reportQuery);
  const userId = readableUser(c, q.userId);
  const now = Date.now();
  const to = q.to ?? now;
  const from = q.from ?? to - 7 * DAY_MS;
  if (to <= from) throw new ApiError('validation_failed', 'to: must be after from');
  if (to - from > REPORT_MAX_DAYS * DAY_MS)
    throw new ApiError('validation_failed', `A report covers at most ${REPORT_MAX_DAYS} days`);
  const [{ lists, partial }, data] = await Promise.all([
    entryLists(c, userId, { from, to, projectId: q.projectId ?? null, limit: REPORT_ENTRIES, overlaps: false }),
    readEntries(c.env, userId, 'reportData', { from: 0, to: 0 }),
  ]);
  const entries = mergePage(lists, REPORT_ENTRIES, null).sessions.map((s) => ({
    id: s.id,
    startTime: s.startTime,
    durationMs: s.duration,
    elapsedMs: s.elapsedTime,
    pausedMs: s.pausedTime,
    pauseSegments: s.pauseSegments,
    projectId: s.projectId,
    taskId: s.taskId,
  }));
  const report = buildReport(entries, data.projects, data.tasks, {
    from,
    to,
    tzOffsetMinutes: q.tzOffset,
    projectId: q.projectId ?? null,
    breakRule: data.breakRule,
  });
  return c.json({ userId, ...report, generatedAt: now, ...(partial ? { partial: true } : {}) });
});
