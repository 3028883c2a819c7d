/**
 * Racks: leases (claim, heartbeat, pause, resume, release), rack sessions,
 * batch sync and the floor board. Every command goes to the rack's own Rack
 * object; the floor board and the available list come from the Floor object.
 */
import { desc, eq } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import {
  isFloorId,
  rackClaimBody,
  rackCompleteBody,
  rackFloorQuery,
  rackForceReleaseBody,
  rackHeartbeatBody,
  rackIdParam,
  rackLeaseBody,
  syncBatchBody,
} from '../../core/protocol.ts';
import { breakBody, handoffBody } from '../../core/racks/protocol.ts';
import { blindSummary, isBlindSummary } from '../../core/racks/blind.ts';
import type { AuditSummary } from '../../core/racks/summary.ts';
import { rackSessionsTable } from '../../drizzle/schema.ts';
import { rackOfSession } from '../../durable-objects/racks/seed.ts';
import { floorStub, rackStub, warehouseStub } from '../../durable-objects/platform/stubs.ts';
import { peerHeader, readLimits } from '../../durable-objects/platform/limits-config.ts';
import type { RackSessionRecord, RackStatus } from '../../durable-objects/racks/view.ts';
import type { AppEnv } from '../app-types.ts';
import { type Answer, refuse } from '../../core/errors.ts';
import { unwrap } from '../lib/answer.ts';
import { ApiError } from '../lib/errors.ts';
import { openDb } from '../../durable-objects/platform/mirrors/clients.ts';
import { requireAdmin, requireUser, sessionHeaders } from '../middleware/auth.ts';
import { cacheResponse } from '../middleware/cache.ts';
import { check, readJson, readQuery } from '../middleware/validate.ts';

const tokenOnly = z.strictObject({ token: z.string().max(4096).optional() });

/** A well-formed rack id; whether the layout has it is the Rack object's answer (404 rack_not_found). */
export function rackParam(c: Context<AppEnv>): string {
  return check(rackIdParam, c.req.param('rackId'));
}

/** The rack a session id names; 404 for an id no rack could have issued. */
function sessionRack(c: Context<AppEnv>): { sessionId: string; rackId: string } {
  const sessionId = c.req.param('id') ?? '';
  const rackId = rackOfSession(sessionId);
  if (!rackId) throw new ApiError('rack_session_not_found', 'No such rack session');
  return { sessionId, rackId };
}

/** An answer whose rack_not_found means something else to the route. */
const recode = <T>(a: Answer<T>, code: string, message: string): Answer<T> =>
  !a.ok && a.code === 'rack_not_found' ? refuse(code, message) : a;
/** A session of a rack the layout does not have is a session that does not exist. */
const sessionAnswer = <T>(a: Answer<T>): Answer<T> => recode(a, 'rack_session_not_found', 'No such rack session');

/** The id of the floor whose display name is `name` (case-insensitive), or null. */
async function floorIdByName(c: Context<AppEnv>, name: string): Promise<string | null> {
  const wanted = name.toLocaleLowerCase('en');
  const floors = await warehouseStub(c.env).floors();
  return floors.find((f) => f.name.trim().toLocaleLowerCase('en') === wanted)?.id ?? null;
}

/** A session record as `role` may see it: on a blind rack a member gets the counted side of the summary only. */
export function sessionFor<T extends Pick<RackSessionRecord, 'summary'>>(s: T, role: 'admin' | 'member'): T {
  if (role === 'admin' || !s.summary || !isBlindSummary(s.summary)) return s;
  return { ...s, summary: blindSummary(s.summary as AuditSummary) as unknown as AuditSummary };
}

/** Live statuses of every floor (one RPC per floor). */
async function allStatuses(c: Context<AppEnv>): Promise<RackStatus[]> {
  const floors = await warehouseStub(c.env).floors();
  const lists = await Promise.all(floors.map((f) => floorStub(c.env, f.id).racks(f.id)));
  return lists.flatMap((l) => l ?? []);
}

/** Racks held at once (QUOTA_RACKS_PER_USER): a claim of one more is refused with 409 `quota_exceeded`. */
async function withinRackQuota(c: Context<AppEnv>, userId: string, rackId: string): Promise<void> {
  const { racksPerUser } = readLimits(c.env);
  const held = (await allStatuses(c)).filter((r) => r.holder === userId && r.rack_id !== rackId).length;
  if (held >= racksPerUser)
    throw new ApiError('quota_exceeded', `A worker can hold at most ${racksPerUser} racks at once; release one first`, {
      quota: 'racks_per_user',
      limit: racksPerUser,
    });
}

const leaseCommand = (type: 'release' | 'pause' | 'resume') => async (c: Context<AppEnv>) => {
  const user = requireUser(c);
  const rackId = rackParam(c);
  const body = await readJson(c, rackLeaseBody);
  const status = unwrap(
    await rackStub(c.env, rackId).command(rackId, user.id, type, body.session_id, body.fencing_token),
  );
  return c.json({
    success: true,
    rack_id: rackId,
    session_id: body.session_id,
    status: status.status,
    expires_at: status.expires_at,
  });
};

export const rackRoutes = new Hono<AppEnv>()
  // ── Floors and racks ─────────────────────────────────────────────────
  .get('/racks/floors', async (c) => {
    requireUser(c);
    return c.json({ floors: await warehouseStub(c.env).floors() });
  })
  .get(
    '/racks/available',
    async function validate(c, next) {
      requireUser(c);
      readQuery(c, rackFloorQuery);
      await next();
    },
    cacheResponse({
      tier: 'short',
      key: (c) => `racks:available:${c.req.query('floor')}`,
      tags: (c) => [`racks:floor:${c.req.query('floor')}`],
    }),
    async (c) => {
      const floor = readQuery(c, rackFloorQuery).floor;
      const board = await floorStub(c.env, floor).racks(floor);
      // Not cached: only 200s are.
      if (!board) throw new ApiError('floor_not_found', 'No such floor');
      // The list is cached for everyone, so it is the member view: no estimate on a blind rack.
      const racks = board
        .filter((r) => r.status === 'available')
        .map((r) => ({ rack_id: r.rack_id, floor, status: r.status, item_estimate: r.item_estimate, blind: r.blind }));
      return c.json({ floor, racks, cached: false });
    },
  )
  .get('/racks/user/active', async (c) => {
    const user = requireUser(c);
    const racks = (await allStatuses(c)).filter((r) => r.holder === user.id);
    return c.json({ racks, serverTime: Date.now() });
  })
  .post('/racks/:rackId/claim', async (c) => {
    const user = requireUser(c);
    const rackId = rackParam(c);
    const { floor } = await readJson(c, rackClaimBody);
    await withinRackQuota(c, user.id, rackId);
    const stub = rackStub(c.env, rackId);
    // Ids go straight to the rack (no extra call); a display name, or an id-shaped name the rack did not know, is
    // resolved to the floor's id through the layout (case-insensitive).
    const named = isFloorId(floor) ? null : await floorIdByName(c, floor);
    let answer = await stub.claim(rackId, user.id, user.name, named ?? floor);
    if (!answer.ok && answer.code === 'rack_not_found' && isFloorId(floor)) {
      const resolved = await floorIdByName(c, floor);
      if (resolved && resolved !== floor) answer = await stub.claim(rackId, user.id, user.name, resolved);
    }
    return c.json(unwrap(answer));
  })
  .post('/racks/:rackId/release', leaseCommand('release'))
  .post('/racks/:rackId/pause', leaseCommand('pause'))
  .post('/racks/:rackId/resume', leaseCommand('resume'))
  /** Extension: an admin ends a lease whoever holds it; the reason is journaled. */
  .post('/racks/:rackId/force-release', async (c) => {
    const admin = requireAdmin(c);
    const rackId = rackParam(c);
    const { reason } = await readJson(c, rackForceReleaseBody);
    return c.json({ success: true, ...unwrap(await rackStub(c.env, rackId).forceRelease(rackId, reason, admin.id)) });
  })
  /** A supervisor breaks a lease: a force-release whose holder is told `broken`; the reason is journaled. */
  .post('/racks/:rackId/break', async (c) => {
    const admin = requireAdmin(c);
    const rackId = rackParam(c);
    const { reason } = await readJson(c, breakBody);
    const status = unwrap(await rackStub(c.env, rackId).forceRelease(rackId, reason, admin.id, true));
    return c.json({ success: true, broken: true, reason, ...status });
  })
  /** A supervisor hands the live lease to another worker: a new token for them, a stale one for the old holder. */
  .post('/racks/:rackId/handoff', async (c) => {
    const admin = requireAdmin(c);
    const rackId = rackParam(c);
    const { to_user_id, reason } = await readJson(c, handoffBody);
    return c.json(
      unwrap(await rackStub(c.env, rackId).handoff(rackId, { id: to_user_id, name: null }, reason, admin.id)),
    );
  })
  .get('/racks/:rackId/status', async (c) => {
    const user = requireUser(c);
    const rackId = rackParam(c);
    return c.json({ ...unwrap(await rackStub(c.env, rackId).rackStatus(rackId, user.role)), serverTime: Date.now() });
  })
  /** Extension: the holder's socket, which receives rack-status and lease-lost. */
  .get('/racks/:rackId/ws', async (c) => {
    if (c.req.header('Upgrade')?.toLowerCase() !== 'websocket')
      throw new ApiError('upgrade_required', 'Open this route as a WebSocket', undefined, 426);
    const user = requireUser(c);
    const rackId = rackParam(c);
    return rackStub(c.env, rackId).fetch(
      new Request(c.req.url, {
        headers: {
          Upgrade: 'websocket',
          'X-KT-Access': JSON.stringify({ userId: user.id, rackId }),
          ...sessionHeaders(c),
          ...peerHeader(c.req.header('CF-Connecting-IP')),
        },
      }),
    );
  })
  .get('/floors/:floor/ws', async (c) => {
    if (c.req.header('Upgrade')?.toLowerCase() !== 'websocket')
      throw new ApiError('upgrade_required', 'Open this route as a WebSocket', undefined, 426);
    const user = requireUser(c);
    const floor = c.req.param('floor');
    if (!/^[a-z0-9-]{1,64}$/.test(floor)) throw new ApiError('floor_not_found', 'No such floor');
    return floorStub(c.env, floor).fetch(
      new Request(c.req.url, {
        headers: {
          Upgrade: 'websocket',
          'X-KT-Access': JSON.stringify({ userId: user.id, role: user.role, floorId: floor }),
          ...sessionHeaders(c),
          ...peerHeader(c.req.header('CF-Connecting-IP')),
        },
      }),
    );
  })
  // ── Rack sessions ────────────────────────────────────────────────────
  .get('/rack-sessions/active', async (c) => {
    const user = requireUser(c);
    const live = (await allStatuses(c)).filter(
      (r) => r.holder !== null && (user.role === 'admin' || r.holder === user.id),
    );
    return c.json({ sessions: live, serverTime: Date.now() });
  })
  .get('/rack-sessions/user/history', async (c) => {
    const user = requireUser(c);
    readQuery(c, tokenOnly);
    const fromDb = await historyFromDb(c, user.id);
    if (fromDb) return c.json({ sessions: fromDb.map((s) => sessionFor(s, user.role)), source: 'postgres' });
    // Without Postgres, each rack's recent sessions answer.
    const all = (await warehouseStub(c.env).snapshot()).racks.map((r) => r.rackId);
    const lists = await Promise.all(all.map((id) => rackStub(c.env, id).userSessions(id, user.id)));
    const sessions = lists
      .flat()
      .sort((a, b) => b.started_at - a.started_at)
      .map((s) => sessionFor(s, user.role));
    return c.json({ sessions, source: 'objects' });
  })
  .get('/rack-sessions/:id', async (c) => {
    const user = requireUser(c);
    const { sessionId, rackId } = sessionRack(c);
    const s = await rackStub(c.env, rackId).session(rackId, sessionId);
    if (!s || (s.user_id !== user.id && user.role !== 'admin'))
      throw new ApiError('rack_session_not_found', 'No such rack session');
    return c.json({ session: sessionFor(s, user.role), serverTime: Date.now() });
  })
  /** The scans so far of a live session, for its holder or an admin (a new holder after a hand-off). */
  .get('/rack-sessions/:id/records', async (c) => {
    const user = requireUser(c);
    readQuery(c, tokenOnly);
    const { sessionId, rackId } = sessionRack(c);
    return c.json(unwrap(await rackStub(c.env, rackId).records(rackId, sessionId, { id: user.id, role: user.role })));
  })
  .get('/rack-sessions/:id/stats', async (c) => {
    const user = requireUser(c);
    const { sessionId, rackId } = sessionRack(c);
    const s = await rackStub(c.env, rackId).session(rackId, sessionId);
    if (!s || (s.user_id !== user.id && user.role !== 'admin'))
      throw new ApiError('rack_session_not_found', 'No such rack session');
    return c.json({ session_id: sessionId, ...s.stats });
  })
  .post('/rack-sessions/:id/heartbeat', async (c) => {
    const user = requireUser(c);
    const { sessionId, rackId } = sessionRack(c);
    const { fencing_token } = await readJson(c, rackHeartbeatBody);
    const status = unwrap(
      sessionAnswer(await rackStub(c.env, rackId).command(rackId, user.id, 'heartbeat', sessionId, fencing_token)),
    );
    const remainingMs = Math.max(0, (status.expires_at ?? Date.now()) - Date.now());
    return c.json({
      success: true,
      session_id: sessionId,
      rack_lock_renewed: true,
      lock_ttl_remaining: Math.round(remainingMs / 1000),
      lock_ttl_remaining_ms: remainingMs,
      expires_at: status.expires_at,
    });
  })
  .post('/rack-sessions/:id/complete', async (c) => {
    const user = requireUser(c);
    const { sessionId, rackId } = sessionRack(c);
    const { fencing_token, declared_records } = await readJson(c, rackCompleteBody);
    return c.json({
      success: true,
      ...unwrap(
        sessionAnswer(
          await rackStub(c.env, rackId).complete(
            rackId,
            user.id,
            sessionId,
            fencing_token ?? null,
            declared_records ?? null,
          ),
        ),
      ),
    });
  })
  // ── Batch sync ───────────────────────────────────────────────────────
  .post('/sync/batch', async (c) => {
    const user = requireUser(c);
    const body = await readJson(c, syncBatchBody);
    const rackId = rackOfSession(body.session_id);
    if (!rackId) throw new ApiError('stale_fencing_token', 'The session is not a current lease');
    // A session of a rack that does not exist (or no longer does) is no current lease either.
    return c.json(
      unwrap(
        recode(
          await rackStub(c.env, rackId).sync(rackId, user.id, body.session_id, body.fencing_token, body.records),
          'stale_fencing_token',
          'The session is not a current lease',
        ),
      ),
    );
  });

/** The user's rack sessions from Postgres, newest first; null when Postgres cannot answer. */
async function historyFromDb(c: Context<AppEnv>, userId: string): Promise<RackSessionRecord[] | null> {
  const db = openDb(c.env);
  if (!db) return null;
  try {
    const rows = await db
      .select()
      .from(rackSessionsTable)
      .where(eq(rackSessionsTable.userId, userId))
      .orderBy(desc(rackSessionsTable.startedAt))
      .limit(100);
    return rows.map((r) => ({
      session_id: r.id,
      rack_id: r.rackId,
      floor: r.floorId,
      user_id: r.userId,
      fencing_token: r.fencingToken,
      status: r.status,
      started_at: r.startedAt.getTime(),
      expires_at: null,
      ended_at: r.endedAt?.getTime() ?? null,
      paused_ms: r.pausedMs,
      summary: (r.summary ?? null) as RackSessionRecord['summary'],
    }));
  } catch (err) {
    console.warn(
      JSON.stringify({
        level: 'warn',
        msg: 'rack history unavailable',
        requestId: c.var.requestId,
        error: String(err).slice(0, 200),
      }),
    );
    return null;
  } finally {
    db.$client.end().catch(() => {});
  }
}
