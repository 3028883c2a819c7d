/**
 * Extension: admins manage the warehouse layout (floors, racks and what each
 * rack should hold). The Warehouse object owns it and tells the racks and
 * floors a change touches; a held rack cannot be removed (409 rack_in_use).
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import {
  addRackBody,
  createFloorBody,
  floorIdParam,
  reviewThresholdsBody,
  setExpectedBody,
  setFloorBody,
  setRackBlindBody,
  stockImportQuery,
} from '../../core/racks/protocol.ts';
import { STOCK_CSV_MAX_BYTES, parseStockCsv } from '../../core/racks/import.ts';
import { NO_THRESHOLDS, type Thresholds } from '../../core/racks/review.ts';
import type { Layout, LayoutCommand } from '../../core/racks/warehouse.ts';
import { itemEstimate, rackInfoOf, racksOn } from '../../core/racks/warehouse.ts';
import { floorStub } from '../../durable-objects/platform/stubs.ts';
import { readCsvBody } from '../lib/csv-body.ts';
import { errorBody } from '../lib/errors.ts';
import { exportAudits } from './warehouse-export.ts';
import { rackStub, warehouseStub } from '../../durable-objects/platform/stubs.ts';
import type { AppEnv } from '../app-types.ts';
import { ApiError } from '../lib/errors.ts';
import { requireAdmin } from '../middleware/auth.ts';
import { check, readJson, readQuery } from '../middleware/validate.ts';
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
        blind: f.blind ?? false,
        review: f.review ?? NO_THRESHOLDS,
        racks: racksOn(l, f.id).map((r) => ({
          rack_id: r.rackId,
          item_estimate: itemEstimate(r),
          blind: r.blind ?? null,
          blind_effective: rackInfoOf(l, r.rackId)?.blindEffective ?? false,
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

const TOO_LARGE = `A stock file is limited to ${STOCK_CSV_MAX_BYTES / (1024 * 1024)} MB`;

/** Thresholds as stored: every number present (null when unset), per-item entries without the cleared ones. */
function thresholds(b: {
  qty?: number | null | undefined;
  pct?: number | null | undefined;
  items?: Record<string, { qty?: number | null | undefined; pct?: number | null | undefined } | null> | undefined;
}): Thresholds {
  const items: Thresholds['items'] = {};
  for (const [code, t] of Object.entries(b.items ?? {}))
    if (t && (t.qty != null || t.pct != null)) items[code] = { qty: t.qty ?? null, pct: t.pct ?? null };
  return { qty: b.qty ?? null, pct: b.pct ?? null, items };
}

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
  /** Renames the floor and/or sets blind counting for its racks. */
  .put('/warehouse/floors/:floor', async (c) => {
    requireAdmin(c);
    const id = floorParam(c);
    const { name, blind } = await readJson(c, setFloorBody);
    return c.json(await change(c, { type: 'set-floor', id, name, blind }));
  })
  .put('/warehouse/floors/:floor/review', async (c) => {
    requireAdmin(c);
    const floorId = floorParam(c);
    const review = thresholds(await readJson(c, reviewThresholdsBody));
    await change(c, { type: 'set-review', floorId, review });
    return c.json({ floor: floorId, review });
  })
  .put('/warehouse/racks/:rackId/blind', async (c) => {
    requireAdmin(c);
    const rackId = rackParam(c);
    const { blind } = await readJson(c, setRackBlindBody);
    return c.json(await change(c, { type: 'set-rack-blind', rackId, blind }));
  })
  /** Expected stock from CSV: a preview with `dryRun=1`; a file with errors applies nothing; the same file twice changes nothing. */
  .post(
    '/warehouse/import',
    bodyLimit({ maxSize: STOCK_CSV_MAX_BYTES, onError: (c) => c.json(errorBody('payload_too_large', TOO_LARGE), 413) }),
    async (c) => {
      const admin = requireAdmin(c);
      const q = readQuery(c, stockImportQuery);
      const mode = q.mode ?? 'merge';
      const dryRun = q.dryRun === '1' || q.dryRun === 'true';
      const parsed = parseStockCsv(await readCsvBody(c, STOCK_CSV_MAX_BYTES, TOO_LARGE));
      const out = await warehouseStub(c.env).importStock(
        parsed.rows,
        mode,
        !dryRun && parsed.errors.length === 0,
        admin.id,
      );
      const errors = [...parsed.errors, ...out.errors].sort((a, b) => a.row - b.row);
      const held = await heldRacks(
        c,
        out.racks.filter((r) => r.status === 'changed'),
      );
      const body = {
        dryRun,
        applied: out.applied,
        mode,
        rows: parsed.rows.length + parsed.errors.length,
        errors,
        racks: out.racks.map(({ expected: _e, ...r }) => ({ ...r, deferred: held.has(r.rack_id) })),
        floors_created: out.floorsCreated,
        changed: out.applied ? out.racks.filter((r) => r.status !== 'unchanged').length : 0,
        version: out.version,
      };
      if (dryRun || errors.length === 0) return c.json(body);
      const first = errors[0] as { row: number; message: string };
      const message = `${errors.length} ${errors.length === 1 ? 'row has' : 'rows have'} errors; nothing was imported (row ${first.row}: ${first.message})`;
      return c.json({ ...errorBody('invalid_import', message.slice(0, 300), { errors }), ...body }, 422);
    },
  )
  .get('/warehouse/export.csv', exportAudits)
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

/** Racks of `racks` under a live lease now: their new expected items take effect at the next claim. */
async function heldRacks(c: Context<AppEnv>, racks: Array<{ rack_id: string; floor: string }>): Promise<Set<string>> {
  const floors = [...new Set(racks.map((r) => r.floor))];
  const boards = await Promise.all(floors.map((f) => floorStub(c.env, f).racks(f, 'admin')));
  const held = new Set<string>();
  for (const b of boards) for (const r of b ?? []) if (r.holder !== null) held.add(r.rack_id);
  return held;
}
