/**
 * Extension: admins manage the warehouse layout (floors, racks and what each
 * rack should hold). The Warehouse object owns it and tells the racks and
 * floors a change touches; a held rack cannot be removed (409 rack_in_use).
 */
import { Hono, type Context } from 'hono';
import {
  addRackBody,
  createFloorBody,
  floorIdParam,
  renameFloorBody,
  setExpectedBody,
} from '../../core/racks/protocol.ts';
import type { Layout, LayoutCommand } from '../../core/racks/warehouse.ts';
import { itemEstimate, racksOn } from '../../core/racks/warehouse.ts';
import { rackStub, warehouseStub } from '../../durable-objects/platform/stubs.ts';
import type { AppEnv } from '../app-types.ts';
import { ApiError } from '../lib/errors.ts';
import { requireAdmin } from '../middleware/auth.ts';
import { check, readJson } from '../middleware/validate.ts';
import { unwrap } from '../lib/answer.ts';
import { rackParam } from './racks.ts';

/** The layout as the API shows it: floors in order, each with its racks and their expected items. */
function view(l: Layout) {
  return {
    version: l.version,
    floors: [...l.floors]
      .sort((a, b) => a.position - b.position)
      .map((f) => ({
        id: f.id,
        name: f.name,
        racks: racksOn(l, f.id).map((r) => ({
          rack_id: r.rackId,
          item_estimate: itemEstimate(r),
          expected: r.expected,
        })),
      })),
  };
}

async function change(c: Context<AppEnv>, cmd: LayoutCommand) {
  const admin = requireAdmin(c);
  return view(unwrap(await warehouseStub(c.env).change(cmd, admin.id)));
}

const floorParam = (c: Context<AppEnv>) => check(floorIdParam, c.req.param('floor'));

export const warehouseRoutes = new Hono<AppEnv>()
  .get('/warehouse', async (c) => {
    requireAdmin(c);
    return c.json(view(await warehouseStub(c.env).snapshot()));
  })
  .post('/warehouse/floors', async (c) => {
    requireAdmin(c);
    const body = await readJson(c, createFloorBody);
    return c.json(await change(c, { type: 'create-floor', id: body.id, name: body.name }), 201);
  })
  .put('/warehouse/floors/:floor', async (c) => {
    requireAdmin(c);
    const id = floorParam(c);
    const { name } = await readJson(c, renameFloorBody);
    return c.json(await change(c, { type: 'rename-floor', id, name }));
  })
  .post('/warehouse/floors/:floor/racks', async (c) => {
    requireAdmin(c);
    const floorId = floorParam(c);
    const body = await readJson(c, addRackBody);
    return c.json(
      await change(c, { type: 'add-rack', floorId, rackId: body.rack_id, expected: body.expected ?? [] }),
      201,
    );
  })
  .put('/warehouse/racks/:rackId/expected', async (c) => {
    requireAdmin(c);
    const rackId = rackParam(c);
    const { items } = await readJson(c, setExpectedBody);
    return c.json(await change(c, { type: 'set-expected', rackId, expected: items }));
  })
  .delete('/warehouse/racks/:rackId', async (c) => {
    requireAdmin(c);
    const rackId = rackParam(c);
    const status = await rackStub(c.env, rackId).rackStatus(rackId);
    if (status.ok && status.value.holder !== null)
      throw new ApiError('rack_in_use', `Rack ${rackId} is held; release it first`, {
        holder: status.value.holder,
        expires_at: status.value.expires_at,
      });
    return c.json(await change(c, { type: 'remove-rack', rackId }));
  });
