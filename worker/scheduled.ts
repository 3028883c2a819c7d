/**
 * The cron trigger: re-kick objects whose outbox has rows pending too long,
 * then recompute today's and yesterday's daily_stats from the history tables.
 * Stats rows are upserted with absolute values, so a repeated run cannot double-count.
 */
import { sql } from 'drizzle-orm';
import type { Env } from '../durable-objects/platform/env.ts';
import { openDb } from '../durable-objects/platform/mirrors/clients.ts';
import { objectStub, opsStub } from '../durable-objects/platform/stubs.ts';

const STALL_THRESHOLD_MS = 60_000;

export async function rekickStalled(env: Env, olderThanMs = STALL_THRESHOLD_MS): Promise<number> {
  const refs = await opsStub(env).stalled(olderThanMs);
  // In parallel: one slow object must not hold up the others.
  const results = await Promise.allSettled(
    refs.map((ref) => objectStub(env, ref)?.kick() ?? Promise.reject(new Error(`no stub for ${ref.kind}`))),
  );
  let kicked = 0;
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') kicked++;
    else console.warn(JSON.stringify({ level: 'warn', msg: 'rekick failed', ref: refs[i], error: String(r.reason) }));
  });
  return kicked;
}

/** Recomputes daily_stats (global scope, and per room for timer runs) for the last `days` days. */
async function computeDailyStats(env: Env, days = 2): Promise<boolean> {
  const db = openDb(env);
  if (!db) return false;
  try {
    await db.execute(sql`
      insert into daily_stats (date, scope, subject, sessions, active_ms, paused_ms, timer_runs, overtime_ms, updated_at)
      select d::date, 'global', 'all',
        (select count(*) from sessions s where s.start_time >= d and s.start_time < d + interval '1 day'),
        coalesce((select sum(s.elapsed_ms) from sessions s where s.start_time >= d and s.start_time < d + interval '1 day'), 0),
        coalesce((select sum(s.paused_ms) from sessions s where s.start_time >= d and s.start_time < d + interval '1 day'), 0),
        (select count(*) from timer_runs r where r.started_at >= d and r.started_at < d + interval '1 day'),
        coalesce((select sum(r.overtime_ms) from timer_runs r where r.started_at >= d and r.started_at < d + interval '1 day'), 0),
        now()
      from generate_series(date_trunc('day', now()) - make_interval(days => ${days - 1}), date_trunc('day', now()), interval '1 day') as d
      on conflict (scope, subject, date) do update set
        sessions = excluded.sessions, active_ms = excluded.active_ms, paused_ms = excluded.paused_ms,
        timer_runs = excluded.timer_runs, overtime_ms = excluded.overtime_ms, updated_at = excluded.updated_at`);
    await db.execute(sql`
      insert into daily_stats (date, scope, subject, timer_runs, overtime_ms, updated_at)
      select date_trunc('day', r.started_at)::date, 'room', r.room_id, count(*), coalesce(sum(r.overtime_ms), 0), now()
      from timer_runs r
      where r.started_at >= date_trunc('day', now()) - make_interval(days => ${days - 1})
      group by 1, 3
      on conflict (scope, subject, date) do update set timer_runs = excluded.timer_runs, overtime_ms = excluded.overtime_ms, updated_at = excluded.updated_at`);
    return true;
  } catch (err) {
    console.warn(JSON.stringify({ level: 'warn', msg: 'daily stats failed', error: String(err).slice(0, 300) }));
    return false;
  } finally {
    db.$client.end().catch(() => {});
  }
}

export async function scheduled(_controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
  ctx.waitUntil(
    (async () => {
      const kicked = await rekickStalled(env);
      const stats = await computeDailyStats(env);
      console.log(JSON.stringify({ level: 'info', msg: 'cron', kicked, dailyStats: stats }));
    })(),
  );
}
