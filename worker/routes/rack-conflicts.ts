/**
 * Extension: conflicts of the rack audit (core/racks/conflict.ts). The live
 * lease holder lists and resolves their rack's conflicts; admins (the
 * supervisors) may on any rack, and list a whole floor's.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import type { ConflictView } from '../../core/racks/conflict.ts';
import {
  CONFLICT_PAGE_DEFAULT,
  conflictIdParam,
  conflictListQuery,
  resolveConflictBody,
} from '../../core/racks/protocol.ts';
import { rackStub, warehouseStub } from '../../durable-objects/platform/stubs.ts';
import type { AppEnv } from '../app-types.ts';
import { ApiError } from '../lib/errors.ts';
import { requireAdmin, requireUser } from '../middleware/auth.ts';
import { check, readJson, readQuery } from '../middleware/validate.ts';
import { unwrap } from '../lib/answer.ts';
import { rackParam } from './racks.ts';

/** Names the page query for the typed client; the handlers validate it (conflictListQuery). */
const pageQuery: MiddlewareHandler<
  AppEnv,
  string,
  { in: { query: { all?: string; limit?: string; cursor?: string } }; out: Record<never, never> }
> = async function pageQuery(_c, next) {
  await next();
};

export const rackConflictRoutes = new Hono<AppEnv>()
  .get('/racks/:rackId/conflicts', pageQuery, async (c) => {
    const user = requireUser(c);
    const rackId = rackParam(c);
    const q = readQuery(c, conflictListQuery);
    const after = q.cursor === undefined ? null : readCursor(q.cursor, 2);
    const page = unwrap(
      await rackStub(c.env, rackId).listConflicts(rackId, { id: user.id, role: user.role }, q.all === '1', {
        after: after ? { at: after.at, id: after.keys[0] as string } : null,
        limit: q.limit ?? CONFLICT_PAGE_DEFAULT,
      }),
    );
    const last = page.conflicts.at(-1);
    const nextCursor = page.more && last ? writeCursor(last.detected_at, [last.id]) : null;
    return c.json({
      rack_id: rackId,
      conflicts: page.conflicts,
      nextCursor,
      // Issue 15: the live audit's expected items changed since its claim (they take effect at the next one).
      expected_changed: page.expected_changed,
      serverTime: Date.now(),
    });
  })
  .post('/racks/:rackId/conflicts/:conflictId/resolve', async (c) => {
    const user = requireUser(c);
    const rackId = rackParam(c);
    const id = check(conflictIdParam, c.req.param('conflictId'));
    const { choice } = await readJson(c, resolveConflictBody);
    const conflict = unwrap(
      await rackStub(c.env, rackId).resolveConflict(rackId, id, choice, { id: user.id, role: user.role }),
    );
    return c.json({ success: true, conflict });
  })
  .get('/floors/:floor/conflicts', pageQuery, async (c) => {
    const admin = requireAdmin(c);
    const q = readQuery(c, conflictListQuery);
    const limit = q.limit ?? CONFLICT_PAGE_DEFAULT;
    const after = q.cursor === undefined ? null : readCursor(q.cursor, 3);
    const floor = c.req.param('floor');
    const racks = /^[a-z0-9-]{1,64}$/.test(floor) ? await warehouseStub(c.env).floorRacks(floor) : null;
    if (!racks) throw new ApiError('floor_not_found', 'No such floor');
    // The floor's order is (detected_at, rack_id, id): each rack answers its next `limit` after the cursor's place.
    const lists = await Promise.all(
      racks.map((r) =>
        rackStub(c.env, r.rack_id).listConflicts(r.rack_id, { id: admin.id, role: admin.role }, false, {
          after: after ? rackAfter(after, r.rack_id) : null,
          limit,
        }),
      ),
    );
    // A rack removed meanwhile has no conflicts to list. The sort is stable: one rack's conflicts keep its order.
    const merged = lists
      .flatMap((a) => (a.ok ? a.value.conflicts : []))
      .sort((a, b) => a.detected_at - b.detected_at || byRack(a, b));
    const conflicts = merged.slice(0, limit);
    const more = merged.length > limit || lists.some((a) => a.ok && a.value.more);
    const last = conflicts.at(-1);
    const nextCursor = more && last ? writeCursor(last.detected_at, [last.rack_id, last.id]) : null;
    return c.json({ floor, conflicts, nextCursor, serverTime: Date.now() });
  });

// ── Cursors ────────────────────────────────────────────────────────────────
/** A page's place: the last conflict's `detected_at` and its keys (id, or rack id and id), base64url-encoded. */
function writeCursor(at: number, keys: string[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify([at, ...keys]));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

function readCursor(cursor: string, parts: number): { at: number; keys: string[] } {
  try {
    const bin = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'));
    const v: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0))));
    if (
      Array.isArray(v) &&
      v.length === parts &&
      Number.isSafeInteger(v[0]) &&
      v.slice(1).every((k) => typeof k === 'string' && k.length <= 128)
    )
      return { at: v[0] as number, keys: v.slice(1) as string[] };
  } catch {
    // Falls through to the refusal.
  }
  throw new ApiError('validation_failed', 'cursor: not a cursor this list gave', [
    { path: 'cursor', message: 'not a cursor this list gave' },
  ]);
}

const byRack = (a: ConflictView, b: ConflictView): number =>
  a.rack_id < b.rack_id ? -1 : a.rack_id > b.rack_id ? 1 : 0;

/** Where rack `rackId`'s part of the floor's page starts, after the floor cursor (at, rack, id). */
function rackAfter(c: { at: number; keys: string[] }, rackId: string): { at: number; id: string | null } {
  const [rack, id] = c.keys as [string, string];
  if (rackId === rack) return { at: c.at, id };
  // A rack before the cursor's in the order continues after its instant; one after it, from that instant on.
  return rackId < rack ? { at: c.at, id: null } : { at: c.at - 1, id: null };
}
