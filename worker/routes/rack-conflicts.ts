/**
 * Extension: conflicts of the rack audit (core/racks/conflict.ts). The live
 * lease holder lists and resolves their rack's conflicts; admins (the
 * supervisors) may on any rack, and list a whole floor's.
 */
import { Hono } from 'hono';
import { conflictIdParam, conflictListQuery, resolveConflictBody } from '../../core/racks/protocol.ts';
import { rackStub, warehouseStub } from '../../durable-objects/platform/stubs.ts';
import type { AppEnv } from '../app-types.ts';
import { ApiError } from '../lib/errors.ts';
import { requireAdmin, requireUser } from '../middleware/auth.ts';
import { check, readJson, readQuery } from '../middleware/validate.ts';
import { unwrap } from '../lib/answer.ts';
import { rackParam } from './racks.ts';

export const rackConflictRoutes = new Hono<AppEnv>()
  .get('/racks/:rackId/conflicts', async (c) => {
    const user = requireUser(c);
    const rackId = rackParam(c);
    const all = readQuery(c, conflictListQuery).all === '1';
    const conflicts = unwrap(
      await rackStub(c.env, rackId).listConflicts(rackId, { id: user.id, role: user.role }, all),
    );
    return c.json({ rack_id: rackId, conflicts, serverTime: Date.now() });
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
  .get('/floors/:floor/conflicts', async (c) => {
    const admin = requireAdmin(c);
    readQuery(c, conflictListQuery);
    const floor = c.req.param('floor');
    const racks = /^[a-z0-9-]{1,64}$/.test(floor) ? await warehouseStub(c.env).floorRacks(floor) : null;
    if (!racks) throw new ApiError('floor_not_found', 'No such floor');
    const lists = await Promise.all(
      racks.map((r) => rackStub(c.env, r.rack_id).listConflicts(r.rack_id, { id: admin.id, role: admin.role })),
    );
    // A rack removed meanwhile has no conflicts to list.
    const conflicts = lists.flatMap((a) => (a.ok ? a.value : [])).sort((a, b) => a.detected_at - b.detected_at);
    return c.json({ floor, conflicts, serverTime: Date.now() });
  });
